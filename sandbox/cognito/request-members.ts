import { CognitoError } from './errors';

/** Reads the members of an AWS JSON request with Cognito's validation wording. */
export function requiredString(request: Record<string, unknown>, member: string): string {
  const value = request[member];
  if (typeof value !== 'string' || value.length === 0) {
    throw new CognitoError(
      'InvalidParameterException',
      `1 validation error detected: Value at '${member.charAt(0).toLowerCase()}${member.slice(1)}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return value;
}

export function stringMap(request: Record<string, unknown>, member: string): Record<string, string> | undefined {
  const value = request[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value) || Object.values(value).some((item) => typeof item !== 'string')) {
    throw new CognitoError('InvalidParameterException', `${member} must be a map of strings`);
  }
  return value as Record<string, string>;
}
