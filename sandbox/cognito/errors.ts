/** An error the local Cognito endpoint answers as AWS JSON 1.1: HTTP 400 with `{"__type", "message"}`. */
export class CognitoError extends Error {
  constructor(readonly type: string, message: string, readonly status = 400) {
    super(message);
    this.name = type;
  }
}

/** What Cognito answers for every failed custom-auth sign-in, known user or not. */
export function incorrectCredentials(): CognitoError {
  return new CognitoError('NotAuthorizedException', 'Incorrect username or password.');
}

export function invalidParameter(message: string): CognitoError {
  return new CognitoError('InvalidParameterException', message);
}
