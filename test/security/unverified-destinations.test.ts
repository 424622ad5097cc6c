// Adversarial case 16 (R18): someone holding a user's session changes the account's email address to one they read,
// never verifies it, and asks for a magic link or an email code for the old and the new address. No sign-in secret
// of that account may ever reach the unverified address; the old, verified address keeps working.
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  UpdateUserAttributesCommand,
  type AuthenticationResultType,
} from '@aws-sdk/client-cognito-identity-provider';
import { claimsOf } from './support/link-landing';
import { useSecuritySandbox, type SecurityContext } from './support/security-sandbox';
import { answerChallenge, signInWithEmailCode, startSignIn } from '../e2e/support/custom-auth';
import { latestCode, messagesTo, uniqueEmail, uniquePhone } from '../e2e/support/example-sandbox';
import { emailsTo, newLink, redeemLink, requestLink, sleep, tokenOf } from '../e2e/support/magic-links';
import { postAttributes } from '../e2e/support/sign-up-api';

jest.setTimeout(150_000);

/** The send cooldown the file runs with (the shortest the handlers accept), and a little more. */
const COOLDOWN_SECONDS = 10;
const COOLDOWN_MS = COOLDOWN_SECONDS * 1000 + 500;
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
  const keepTokens = (result: AuthenticationResultType | undefined) =>
    context.keepSecret(result?.AccessToken, result?.IdToken, result?.RefreshToken);

  /** Waits out the account's send cooldown, so that a request that sends nothing does so for another reason. */
  const afterCooldown = async (account: Account) => {
    const remaining = account.lastSendAt + COOLDOWN_MS - Date.now();
    if (remaining > 0) await sleep(remaining);
  };

  return {
    keepTokens,
    afterCooldown,

    /** A user with a verified email address, created as an admin would, signed in with an emailed code. */
    async signedInAccount(): Promise<Account> {
      const email = uniqueEmail();
      const created = await context.cognito.send(new AdminCreateUserCommand({
        UserPoolId: context.sandbox.info.userPoolId,
        Username: email,
        UserAttributes: [{ Name: 'email', Value: email }, { Name: 'email_verified', Value: 'true' }],
        MessageAction: 'SUPPRESS',
      }));
      const username = created.User!.Username!;
      const lastSendAt = Date.now();
      const tokens = await signInWithEmailCode(context.sandbox, context.cognito, email, username);
      keepTokens(tokens);
      return { email, username, tokens, lastSendAt };
    },

    async storedAttributes(username: string): Promise<Record<string, string>> {
      const user = await context.cognito.send(new AdminGetUserCommand({ UserPoolId: context.sandbox.info.userPoolId, Username: username }));
      return Object.fromEntries(user.UserAttributes!.map((attribute) => [attribute.Name!, attribute.Value!]));
    },

    /** InitiateAuth and the `email-otp` choice for `identifier`; the USERNAME Cognito's challenge named. */
    async requestEmailCode(identifier: string): Promise<string> {
      const choose = await startSignIn(context.sandbox, context.cognito, identifier);
      const code = await answerChallenge(context.sandbox, context.cognito, choose, 'email-otp');
      context.keepSecret(choose.Session, code.Session);
      expect(code.ChallengeParameters).toMatchObject({ challenge: 'CODE' });
      return choose.ChallengeParameters!.USERNAME;
    },

    /**
     * The old, verified address still works both ways: a link sent to it signs in to the account, and after the
     * cooldown so does a code sent to it.
     */
    async expectOldAddressSignsIn(account: Account): Promise<void> {
      await afterCooldown(account);
      const link = await newLink(context.sandbox, account.email);
      account.lastSendAt = Date.now();
      context.keepSecret(tokenOf(link));
      const redeemed = await redeemLink(context.sandbox, context.cognito, account.email, tokenOf(link));
      keepTokens(redeemed.AuthenticationResult);
      expect(claimsOf(redeemed.AuthenticationResult!.IdToken!)).toMatchObject({ sub: account.username, email: account.email });

      await afterCooldown(account);
      const byCode = await signInWithEmailCode(context.sandbox, context.cognito, account.email, account.username);
      account.lastSendAt = Date.now();
      keepTokens(byCode);
      expect(claimsOf(byCode.IdToken!)).toMatchObject({ sub: account.username, email: account.email, email_verified: true });
    },

    /** No email to `address` carries a link, and none arrived beyond the `expected` ones. */
    async expectNoSignInSecretAt(address: string, expected: number): Promise<void> {
      const emails = await emailsTo(context.sandbox, address);
      expect(emails.filter((email) => /https?:\/\//.test(email.text))).toEqual([]);
      expect(await messagesTo(context.sandbox, address)).toBe(expected);
    },
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
    await step.afterCooldown(account);
    expect((await requestLink(context.sandbox, newEmail)).status).toBe(202);
    const namedUser = await step.requestEmailCode(newEmail);

    // Then: the new address names no account and gets nothing
    expect(namedUser).not.toBe(account.username);
    await step.expectNoSignInSecretAt(newEmail, verificationMessages);

    // Then: the old address still gets a link and a code, and both sign in; the new one still got nothing
    await step.expectOldAddressSignsIn(account);
    await step.expectNoSignInSecretAt(newEmail, verificationMessages);
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
    await step.afterCooldown(account);
    expect((await requestLink(context.sandbox, newEmail)).status).toBe(202);
    const namedUser = await step.requestEmailCode(newEmail);

    // Then
    expect(namedUser).not.toBe(account.username);
    await step.expectNoSignInSecretAt(newEmail, verificationMessages);
    await step.expectOldAddressSignsIn(account);
    await step.expectNoSignInSecretAt(newEmail, verificationMessages);
  });

  it('case 16: an email address the pool holds unverified (where a pool does not keep the original until verification) gets no link and no code; the verified phone number still signs in', async () => {
    // Given: the account's email is unverified, its phone number verified
    const email = uniqueEmail();
    const phone = uniquePhone();
    const created = await context.cognito.send(new AdminCreateUserCommand({
      UserPoolId: context.sandbox.info.userPoolId,
      Username: email,
      UserAttributes: [
        { Name: 'email', Value: email }, { Name: 'email_verified', Value: 'false' },
        { Name: 'phone_number', Value: phone }, { Name: 'phone_number_verified', Value: 'true' },
      ],
      MessageAction: 'SUPPRESS',
    }));
    const account: Account = { email, username: created.User!.Username!, tokens: {}, lastSendAt: 0 };

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
    step.keepTokens(done.AuthenticationResult);
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
    redeemed.forEach((done) => step.keepTokens(done.AuthenticationResult));

    // Then: the one link (auto sign-up's) signed in to another account, and the changing one keeps its verified address
    expect(links).toHaveLength(1);
    const signedInTo = claimsOf(redeemed[0].AuthenticationResult!.IdToken!);
    expect(signedInTo).toMatchObject({ email: newEmail, sub: expect.any(String) });
    expect(signedInTo.sub).not.toBe(account.username);
    expect(await step.requestEmailCode(newEmail)).not.toBe(account.username);
    expect(await step.storedAttributes(account.username)).toMatchObject({ email: account.email, email_verified: 'true' });
  });
});
