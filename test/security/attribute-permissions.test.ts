// Adversarial case 17 (R19, with R18 and R21 for the identifiers): a signed-in user's own access token must not
// write `custom:*` or `*_verified` attributes through Cognito's UpdateUserAttributes (nor through POST /attributes),
// and whatever the app client lets it write of email and phone_number never makes a code or link go to an
// unverified value or to a number outside the SMS allow-list.
import { InitiateAuthCommand, UpdateUserAttributesCommand, type AttributeType } from '@aws-sdk/client-cognito-identity-provider';
import { signedInUser, storedAttributes, type SignedInUser } from './support/admin-users';
import { keepTokens } from './support/adversary';
import { claimsOf } from './support/link-landing';
import { afterCooldown, COOLDOWN_SECONDS } from './support/secret-use';
import { useSecuritySandbox } from './support/security-sandbox';
import { requestCode } from './support/sign-in-steps';
import { messagesTo, uniqueEmail, uniquePhone } from '../e2e/support/example-sandbox';
import { requestLink } from '../e2e/support/magic-links';
import { postAttributes } from '../e2e/support/sign-up-api';

jest.setTimeout(120_000);

// Without auto sign-up, so that an address no user holds gets nothing at all from POST /magic-link.
const context = useSecuritySandbox({
  example: { autoSignUp: false },
  functionEnvironment: { SEND_COOLDOWN_SECONDS: String(COOLDOWN_SECONDS), MAX_REQUESTS_PER_IP_PER_MINUTE: '1000' },
});

/** A number in a country outside the example's SMS allow-list (calling codes 1 and 44): France. */
const OUTSIDE_ALLOW_LIST = '+33612345678';

/** The claims of a fresh ID token (REFRESH_TOKEN_AUTH): what an app would trust now. */
async function refreshedClaims(user: SignedInUser): Promise<Record<string, unknown>> {
  const refreshed = await context.cognito.send(new InitiateAuthCommand({
    AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: context.sandbox.info.userPoolClientId, AuthParameters: { REFRESH_TOKEN: user.tokens.RefreshToken! },
  }));
  const result = refreshed.AuthenticationResult!;
  keepTokens(context, result);
  return claimsOf(result.IdToken!);
}

/** UpdateUserAttributes with the user's own access token; the error it failed with, or undefined if it was accepted. */
async function updateOwnAttributes(user: SignedInUser, attributes: AttributeType[]): Promise<Error | undefined> {
  try {
    await context.cognito.send(new UpdateUserAttributesCommand({ AccessToken: user.tokens.AccessToken, UserAttributes: attributes }));
    return undefined;
  } catch (error) {
    return error as Error;
  }
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
    const user = await signedInUser(context, [{ Name: 'phone_number', Value: uniquePhone() }, { Name: 'phone_number_verified', Value: 'false' }, { Name: 'given_name', Value: 'Ada' }]);
    const before = await storedAttributes(context, user.username);
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
    expect(await storedAttributes(context, user.username)).toEqual(before);
    expect(before).toMatchObject({ email_verified: 'true', phone_number_verified: 'false', given_name: 'Ada' });
    const claims = await refreshedClaims(user);
    expect(claims).toMatchObject({ email: user.email, email_verified: true, phone_number_verified: false, given_name: 'Ada' });
    expect(Object.keys(claims).filter((name) => name.startsWith('custom:'))).toEqual([]);
    expect(await messagesTo(context.sandbox, newEmail)).toBe(0);
  });

  it('case 17: POST /attributes takes no *_verified or custom:* field: 400, nothing stored, nothing sent', async () => {
    // Given
    const user = await signedInUser(context);
    const before = await storedAttributes(context, user.username);
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
    for (const body of bodies) statuses.push((await postAttributes(context.sandbox, user.tokens.AccessToken, body)).status);

    // Then
    expect(statuses).toEqual(bodies.map(() => 400));
    expect(await storedAttributes(context, user.username)).toEqual(before);
    expect(await messagesTo(context.sandbox, newEmail)).toBe(0);
  });

  it('case 17: email and phone_number written with the own access token (where the app client allows it at all) bring no code or link to an unverified value, nor anything to a number outside the SMS allow-list', async () => {
    // Given
    const user = await signedInUser(context);
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
    const stored = await storedAttributes(context, user.username);
    expect(stored).toMatchObject({ email: user.email, email_verified: 'true' });
    expect(stored.phone_number_verified ?? 'false').toBe('false');

    // When: sign-in codes and links are asked for the new values, outside the user's send cooldown
    await afterCooldown(user.signedInAt);
    expect((await requestLink(context.sandbox, newEmail)).status).toBe(202);
    await requestCode(context, newEmail, 'email-otp');
    await requestCode(context, newPhone, 'sms-otp');
    await requestCode(context, OUTSIDE_ALLOW_LIST, 'sms-otp');

    // Then: nothing more reached them, and nothing at all reached the number outside the allow-list
    expect(await messagesTo(context.sandbox, newEmail)).toBe(verificationMessages.email);
    expect(await messagesTo(context.sandbox, newPhone)).toBe(verificationMessages.phone);
    expect(await messagesTo(context.sandbox, OUTSIDE_ALLOW_LIST)).toBe(0);
    expect(await storedAttributes(context, user.username)).toMatchObject({ email: user.email, email_verified: 'true' });
  });
});
