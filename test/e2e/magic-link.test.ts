// Magic links end to end through the sandbox, with the example app's MagicLinkApi: POST /magic-link over
// HTTP, the email in the outbox, and the sign-in with the AWS SDK v3 and with Amplify v6 in Node.
import { NotAuthorizedException, type CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { confirmSignIn, fetchAuthSession, signIn, signOut } from 'aws-amplify/auth';
import { configureAmplify } from './support/amplify';
import { answerChallenge, startSignIn } from './support/custom-auth';
import { seedUser, startExampleSandbox, uniqueEmail } from './support/example-sandbox';
import {
  countingCognitoClient,
  emailsTo,
  flipCharacter,
  linkPayload,
  newLink,
  redeemLink,
  requestLink,
  sleep,
  tokenOf,
  totalInvocations,
} from './support/magic-links';
import { tokenVerifiers } from './support/token-verifiers';
import type { Sandbox } from '../../sandbox/start';

jest.setTimeout(90_000);

/** The shortest cooldown the handlers accept, so that the newer-link test waits 10 s, not the default 60. */
const COOLDOWN_SECONDS = 10;
const ACCEPTED = { message: 'If that address can sign in, a link is on its way.' };

let sandbox: Sandbox;
let cognito: CognitoIdentityProviderClient;
/** Every line the functions logged, to check that none carries a link or a token. */
const functionLogs: string[] = [];

beforeAll(async () => {
  sandbox = await startExampleSandbox({
    // The behaviour without auto sign-up (unknown addresses get nothing); sign-up.test.ts covers it with.
    example: { autoSignUp: false },
    onLog: (functionName, line) => functionLogs.push(`${functionName} ${line}`),
    // Every request here comes from 127.0.0.1; the per-address limit has its own test (magic-link-expiry.test.ts).
    functionEnvironment: { SEND_COOLDOWN_SECONDS: String(COOLDOWN_SECONDS), MAX_REQUESTS_PER_IP_PER_MINUTE: '1000' },
  });
  cognito = countingCognitoClient(sandbox).client;
  configureAmplify(sandbox);
}, 120_000);

afterAll(async () => {
  cognito?.destroy();
  await sandbox?.stop();
});

/** A new user with a verified email address; the send cooldown is per user, so most tests take their own. */
async function newUser(): Promise<{ email: string; username: string }> {
  const email = uniqueEmail();
  return { email, username: await seedUser(sandbox, { email }) };
}

async function expectRefused(promise: Promise<unknown>): Promise<void> {
  await expect(promise).rejects.toBeInstanceOf(NotAuthorizedException);
}

describe('requesting a link', () => {
  test('202, then an email whose link is short, leads to an allowed redirect URI and carries the token only after "#"', async () => {
    // Given
    const { email } = await newUser();

    // When
    const response = await requestLink(sandbox, email);

    // Then
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual(ACCEPTED);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('cache-control')).toBe('no-store');
    const [mail] = await emailsTo(sandbox, email);
    expect(mail).toMatchObject({ from: 'no-reply@example.com', subject: 'Your sign-in link' });
    const link = /https?:\/\/\S+/.exec(mail.text ?? '')![0];
    const [beforeFragment, token] = link.split('#');
    expect(link.length).toBeLessThan(300);
    expect(sandbox.info.redirectUris).toContain(beforeFragment);
    expect(beforeFragment).not.toContain('?');
    expect(beforeFragment).not.toContain(token);
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{86}$/);
    // Exactly the contract's size: base64url of 21 header bytes plus the address, '.', a 64-byte signature.
    expect(link.length).toBe(beforeFragment.length + 1 + Math.ceil(((21 + Buffer.byteLength(email)) * 4) / 3) + 1 + 86);
    const payload = linkPayload(token);
    expect(payload).toMatchObject({ version: 1, email });
    expect(payload.expiresAt * 1000 - Date.now()).toBeGreaterThan(590_000);
    expect(payload.expiresAt * 1000 - Date.now()).toBeLessThanOrEqual(600_000);
    expect(mail.text).toContain('It expires in 10 minutes');
  });

  test('an unknown email gets the same status, body and headers, and nothing is sent', async () => {
    // Given
    const { email: known } = await newUser();
    const unknown = uniqueEmail();

    // When
    const [knownResponse, unknownResponse] = [await requestLink(sandbox, known), await requestLink(sandbox, unknown)];

    // Then
    expect(unknownResponse.status).toBe(knownResponse.status);
    expect(await unknownResponse.text()).toBe(await knownResponse.text());
    const comparable = (response: Response) => [...response.headers].filter(([name]) => !['date', 'x-amzn-requestid', 'x-amz-apigw-id'].includes(name));
    expect(comparable(unknownResponse)).toEqual(comparable(knownResponse));
    expect(await emailsTo(sandbox, known)).toHaveLength(1);
    expect(await emailsTo(sandbox, unknown)).toHaveLength(0);
  });

  test.each([
    ['another host', 'https://evil.example/demo/'],
    ['another path on the sandbox', (base: string) => base.replace('/demo/', '/outbox')],
    ['a query string', (base: string) => `${base}?next=/admin`],
    ['a fragment', (base: string) => `${base}#x`],
  ])('a redirect URI with %s is a 400 and nothing is sent', async (_case, redirect) => {
    // Given
    const { email } = await newUser();
    const redirectUri = typeof redirect === 'string' ? redirect : redirect(sandbox.info.redirectUris[0]);

    // When
    const response = await requestLink(sandbox, email, redirectUri);

    // Then
    expect(response.status).toBe(400);
    expect((await response.json()).message).toMatch(/^Invalid request: redirectUri/);
    expect(await emailsTo(sandbox, email)).toHaveLength(0);
  });

  test('a loopback redirect URI matches on any port (RFC 8252), and the link keeps that port', async () => {
    // Given
    const { email } = await newUser();
    const otherPort = 'http://127.0.0.1:5173/demo/';

    // When
    const link = await newLink(sandbox, email, otherPort);

    // Then
    expect(link.startsWith(`${otherPort}#`)).toBe(true);
  });

  test.each(['application/json', 'text/plain'])('a body the model refuses (as %s) is a 400 from API Gateway: the function never runs and nothing is sent', async (contentType) => {
    // Given
    const { email } = await newUser();
    const before = totalInvocations(sandbox);

    // When
    const response = await fetch(`${sandbox.info.apiUrl}magic-link`, {
      method: 'POST',
      headers: { 'Content-Type': contentType },
      body: JSON.stringify({ email, redirectUri: sandbox.info.redirectUris[0], role: 'admin' }),
    });

    // Then
    expect(response.status).toBe(400);
    expect((await response.json()).message).toMatch(/^Invalid request body/);
    expect(response.headers.get('x-amzn-errortype')).toBe('BadRequestException');
    expect(totalInvocations(sandbox)).toBe(before);
    expect(await emailsTo(sandbox, email)).toHaveLength(0);
  });
});

describe('signing in with a link', () => {
  test('AWS SDK v3: 2 Cognito calls and 4 Lambda invocations, and the tokens verify', async () => {
    // Given
    const { email, username } = await newUser();
    const token = tokenOf(await newLink(sandbox, email));
    const counting = countingCognitoClient(sandbox);
    const before = sandbox.invocations();

    // When
    const done = await redeemLink(sandbox, counting.client, email, token);

    // Then
    expect(counting.calls()).toBe(2);
    const after = sandbox.invocations();
    const delta = Object.fromEntries(Object.entries(after)
      .map(([name, count]) => [name, count - (before[name] ?? 0)])
      .filter(([, count]) => count !== 0));
    const triggers = sandbox.app.userPools.find((pool) => pool.userPoolId === sandbox.info.userPoolId)!.triggers;
    expect(delta).toEqual({
      [triggers.DefineAuthChallenge!.name]: 2,
      [triggers.CreateAuthChallenge!.name]: 1,
      [triggers.VerifyAuthChallengeResponse!.name]: 1,
    });
    const tokens = done.AuthenticationResult!;
    const { id, access } = await tokenVerifiers(sandbox);
    expect(await id.verify(tokens.IdToken!)).toMatchObject({ 'email': email, 'cognito:username': username, 'email_verified': true });
    expect(await access.verify(tokens.AccessToken!)).toMatchObject({ username, client_id: sandbox.info.userPoolClientId });
    counting.client.destroy();
  });

  test('Amplify v6 in Node: signIn, then confirmSignIn with the token and the magic-link ClientMetadata', async () => {
    // Given
    const { email, username } = await newUser();
    const token = tokenOf(await newLink(sandbox, email));

    // When
    const started = await signIn({ username: email, options: { authFlowType: 'CUSTOM_WITHOUT_SRP' } });
    const done = await confirmSignIn({ challengeResponse: token, options: { clientMetadata: { signInMethod: 'magic-link' } } });

    // Then
    expect(started.nextStep).toMatchObject({ signInStep: 'CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE', additionalInfo: { challenge: 'CHOOSE' } });
    expect(done.isSignedIn).toBe(true);
    const { id } = await tokenVerifiers(sandbox);
    const session = await fetchAuthSession();
    expect(await id.verify(session.tokens!.idToken!.toString())).toMatchObject({ 'email': email, 'cognito:username': username });
    await signOut();
  });

  test('a link works once: the second use is NotAuthorizedException', async () => {
    // Given
    const { email } = await newUser();
    const token = tokenOf(await newLink(sandbox, email));
    expect((await redeemLink(sandbox, cognito, email, token)).AuthenticationResult).toBeDefined();

    // When / Then
    await expectRefused(redeemLink(sandbox, cognito, email, token));
  });

  test('a newer link voids the older one', async () => {
    // Given
    const { email } = await newUser();
    const older = tokenOf(await newLink(sandbox, email));
    await sleep(COOLDOWN_SECONDS * 1000 + 500);
    const newer = tokenOf(await newLink(sandbox, email));

    // When / Then
    await expectRefused(redeemLink(sandbox, cognito, email, older));
    expect((await redeemLink(sandbox, cognito, email, newer)).AuthenticationResult).toBeDefined();
  });

  test.each([
    ['the signature', (token: string) => token.replace(/\.(.*)$/, (_all, signature: string) => `.${flipCharacter(signature, 20)}`)],
    ['the payload\'s nonce', (token: string) => flipCharacter(token, 10)],
    ['the payload\'s email', (token: string) => flipCharacter(token, token.indexOf('.') - 8)],
  ])('a flipped character in %s fails, and the genuine link still works afterwards', async (_part, tamper) => {
    // Given
    const { email } = await newUser();
    const token = tokenOf(await newLink(sandbox, email));
    const tampered = tamper(token);
    expect(tampered).not.toBe(token);
    expect(tampered).toHaveLength(token.length);

    // When / Then
    await expectRefused(redeemLink(sandbox, cognito, email, tampered));
    expect((await redeemLink(sandbox, cognito, email, token)).AuthenticationResult).toBeDefined();
  });

  test('a link for another user does not sign in as this user', async () => {
    // Given
    const { email: alice } = await newUser();
    const { email: bob } = await newUser();
    const aliceToken = tokenOf(await newLink(sandbox, alice));

    // When / Then: Bob's sign-in answered with Alice's token
    await expectRefused(redeemLink(sandbox, cognito, bob, aliceToken));
    expect((await redeemLink(sandbox, cognito, alice, aliceToken)).AuthenticationResult).toBeDefined();
  });

  test('opening the link (GET and HEAD, as mail scanners do) consumes nothing: it still signs in afterwards', async () => {
    // Given
    const { email } = await newUser();
    const link = await newLink(sandbox, email);
    const before = totalInvocations(sandbox);

    // When
    const get = await fetch(link);
    const head = await fetch(link, { method: 'HEAD' });

    // Then
    expect(get.status).toBe(200);
    expect(get.headers.get('referrer-policy')).toBe('no-referrer');
    expect(await get.text()).toContain('<script src="demo.js"');
    expect(head.status).toBe(200);
    expect(totalInvocations(sandbox)).toBe(before);
    expect((await redeemLink(sandbox, cognito, email, tokenOf(link))).AuthenticationResult).toBeDefined();
  });

  test('without the magic-link ClientMetadata, the token does not fail the sign-in: it goes on to the code challenge', async () => {
    // Given
    const { email } = await newUser();
    const token = tokenOf(await newLink(sandbox, email));
    const started = await startSignIn(sandbox, cognito, email);

    // When: a wrong token with no ClientMetadata
    const next = await answerChallenge(sandbox, cognito, started, flipCharacter(token, 10));

    // Then: a code challenge for which no code was sent; only the link email is in the outbox
    expect(next.ChallengeParameters).toMatchObject({ challenge: 'CODE' });
    expect(await emailsTo(sandbox, email)).toHaveLength(1);
  });

  test('50 concurrent redemptions of one link in 50 separate sessions: exactly one signs in', async () => {
    // Given
    const { email } = await newUser();
    const token = tokenOf(await newLink(sandbox, email));
    const clients = Array.from({ length: 50 }, () => countingCognitoClient(sandbox).client);
    const sessions = await Promise.all(clients.map((client) => startSignIn(sandbox, client, email)));

    // When
    const outcomes = await Promise.allSettled(sessions.map((session, index) =>
      answerChallenge(sandbox, clients[index], session, token, { signInMethod: 'magic-link' })));

    // Then
    const signedIn = outcomes.filter((outcome) => outcome.status === 'fulfilled' && outcome.value.AuthenticationResult?.IdToken);
    const refused = outcomes.filter((outcome) => outcome.status === 'rejected' && outcome.reason instanceof NotAuthorizedException);
    expect(signedIn).toHaveLength(1);
    expect(refused).toHaveLength(49);
    clients.forEach((client) => client.destroy());
  });
});

test('no function logged a link or a token (checked after all the tests above)', async () => {
  const messages = (await (await fetch(sandbox.info.outboxUrl)).json()) as { text?: string }[];
  const tokens = messages.flatMap((message) => [...(message.text ?? '').matchAll(/#([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)/g)].map((match) => match[1]));
  expect(tokens.length).toBeGreaterThanOrEqual(15);
  expect(functionLogs.length).toBeGreaterThan(0);
  const leaks = functionLogs.filter((line) => tokens.some((token) => line.includes(token) || line.includes(token.split('.')[1])));
  expect(leaks).toEqual([]);
});
