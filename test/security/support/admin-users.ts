// Users made and read as an admin would (AdminCreateUser, AdminGetUser) with the sandbox's own Cognito client.
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  type AttributeType,
  type AuthenticationResultType,
} from '@aws-sdk/client-cognito-identity-provider';
import { keepTokens } from './adversary';
import type { SecurityContext } from './security-sandbox';
import { signInWithEmailCode } from '../../e2e/support/custom-auth';
import { uniqueEmail } from '../../e2e/support/example-sandbox';

/** Creates a user named by `email`, with that email and `attributes`, sending no invitation: its username (a UUID). */
export async function createUser(context: SecurityContext, email: string, attributes: AttributeType[]): Promise<string> {
  const created = await context.cognito.send(new AdminCreateUserCommand({
    UserPoolId: context.sandbox.info.userPoolId,
    Username: email,
    UserAttributes: [{ Name: 'email', Value: email }, ...attributes],
    MessageAction: 'SUPPRESS',
  }));
  return created.User!.Username!;
}

export interface SignedInUser {
  readonly email: string;
  readonly username: string;
  readonly tokens: AuthenticationResultType;
  /** When the sign-in code was sent: the start of the user's send cooldown. */
  readonly signedInAt: number;
}

/** A new user with a verified email (plus `extra`), signed in with an emailed code; its tokens are kept as secrets. */
export async function signedInUser(context: SecurityContext, extra: AttributeType[] = []): Promise<SignedInUser> {
  const email = uniqueEmail();
  const username = await createUser(context, email, [{ Name: 'email_verified', Value: 'true' }, ...extra]);
  const signedInAt = Date.now();
  const tokens = await signInWithEmailCode(context.sandbox, context.cognito, email, username);
  keepTokens(context, tokens);
  return { email, username, tokens, signedInAt };
}

/** The user's attributes as stored, read as an admin (AdminGetUser). */
export async function storedAttributes(context: SecurityContext, username: string): Promise<Record<string, string>> {
  const user = await context.cognito.send(new AdminGetUserCommand({ UserPoolId: context.sandbox.info.userPoolId, Username: username }));
  return Object.fromEntries(user.UserAttributes!.map((attribute) => [attribute.Name!, attribute.Value!]));
}
