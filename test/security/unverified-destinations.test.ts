// Adversarial case 16 (R18): someone holding a user's session changes the account's email address to one they read,
// never verifies it, and asks for a magic link or an email code for the old and the new address. No sign-in secret
// of that account may ever reach the unverified address; the old, verified address keeps working.
import { UpdateUserAttributesCommand, type AuthenticationResultType } from '@aws-sdk/client-cognito-identity-provider';
import { createUser, signedInUser, storedAttributes } from './support/admin-users';
import { keepTokens } from './support/adversary';
import { claimsOf } from './support/link-landing';
import { afterCooldown, COOLDOWN_SECONDS } from './support/secret-use';
import { useSecuritySandbox, type SecurityContext } from './support/security-sandbox';
import { requestCode } from './support/sign-in-steps';
import { answerChallenge, signInWithEmailCode, startSignIn } from '../e2e/support/custom-auth';
import { latestCode, messagesTo, uniqueEmail, uniquePhone } from '../e2e/support/example-sandbox';
import { emailsTo, newLink, redeemLink, requestLink, tokenOf } from '../e2e/support/magic-links';
import { postAttributes } from '../e2e/support/sign-up-api';

jest.setTimeout(150_000);

const functionEnvironment = { SEND_COOLDOWN_SECONDS: String(COOLDOWN_SECONDS), MAX_REQUESTS_PER_IP_PER_MINUTE: '1000' };

interface Account {
  readonly email: string;
  readonly username: string;
  readonly tokens: AuthenticationResultType;
  /** When the account's last code or link was sent: its send cooldown runs from here. */
  lastSendAt: number;
}

/** The steps every test here takes, bound to the file's sandbox. */
function steps(context: SecurityContext) {
  /** Waits out the account's send cooldown, so that a request that sends nothing does so for another reason. */
  const afterAccountCooldown = (account: Account) => afterCooldown(account.lastSendAt);

  /** No email to `address` carries a link, and none arrived beyond the `expected` ones. */
  const expectNoSignInSecretAt = async (address: string, expected: number): Promise<void> => {
    const emails = await emailsTo(context.sandbox, address);
    expect(emails.filter((email) => /https?:\/\//.test(email.text))).toEqual([]);
    expect(await messagesTo(context.sandbox, address)).toBe(expected);
  };

  /** InitiateAuth and the `email-otp` choice for `identifier`; the USERNAME Cognito's challenge named. */
  const requestEmailCode = async (identifier: string): Promise<string> => {
    const { choose } = await requestCode(context, identifier, 'email-otp');
    return choose.ChallengeParameters!.USERNAME;
  };

  return {
    afterCooldown: afterAccountCooldown,

    /** A user with a verified email address, created as an admin would, signed in with an emailed code. */
    async signedInAccount(): Promise<Account> {
      const { signedInAt, ...user } = await signedInUser(context);
      return { ...user, lastSendAt: signedInAt };
    },

    storedAttributes: (username: string) => storedAttributes(context, username),

    requestEmailCode,

    /**
     * Outside the account's send cooldown, a link (which must be answered 202) and an email code are asked for
     * `address`: the USERNAME the code challenge named.
     */
    async askForLinkAndCode(account: Account, address: string): Promise<string> {
      await afterAccountCooldown(account);
      expect((await requestLink(context.sandbox, address)).status).toBe(202);
      return requestEmailCode(address);
    },

    /**
     * The old, verified address still works both ways: a link sent to it signs in to the account, and after the
     * cooldown so does a code sent to it; meanwhile nothing more reached `newAddress` (see `expectNoSignInSecretAt`).
     */
    async expectOldAddressSignsIn(account: Account, newAddress: string, expectedAtNew: number): Promise<void> {
      await afterAccountCooldown(account);
      const link = await newLink(context.sandbox, account.email);
      account.lastSendAt = Date.now();
      context.keepSecret(tokenOf(link));
      const redeemed = await redeemLink(context.sandbox, context.cognito, account.email, tokenOf(link));
      keepTokens(context, redeemed.AuthenticationResult);
      expect(claimsOf(redeemed.AuthenticationResult!.IdToken!)).toMatchObject({ sub: account.username, email: account.email });

      await afterAccountCooldown(account);
      const byCode = await signInWithEmailCode(context.sandbox, context.cognito, account.email, account.username);
      account.lastSendAt = Date.now();
      keepTokens(context, byCode);
      expect(claimsOf(byCode.IdToken!)).toMatchObject({ sub: account.username, email: account.email, email_verified: true });
      await expectNoSignInSecretAt(newAddress, expectedAtNew);
    },

    expectNoSignInSecretAt,
  };
}

describe('without auto sign-up: an address no user holds gets nothing at all', () => {
  const context = useSecuritySandbox({ example: { autoSignUp: false }, functionEnvironment });
  const step = steps(context);

  it('case 16: an email change started with POST /attributes and never verified: links and codes asked for the new or the old address reach only the old one, which still signs in', async () => {
    // Given: the change is started, and its verification code went to the new address
    const account = await step.signedInAccount();
    const newEmail = uniqueEmail();
    const started = await postAttributes(context.sandbox, account.tokens.AccessToken, { email: newEmail });
    expect(started.status).toBe(202);
    const verificationMessages = await messagesTo(context.sandbox, newEmail);
    expect(verificationMessages).toBe(1);
    context.keepSecret(await latestCode(context.sandbox, newEmail));
    expect(await step.storedAttributes(account.username)).toMatchObject({ email: account.email, email_verified: 'true' });

    // When: a link and an email code are asked for the new address, outside the account's send cooldown
    const namedUser = await step.askForLinkAndCode(account, newEmail);

    // Then: the new address names no account and gets nothing
    expect(namedUser).not.toBe(account.username);
    await step.expectNoSignInSecretAt(newEmail, verificationMessages);

    // Then: the old address still gets a link and a code, and both sign in; the new one still got nothing
    await step.expectOldAddressSignsIn(account, newEmail, verificationMessages);
    expect(await step.storedAttributes(account.username)).toMatchObject({ email: account.email, email_verified: 'true' });
  });

  it("case 16: an email change through Cognito's UpdateUserAttributes with the user's access token (where the app client allows it) is not a destination until verified", async () => {
    // Given: the change is made with Cognito's own API, if the app client lets the user write email at all
    const account = await step.signedInAccount();
    const newEmail = uniqueEmail();
    const refused = await context.cognito.send(new UpdateUserAttributesCommand({
      AccessToken: account.tokens.AccessToken, UserAttributes: [{ Name: 'email', Value: newEmail }],
    })).then(() => undefined, (error: Error) => error);
    if (refused) expect(refused.name).toBe('NotAuthorizedException');
    // Cognito's own verification code is the only message the new address may get.
    const verificationMessages = await messagesTo(context.sandbox, newEmail);
    expect(verificationMessages).toBe(refused ? 0 : 1);
    if (!refused) context.keepSecret(await latestCode(context.sandbox, newEmail));
    expect(await step.storedAttributes(account.username)).toMatchObject({ email: account.email, email_verified: 'true' });

    // When
    const namedUser = await step.askForLinkAndCode(account, newEmail);

    // Then
    expect(namedUser).not.toBe(account.username);
    await step.expectNoSignInSecretAt(newEmail, verificationMessages);
    await step.expectOldAddressSignsIn(account, newEmail, verificationMessages);
  });

  it('case 16: an email address the pool holds unverified (where a pool does not keep the original until verification) gets no link and no code; the verified phone number still signs in', async () => {
    // Given: the account's email is unverified, its phone number verified
    const email = uniqueEmail();
    const phone = uniquePhone();
    const username = await createUser(context, email, [
      { Name: 'email_verified', Value: 'false' }, { Name: 'phone_number', Value: phone }, { Name: 'phone_number_verified', Value: 'true' },
    ]);
    const account: Account = { email, username, tokens: {}, lastSendAt: 0 };

    // When: a link, then (outside the cooldown the request starts) an email code, are asked for the unverified address
    expect((await requestLink(context.sandbox, email)).status).toBe(202);
    account.lastSendAt = Date.now();
    await step.afterCooldown(account);
    const namedUser = await step.requestEmailCode(email);
    account.lastSendAt = Date.now();

    // Then: the address names the account, yet nothing reached it
    expect(namedUser).toBe(account.username);
    await step.expectNoSignInSecretAt(email, 0);

    // Then: the verified phone number still signs in to the account
    await step.afterCooldown(account);
    const choose = await startSignIn(context.sandbox, context.cognito, phone);
    const challenge = await answerChallenge(context.sandbox, context.cognito, choose, 'sms-otp');
    const done = await answerChallenge(context.sandbox, context.cognito, challenge, await latestCode(context.sandbox, phone));
    context.keepSecret(choose.Session, challenge.Session);
    keepTokens(context, done.AuthenticationResult);
    expect(claimsOf(done.AuthenticationResult!.IdToken!)).toMatchObject({ sub: account.username, phone_number_verified: true });
    await step.expectNoSignInSecretAt(email, 0);
  });
});

describe("with auto sign-up (the example's default): the new address may only sign up a separate account", () => {
  const context = useSecuritySandbox({ functionEnvironment });
  const step = steps(context);

  it('case 16: a link asked for an address whose change is pending creates and signs in a new account, never the account being changed', async () => {
    // Given
    const account = await step.signedInAccount();
    const newEmail = uniqueEmail();
    expect((await postAttributes(context.sandbox, account.tokens.AccessToken, { email: newEmail })).status).toBe(202);
    context.keepSecret(await latestCode(context.sandbox, newEmail));

    // When: a link is asked for the new address, and whatever arrives there is used
    expect((await requestLink(context.sandbox, newEmail)).status).toBe(202);
    const links = (await emailsTo(context.sandbox, newEmail)).flatMap((email) => /https?:\/\/\S+/.exec(email.text) ?? []);
    links.forEach((link) => context.keepSecret(tokenOf(link)));
    const redeemed = await Promise.all(links.map((link) => redeemLink(context.sandbox, context.cognito, newEmail, tokenOf(link))));
    redeemed.forEach((done) => keepTokens(context, done.AuthenticationResult));

    // Then: the one link (auto sign-up's) signed in to another account, and the changing one keeps its verified address
    expect(links).toHaveLength(1);
    const signedInTo = claimsOf(redeemed[0].AuthenticationResult!.IdToken!);
    expect(signedInTo).toMatchObject({ email: newEmail, sub: expect.any(String) });
    expect(signedInTo.sub).not.toBe(account.username);
    expect(await step.requestEmailCode(newEmail)).not.toBe(account.username);
    expect(await step.storedAttributes(account.username)).toMatchObject({ email: account.email, email_verified: 'true' });
  });
});
