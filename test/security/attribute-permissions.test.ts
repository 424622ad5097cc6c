// Adversarial case 17 (R19, with R18 and R21 for the identifiers): a signed-in user's own access token must not
// write `custom:*` or `*_verified` attributes through Cognito's UpdateUserAttributes (nor through POST /attributes),
// and whatever the app client lets it write of email and phone_number never makes a code or link go to an
// unverified value or to a number outside the SMS allow-list.
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  InitiateAuthCommand,
  UpdateUserAttributesCommand,
  type AttributeType,
} from '@aws-sdk/client-cognito-identity-provider';
import { claimsOf } from './support/link-landing';
import { useSecuritySandbox } from './support/security-sandbox';
import { answerChallenge, signInWithEmailCode, startSignIn } from '../e2e/support/custom-auth';
import { messagesTo, uniqueEmail, uniquePhone } from '../e2e/support/example-sandbox';
import { requestLink, sleep } from '../e2e/support/magic-links';
import { postAttributes } from '../e2e/support/sign-up-api';

jest.setTimeout(120_000);

/** The send cooldown the file runs with (the shortest the handlers accept), and a little more. */
const COOLDOWN_SECONDS = 10;
const COOLDOWN_MS = COOLDOWN_SECONDS * 1000 + 500;

// Without auto sign-up, so that an address no user holds gets nothing at all from POST /magic-link.
const context = useSecuritySandbox({
  example: { autoSignUp: false },
  functionEnvironment: { SEND_COOLDOWN_SECONDS: String(COOLDOWN_SECONDS), MAX_REQUESTS_PER_IP_PER_MINUTE: '1000' },
});

/** A number in a country outside the example's SMS allow-list (calling codes 1 and 44): France. */
const OUTSIDE_ALLOW_LIST = '+33612345678';

interface SignedInUser {
  readonly email: string;
  readonly username: string;
  readonly accessToken: string;
  readonly refreshToken: string;
  /** When the sign-in code was sent: the start of the user's send cooldown. */
  readonly signedInAt: number;
}

/** A user created as an admin would (verified email plus `extra`), signed in with an emailed code. */
async function signedInUser(extra: AttributeType[] = []): Promise<SignedInUser> {
  const email = uniqueEmail();
  const created = await context.cognito.send(new AdminCreateUserCommand({
    UserPoolId: context.sandbox.info.userPoolId,
    Username: email,
    UserAttributes: [{ Name: 'email', Value: email }, { Name: 'email_verified', Value: 'true' }, ...extra],
    MessageAction: 'SUPPRESS',
  }));
  const username = created.User!.Username!;
  const signedInAt = Date.now();
  const tokens = await signInWithEmailCode(context.sandbox, context.cognito, email, username);
  context.keepSecret(tokens.AccessToken, tokens.IdToken, tokens.RefreshToken);
  return { email, username, accessToken: tokens.AccessToken!, refreshToken: tokens.RefreshToken!, signedInAt };
}

/** The user's attributes as stored, read as an admin (AdminGetUser). */
async function storedAttributes(username: string): Promise<Record<string, string>> {
  const user = await context.cognito.send(new AdminGetUserCommand({ UserPoolId: context.sandbox.info.userPoolId, Username: username }));
  return Object.fromEntries(user.UserAttributes!.map((attribute) => [attribute.Name!, attribute.Value!]));
}

/** The claims of a fresh ID token (REFRESH_TOKEN_AUTH): what an app would trust now. */
async function refreshedClaims(user: SignedInUser): Promise<Record<string, unknown>> {
  const refreshed = await context.cognito.send(new InitiateAuthCommand({
    AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: context.sandbox.info.userPoolClientId, AuthParameters: { REFRESH_TOKEN: user.refreshToken },
  }));
  const result = refreshed.AuthenticationResult!;
  context.keepSecret(result.AccessToken, result.IdToken, result.RefreshToken);
  return claimsOf(result.IdToken!);
}

/** UpdateUserAttributes with the user's own access token; the error it failed with, or undefined if it was accepted. */
async function updateOwnAttributes(user: SignedInUser, attributes: AttributeType[]): Promise<Error | undefined> {
  try {
    await context.cognito.send(new UpdateUserAttributesCommand({ AccessToken: user.accessToken, UserAttributes: attributes }));
    return undefined;
  } catch (error) {
    return error as Error;
  }
}

/** Asks for a sign-in code for `identifier` (InitiateAuth, then the method): whatever it is, the same challenge shape. */
async function requestSignInCode(identifier: string, method: 'email-otp' | 'sms-otp'): Promise<void> {
  const choose = await startSignIn(context.sandbox, context.cognito, identifier);
  context.keepSecret(choose.Session);
  const code = await answerChallenge(context.sandbox, context.cognito, choose, method);
  context.keepSecret(code.Session);
  expect(code.ChallengeParameters).toMatchObject({ challenge: 'CODE' });
}

async function waitForCooldown(user: SignedInUser): Promise<void> {
  const remaining = user.signedInAt + COOLDOWN_MS - Date.now();
  if (remaining > 0) await sleep(remaining);
}

describe("a user's own access token and the attributes it may write", () => {
  it('case 17: the app client lets users write no custom:* and no *_verified attribute (its WriteAttributes list is not empty, which would allow all)', () => {
    const pool = context.sandbox.app.userPools.find((candidate) => candidate.userPoolId === context.sandbox.info.userPoolId)!;
    const client = pool.clients.find((candidate) => candidate.clientId === context.sandbox.info.userPoolClientId)!;

    expect(client.writeAttributes.length).toBeGreaterThan(0);
    expect(client.writeAttributes.filter((name) => name.startsWith('custom:') || name.endsWith('_verified'))).toEqual([]);
  });

  it('case 17: UpdateUserAttributes with email_verified, phone_number_verified or custom:* is refused, alone or with allowed attributes, and the stored attributes are unchanged', async () => {
    // Given: a verified email, an unverified phone number, a given name
    const user = await signedInUser([{ Name: 'phone_number', Value: uniquePhone() }, { Name: 'phone_number_verified', Value: 'false' }, { Name: 'given_name', Value: 'Ada' }]);
    const before = await storedAttributes(user.username);
    const newEmail = uniqueEmail();

    // When
    const attempts: AttributeType[][] = [
      [{ Name: 'phone_number_verified', Value: 'true' }],
      [{ Name: 'email_verified', Value: 'false' }],
      [{ Name: 'email_verified', Value: 'true' }],
      [{ Name: 'custom:role', Value: 'admin' }],
      [{ Name: 'custom:tenant', Value: 'another-tenant' }],
      [{ Name: 'given_name', Value: 'Eve' }, { Name: 'phone_number_verified', Value: 'true' }],
      [{ Name: 'given_name', Value: 'Eve' }, { Name: 'custom:role', Value: 'admin' }],
      [{ Name: 'email', Value: newEmail }, { Name: 'email_verified', Value: 'true' }],
    ];
    const outcomes: (string | undefined)[] = [];
    for (const attributes of attempts) outcomes.push((await updateOwnAttributes(user, attributes))?.name);

    // Then: every one refused as a whole
    expect(outcomes).toEqual(attempts.map(() => expect.stringMatching(/^(NotAuthorizedException|InvalidParameterException)$/)));
    expect(await storedAttributes(user.username)).toEqual(before);
    expect(before).toMatchObject({ email_verified: 'true', phone_number_verified: 'false', given_name: 'Ada' });
    const claims = await refreshedClaims(user);
    expect(claims).toMatchObject({ email: user.email, email_verified: true, phone_number_verified: false, given_name: 'Ada' });
    expect(Object.keys(claims).filter((name) => name.startsWith('custom:'))).toEqual([]);
    expect(await messagesTo(context.sandbox, newEmail)).toBe(0);
  });

  it('case 17: POST /attributes takes no *_verified or custom:* field: 400, nothing stored, nothing sent', async () => {
    // Given
    const user = await signedInUser();
    const before = await storedAttributes(user.username);
    const newEmail = uniqueEmail();

    // When
    const bodies = [
      { emailVerified: true },
      { email_verified: 'true' },
      { phoneNumberVerified: true },
      { 'custom:role': 'admin' },
      { email: newEmail, emailVerified: true },
      { email: newEmail, email_verified: 'true' },
      { 'givenName': 'Eve', 'custom:role': 'admin' },
    ];
    const statuses: number[] = [];
    for (const body of bodies) statuses.push((await postAttributes(context.sandbox, user.accessToken, body)).status);

    // Then
    expect(statuses).toEqual(bodies.map(() => 400));
    expect(await storedAttributes(user.username)).toEqual(before);
    expect(await messagesTo(context.sandbox, newEmail)).toBe(0);
  });

  it('case 17: email and phone_number written with the own access token (where the app client allows it at all) bring no code or link to an unverified value, nor anything to a number outside the SMS allow-list', async () => {
    // Given
    const user = await signedInUser();
    const newEmail = uniqueEmail();
    const newPhone = uniquePhone();

    // When: the user writes them with Cognito's own API; each may be refused, or wait for verification
    const outside = await updateOwnAttributes(user, [{ Name: 'phone_number', Value: OUTSIDE_ALLOW_LIST }]);
    const phone = await updateOwnAttributes(user, [{ Name: 'phone_number', Value: newPhone }]);
    const email = await updateOwnAttributes(user, [{ Name: 'email', Value: newEmail }]);
    for (const refused of [outside, phone, email]) {
      if (refused) expect(refused.name).toMatch(/^(NotAuthorizedException|InvalidParameterException)$/);
    }
    // Cognito's own verification code may go to a new value the client may write; nothing else may, from here on.
    const verificationMessages = { email: await messagesTo(context.sandbox, newEmail), phone: await messagesTo(context.sandbox, newPhone) };
    expect(verificationMessages.email).toBeLessThanOrEqual(email ? 0 : 1);
    expect(verificationMessages.phone).toBeLessThanOrEqual(phone ? 0 : 1);

    // Then: nothing is verified that the user did not prove
    const stored = await storedAttributes(user.username);
    expect(stored).toMatchObject({ email: user.email, email_verified: 'true' });
    expect(stored.phone_number_verified ?? 'false').toBe('false');

    // When: sign-in codes and links are asked for the new values, outside the user's send cooldown
    await waitForCooldown(user);
    expect((await requestLink(context.sandbox, newEmail)).status).toBe(202);
    await requestSignInCode(newEmail, 'email-otp');
    await requestSignInCode(newPhone, 'sms-otp');
    await requestSignInCode(OUTSIDE_ALLOW_LIST, 'sms-otp');

    // Then: nothing more reached them, and nothing at all reached the number outside the allow-list
    expect(await messagesTo(context.sandbox, newEmail)).toBe(verificationMessages.email);
    expect(await messagesTo(context.sandbox, newPhone)).toBe(verificationMessages.phone);
    expect(await messagesTo(context.sandbox, OUTSIDE_ALLOW_LIST)).toBe(0);
    expect(await storedAttributes(user.username)).toMatchObject({ email: user.email, email_verified: 'true' });
  });
});
