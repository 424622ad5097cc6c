// Adding and changing an email address or phone number end to end through the sandbox, with the example app's
// MagicLinkApi (attributeUpdates on): POST /attributes and /attributes/verify over HTTP with the user's access
// token, codes read from the outbox, the takeover attempt, and claims after a refresh.
import { AdminGetUserCommand, GetUserCommand, RevokeTokenCommand } from '@aws-sdk/client-cognito-identity-provider';
import { answerChallenge, startSignIn } from './support/custom-auth';
import { latestCode, messagesTo, seedUser, uniqueEmail, uniquePhone } from './support/example-sandbox';
import { sleep } from './support/magic-links';
import { COOLDOWN_MS, expectNoSecretsLogged, postAttributeCode, postAttributes, startApiSignIn, useSignUpSandbox } from './support/sign-up-api';

jest.setTimeout(90_000);

const context = useSignUpSandbox();

describe('adding and changing an email address or phone number', () => {
  test('a phone number added and verified with the code sent to it signs in to the same account; refreshed claims show it', async () => {
    // Given
    const { username, tokens } = await context.client.signedInUser();
    const phone = uniquePhone();

    // When
    const added = await postAttributes(context.sandbox, tokens.AccessToken, { phoneNumber: phone, givenName: 'Ada', familyName: 'Lovelace' });

    // Then the code went to the new number, which is not on the account yet
    expect(added.status).toBe(202);
    expect(await added.json()).toMatchObject({ attribute: 'phone_number' });
    expect(await messagesTo(context.sandbox, phone)).toBe(1);
    const before = await context.cognito.send(new GetUserCommand({ AccessToken: tokens.AccessToken }));
    expect(before.UserAttributes!.find((attribute) => attribute.Name === 'phone_number')).toBeUndefined();

    // When verified
    const verifiedCode = await latestCode(context.sandbox, phone);
    const verified = await postAttributeCode(context.sandbox, tokens.AccessToken, { phoneNumber: phone, code: verifiedCode });

    // Then
    expect(verified.status).toBe(200);
    const claims = await context.client.idClaims(await context.client.refreshed(tokens));
    expect(claims).toMatchObject({ phone_number: phone, phone_number_verified: true, given_name: 'Ada', family_name: 'Lovelace' });
    await sleep(COOLDOWN_MS); // since the sign-in that gave `tokens`
    const byPhone = await context.client.idClaims(await context.client.signInThroughApi(phone, 'sms'));
    expect(byPhone['cognito:username']).toBe(username);
  });

  test('a wrong code leaves the new value unverified and unusable, the old one still works', async () => {
    // Given
    const { email, username, tokens } = await context.client.signedInUser();
    const phone = uniquePhone();
    expect((await postAttributes(context.sandbox, tokens.AccessToken, { phoneNumber: phone })).status).toBe(202);
    const sent = await latestCode(context.sandbox, phone);
    const wrong = sent === '000000' ? '111111' : '000000';

    // When
    const response = await postAttributeCode(context.sandbox, tokens.AccessToken, { phoneNumber: phone, code: wrong });

    // Then
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toMatch(/stays unverified/);
    const user = await context.cognito.send(new AdminGetUserCommand({ UserPoolId: context.sandbox.info.userPoolId, Username: username }));
    expect(user.UserAttributes!.find((attribute) => attribute.Name === 'phone_number')).toBeUndefined();
    expect(await context.client.usersWith('phone_number', phone)).toHaveLength(0);
    expect((await context.client.idClaims(await context.client.refreshed(tokens))).email).toBe(email);
  });

  test('a sign-in code does not verify an attribute, and an attribute code does not sign in', async () => {
    // Given a pending phone change, and a sign-in code of the same user
    const { email, username, tokens } = await context.client.signedInUser();
    const phone = uniquePhone();
    expect((await postAttributes(context.sandbox, tokens.AccessToken, { phoneNumber: phone })).status).toBe(202);
    const attributeCode = await latestCode(context.sandbox, phone);
    const signInCode = await latestCode(context.sandbox, email);

    // When / Then: the sign-in code at /attributes/verify
    expect((await postAttributeCode(context.sandbox, tokens.AccessToken, { phoneNumber: phone, code: signInCode })).status).toBe(400);

    // When / Then: the attribute code as a sign-in answer
    await sleep(COOLDOWN_MS);
    const choose = await startSignIn(context.sandbox, context.cognito, email);
    expect(choose.ChallengeParameters!.USERNAME).toBe(username);
    const challenge = await answerChallenge(context.sandbox, context.cognito, choose, 'email-otp');
    const answered = await answerChallenge(context.sandbox, context.cognito, challenge, attributeCode);
    expect(answered.AuthenticationResult).toBeUndefined();
  });

  test("user A adding user B's verified email fails, and B still signs in to B's own account", async () => {
    // Given
    const a = await context.client.signedInUser();
    const bEmail = uniqueEmail();
    const bUsername = await seedUser(context.sandbox, { email: bEmail });

    // When A asks to add B's address: a code goes to B's mailbox, which A cannot read
    const added = await postAttributes(context.sandbox, a.tokens.AccessToken, { email: bEmail });
    expect(added.status).toBe(202);
    const guessed = await postAttributeCode(context.sandbox, a.tokens.AccessToken, { email: bEmail, code: '123456' });

    // Then
    expect(guessed.status).toBe(400);

    // When A even holds the right code (as if A could read B's mail)
    await sleep(COOLDOWN_MS);
    expect((await postAttributes(context.sandbox, a.tokens.AccessToken, { email: bEmail })).status).toBe(202);
    const withCodeCode = await latestCode(context.sandbox, bEmail);
    const withCode = await postAttributeCode(context.sandbox, a.tokens.AccessToken, { email: bEmail, code: withCodeCode });

    // Then the takeover is refused, A keeps A's email, and B's address still signs in to B
    expect(withCode.status).toBe(409);
    expect(await withCode.json()).toEqual({ message: 'This email address belongs to another account.', attribute: 'email' });
    expect((await context.client.idClaims(await context.client.refreshed(a.tokens))).email).toBe(a.email);
    await sleep(COOLDOWN_MS);
    const b = await context.client.idClaims(await context.client.signInThroughApi(bEmail, 'email'));
    expect(b['cognito:username']).toBe(bUsername);
    expect(await context.client.usersWith('email', bEmail)).toHaveLength(1);
  });

  test('an address that only an unfinished sign-up holds can be added by the person who proves it', async () => {
    // Given a sign-up of the address that was never completed
    const a = await context.client.signedInUser();
    const address = uniqueEmail();
    const abandoned = await startApiSignIn(context.sandbox, address, 'email');
    await sleep(COOLDOWN_MS);

    // When A adds and verifies it
    expect((await postAttributes(context.sandbox, a.tokens.AccessToken, { email: address })).status).toBe(202);
    const verifiedCode = await latestCode(context.sandbox, address);
    const verified = await postAttributeCode(context.sandbox, a.tokens.AccessToken, { email: address, code: verifiedCode });

    // Then
    expect(verified.status).toBe(200);
    const [holder] = await context.client.usersWith('email', address);
    expect(holder.Username).toBe(a.username);
    expect(holder.Username).not.toBe(abandoned.challengeParameters.USERNAME);
  });

  test('without a valid access token nothing is sent: missing, garbage and revoked tokens get 401', async () => {
    // Given
    const { tokens } = await context.client.signedInUser();
    const phone = uniquePhone();
    await context.cognito.send(new RevokeTokenCommand({ ClientId: context.sandbox.info.userPoolClientId, Token: tokens.RefreshToken }));

    // When
    const statuses = [
      (await postAttributes(context.sandbox, undefined, { phoneNumber: phone })).status,
      (await postAttributes(context.sandbox, 'not-a-token', { phoneNumber: phone })).status,
      (await postAttributes(context.sandbox, tokens.AccessToken, { phoneNumber: phone })).status,
      (await postAttributeCode(context.sandbox, tokens.AccessToken, { phoneNumber: phone, code: '123456' })).status,
    ];

    // Then
    expect(statuses).toEqual([401, 401, 401, 401]);
    expect(await messagesTo(context.sandbox, phone)).toBe(0);
  });
});

test('no function logged, at debug level, a code or link that was sent, an address, or a token', async () => {
  await expectNoSecretsLogged(context);
});
