// Adding and changing an email address or phone number end to end through the sandbox, with the example app's
// MagicLinkApi (attributeUpdates on): POST /attributes and /attributes/verify over HTTP with the user's access
// token, codes read from the outbox, the takeover attempt, and claims after a refresh.
import { AdminGetUserCommand, GetUserCommand, RevokeTokenCommand, type CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { answerChallenge, startSignIn } from './support/custom-auth';
import { cognitoClient, latestCode, messagesTo, seedUser, startExampleSandbox, uniqueEmail, uniquePhone } from './support/example-sandbox';
import { sleep } from './support/magic-links';
import { postAttributeCode, postAttributes, secretsSent, signUpClient, startApiSignIn } from './support/sign-up-api';
import { tokenVerifiers } from './support/token-verifiers';
import type { Sandbox } from '../../sandbox/start';

jest.setTimeout(90_000);

/** The shortest send cooldown the handlers accept (per user), and a little more. */
const COOLDOWN_SECONDS = 10;
const COOLDOWN_MS = COOLDOWN_SECONDS * 1000 + 500;

let sandbox: Sandbox;
let cognito: CognitoIdentityProviderClient;
let client: ReturnType<typeof signUpClient>;
/** Every line the functions logged, to check that none carries a code or a token. */
const functionLogs: string[] = [];

beforeAll(async () => {
  sandbox = await startExampleSandbox({
    onLog: (functionName, line) => functionLogs.push(`${functionName} ${line}`),
    // Every request here comes from 127.0.0.1; the per-address limit is tested in the handler tests.
    functionEnvironment: { SEND_COOLDOWN_SECONDS: String(COOLDOWN_SECONDS), MAX_REQUESTS_PER_IP_PER_MINUTE: '1000', LOG_LEVEL: 'debug' },
  });
  cognito = cognitoClient(sandbox);
  client = signUpClient(sandbox, cognito, await tokenVerifiers(sandbox));
}, 120_000);

afterAll(async () => {
  cognito?.destroy();
  await sandbox?.stop();
});

describe('adding and changing an email address or phone number', () => {
  test('a phone number added and verified with the code sent to it signs in to the same account; refreshed claims show it', async () => {
    // Given
    const { username, tokens } = await client.signedInUser();
    const phone = uniquePhone();

    // When
    const added = await postAttributes(sandbox, tokens.AccessToken, { phoneNumber: phone, givenName: 'Ada', familyName: 'Lovelace' });

    // Then the code went to the new number, which is not on the account yet
    expect(added.status).toBe(202);
    expect(await added.json()).toMatchObject({ attribute: 'phone_number' });
    expect(await messagesTo(sandbox, phone)).toBe(1);
    const before = await cognito.send(new GetUserCommand({ AccessToken: tokens.AccessToken }));
    expect(before.UserAttributes!.find((attribute) => attribute.Name === 'phone_number')).toBeUndefined();

    // When verified
    const verified = await postAttributeCode(sandbox, tokens.AccessToken, { phoneNumber: phone, code: await latestCode(sandbox, phone) });

    // Then
    expect(verified.status).toBe(200);
    const claims = await client.idClaims(await client.refreshed(tokens));
    expect(claims).toMatchObject({ phone_number: phone, phone_number_verified: true, given_name: 'Ada', family_name: 'Lovelace' });
    await sleep(COOLDOWN_MS); // since the sign-in that gave `tokens`
    const byPhone = await client.idClaims(await client.signInThroughApi(phone, 'sms'));
    expect(byPhone['cognito:username']).toBe(username);
  });

  test('a wrong code leaves the new value unverified and unusable, the old one still works', async () => {
    // Given
    const { email, username, tokens } = await client.signedInUser();
    const phone = uniquePhone();
    expect((await postAttributes(sandbox, tokens.AccessToken, { phoneNumber: phone })).status).toBe(202);
    const sent = await latestCode(sandbox, phone);
    const wrong = sent === '000000' ? '111111' : '000000';

    // When
    const response = await postAttributeCode(sandbox, tokens.AccessToken, { phoneNumber: phone, code: wrong });

    // Then
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toMatch(/stays unverified/);
    const user = await cognito.send(new AdminGetUserCommand({ UserPoolId: sandbox.info.userPoolId, Username: username }));
    expect(user.UserAttributes!.find((attribute) => attribute.Name === 'phone_number')).toBeUndefined();
    expect(await client.usersWith('phone_number', phone)).toHaveLength(0);
    expect((await client.idClaims(await client.refreshed(tokens))).email).toBe(email);
  });

  test('a sign-in code does not verify an attribute, and an attribute code does not sign in', async () => {
    // Given a pending phone change, and a sign-in code of the same user
    const { email, username, tokens } = await client.signedInUser();
    const phone = uniquePhone();
    expect((await postAttributes(sandbox, tokens.AccessToken, { phoneNumber: phone })).status).toBe(202);
    const attributeCode = await latestCode(sandbox, phone);
    const signInCode = await latestCode(sandbox, email);

    // When / Then: the sign-in code at /attributes/verify
    expect((await postAttributeCode(sandbox, tokens.AccessToken, { phoneNumber: phone, code: signInCode })).status).toBe(400);

    // When / Then: the attribute code as a sign-in answer
    await sleep(COOLDOWN_MS);
    const choose = await startSignIn(sandbox, cognito, email);
    expect(choose.ChallengeParameters!.USERNAME).toBe(username);
    const challenge = await answerChallenge(sandbox, cognito, choose, 'email-otp');
    const answered = await answerChallenge(sandbox, cognito, challenge, attributeCode);
    expect(answered.AuthenticationResult).toBeUndefined();
  });

  test("user A adding user B's verified email fails, and B still signs in to B's own account", async () => {
    // Given
    const a = await client.signedInUser();
    const bEmail = uniqueEmail();
    const bUsername = await seedUser(sandbox, { email: bEmail });

    // When A asks to add B's address: a code goes to B's mailbox, which A cannot read
    const added = await postAttributes(sandbox, a.tokens.AccessToken, { email: bEmail });
    expect(added.status).toBe(202);
    const guessed = await postAttributeCode(sandbox, a.tokens.AccessToken, { email: bEmail, code: '123456' });

    // Then
    expect(guessed.status).toBe(400);

    // When A even holds the right code (as if A could read B's mail)
    await sleep(COOLDOWN_MS);
    expect((await postAttributes(sandbox, a.tokens.AccessToken, { email: bEmail })).status).toBe(202);
    const withCode = await postAttributeCode(sandbox, a.tokens.AccessToken, { email: bEmail, code: await latestCode(sandbox, bEmail) });

    // Then the takeover is refused, A keeps A's email, and B's address still signs in to B
    expect(withCode.status).toBe(409);
    expect(await withCode.json()).toEqual({ message: 'This email address belongs to another account.', attribute: 'email' });
    expect((await client.idClaims(await client.refreshed(a.tokens))).email).toBe(a.email);
    await sleep(COOLDOWN_MS);
    const b = await client.idClaims(await client.signInThroughApi(bEmail, 'email'));
    expect(b['cognito:username']).toBe(bUsername);
    expect(await client.usersWith('email', bEmail)).toHaveLength(1);
  });

  test('an address that only an unfinished sign-up holds can be added by the person who proves it', async () => {
    // Given a sign-up of the address that was never completed
    const a = await client.signedInUser();
    const address = uniqueEmail();
    const abandoned = await startApiSignIn(sandbox, address, 'email');
    await sleep(COOLDOWN_MS);

    // When A adds and verifies it
    expect((await postAttributes(sandbox, a.tokens.AccessToken, { email: address })).status).toBe(202);
    const verified = await postAttributeCode(sandbox, a.tokens.AccessToken, { email: address, code: await latestCode(sandbox, address) });

    // Then
    expect(verified.status).toBe(200);
    const [holder] = await client.usersWith('email', address);
    expect(holder.Username).toBe(a.username);
    expect(holder.Username).not.toBe(abandoned.challengeParameters.USERNAME);
  });

  test('without a valid access token nothing is sent: missing, garbage and revoked tokens get 401', async () => {
    // Given
    const { tokens } = await client.signedInUser();
    const phone = uniquePhone();
    await cognito.send(new RevokeTokenCommand({ ClientId: sandbox.info.userPoolClientId, Token: tokens.RefreshToken }));

    // When
    const statuses = [
      (await postAttributes(sandbox, undefined, { phoneNumber: phone })).status,
      (await postAttributes(sandbox, 'not-a-token', { phoneNumber: phone })).status,
      (await postAttributes(sandbox, tokens.AccessToken, { phoneNumber: phone })).status,
      (await postAttributeCode(sandbox, tokens.AccessToken, { phoneNumber: phone, code: '123456' })).status,
    ];

    // Then
    expect(statuses).toEqual([401, 401, 401, 401]);
    expect(await messagesTo(sandbox, phone)).toBe(0);
  });
});

test('no function logged, at debug level, a code or link that was sent, an address, or a token', async () => {
  const secrets = await secretsSent(sandbox, client.issuedTokens);
  expect(secrets.length).toBeGreaterThan(10);
  expect(functionLogs.length).toBeGreaterThan(0);
  expect(functionLogs.filter((line) => secrets.some((secret) => line.includes(secret)))).toEqual([]);
});
