import { randomBytes } from 'node:crypto';
import type { SignUpAttribute } from './identifier-state';
import { CLIENT_CONFIG, lazyClient } from './lazy-client';

type Cognito = typeof import('@aws-sdk/client-cognito-identity-provider');

/** A user as the pool knows them. */
export interface PoolUser {
  readonly username: string;
  readonly enabled: boolean;
  readonly attributes: Readonly<Record<string, string | undefined>>;
  /** Cognito's UserStatus (CONFIRMED, FORCE_CHANGE_PASSWORD, ...), when the lookup tells it. */
  readonly status?: string;
}

/** The Cognito calls of the handlers, each built on its own so a handler bundles only the ones it uses. */
const cognito = lazyClient('@aws-sdk/client-cognito-identity-provider', (sdk: Cognito) => new sdk.CognitoIdentityProviderClient(CLIENT_CONFIG));

/** AdminGetUser by username or any sign-in identifier: undefined when there is no such user. */
export const userFinder = (userPoolId: string) => async (identifier: string): Promise<PoolUser | undefined> => {
  const { sdk, client } = await cognito();
  try {
    const out = await client.send(new sdk.AdminGetUserCommand({ UserPoolId: userPoolId, Username: identifier }));
    return {
      username: out.Username!,
      enabled: out.Enabled !== false,
      attributes: attributeMap(out.UserAttributes),
      status: out.UserStatus,
    };
  } catch (error) {
    if ((error as Error).name === 'UserNotFoundException') return undefined;
    throw error;
  }
};

/** Raised when the identifier already belongs to a user (a concurrent sign-up won the race). */
export class IdentifierTakenError extends Error {
  constructor() {
    super('The identifier already belongs to a user');
    this.name = 'IdentifierTakenError';
  }
}

/**
 * Creates a user whose one identifier is the unverified `attribute`: no invitation is sent, and the
 * password is random, never stored or shown, so the user can only sign in with the custom-auth flow.
 * The pool signs users in with email or phone number as username attributes (auto sign-up requires it), so the value
 * is given as `Username` and Cognito generates the real username, which is returned.
 */
export const userCreator = (userPoolId: string) =>
  async (attribute: SignUpAttribute, value: string): Promise<string> => {
    const { sdk, client } = await cognito();
    let username: string;
    try {
      const out = await client.send(new sdk.AdminCreateUserCommand({
        UserPoolId: userPoolId,
        Username: value,
        UserAttributes: [{ Name: attribute, Value: value }, { Name: `${attribute}_verified`, Value: 'false' }],
        MessageAction: 'SUPPRESS',
      }));
      username = out.User!.Username!;
    } catch (error) {
      const name = (error as Error).name;
      if (name === 'UsernameExistsException' || name === 'AliasExistsException') throw new IdentifierTakenError();
      throw error;
    }
    await userConfirmer(userPoolId)(username);
    return username;
  };

/**
 * CONFIRMED, not FORCE_CHANGE_PASSWORD: a permanent password nobody knows, which no enabled auth flow
 * accepts anyway. Also repairs a sign-up whose creation succeeded but whose confirmation did not.
 */
export const userConfirmer = (userPoolId: string) => async (username: string): Promise<void> => {
  const { sdk, client } = await cognito();
  await client.send(new sdk.AdminSetUserPasswordCommand({
    UserPoolId: userPoolId,
    Username: username,
    Password: unusablePassword(),
    Permanent: true,
  }));
};

/** AdminUpdateUserAttributes; `*_verified` values are set only here, never by clients (R19). */
export const attributeWriter = (userPoolId: string) =>
  async (username: string, attributes: Readonly<Record<string, string>>): Promise<void> => {
    const { sdk, client } = await cognito();
    await client.send(new sdk.AdminUpdateUserAttributesCommand({
      UserPoolId: userPoolId,
      Username: username,
      UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
    }));
  };

export const userDeleter = (userPoolId: string) => async (username: string): Promise<void> => {
  const { sdk, client } = await cognito();
  await client.send(new sdk.AdminDeleteUserCommand({ UserPoolId: userPoolId, Username: username }));
};

/**
 * The signed-in user behind an access token, by Cognito's GetUser: unlike a JWT check it also refuses
 * revoked tokens (sign-out). Undefined for a missing, expired, revoked or foreign token.
 */
export const tokenUser = () => async (accessToken: string): Promise<PoolUser | undefined> => {
  const { sdk, client } = await cognito();
  try {
    const out = await client.send(new sdk.GetUserCommand({ AccessToken: accessToken }));
    return { username: out.Username!, enabled: true, attributes: attributeMap(out.UserAttributes) };
  } catch (error) {
    if ((error as Error).name === 'NotAuthorizedException') return undefined;
    throw error;
  }
};

/** A started custom-auth sign-in, for the client to continue with RespondToAuthChallenge. */
export interface StartedSignIn {
  readonly session: string;
  readonly challengeName: string;
  readonly challengeParameters: Readonly<Record<string, string>>;
}

/**
 * InitiateAuth(CUSTOM_AUTH) for `username`, then the first round's answer `choice` (a code method), so
 * the code is on its way when the client gets the session back.
 */
export const signInStarter = (clientId: string) => async (username: string, choice: string): Promise<StartedSignIn> => {
  const { sdk, client } = await cognito();
  const first = await client.send(new sdk.InitiateAuthCommand({
    ClientId: clientId,
    AuthFlow: 'CUSTOM_AUTH',
    AuthParameters: { USERNAME: username },
  }));
  const second = await client.send(new sdk.RespondToAuthChallengeCommand({
    ClientId: clientId,
    ChallengeName: 'CUSTOM_CHALLENGE',
    Session: first.Session,
    ChallengeResponses: { USERNAME: first.ChallengeParameters?.USERNAME ?? username, ANSWER: choice },
  }));
  return {
    session: second.Session ?? '',
    challengeName: second.ChallengeName ?? '',
    challengeParameters: second.ChallengeParameters ?? {},
  };
};

function attributeMap(attributes?: readonly { Name?: string; Value?: string }[]): Record<string, string | undefined> {
  return Object.fromEntries((attributes ?? []).map((attribute) => [attribute.Name!, attribute.Value]));
}

/** 64 random bytes with one of each character class a password policy can demand. */
function unusablePassword(): string {
  return `${randomBytes(64).toString('base64url')}aA1!`;
}
