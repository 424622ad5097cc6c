import { generateKeyPairSync, sign } from 'node:crypto';
import { answerChallenge, startSignIn } from './support/custom-auth';
import { cognitoClient, latestCode, seedUser, startExampleSandbox, uniqueEmail } from './support/example-sandbox';
import { tokenVerifiers } from './support/token-verifiers';
import type { Sandbox } from '../../sandbox/start';

jest.setTimeout(60_000);

let sandbox: Sandbox;
let tokens: { IdToken: string; AccessToken: string };

beforeAll(async () => {
  sandbox = await startExampleSandbox();
  const cognito = cognitoClient(sandbox);
  const email = uniqueEmail();
  await seedUser(sandbox, { email });
  let step = await startSignIn(sandbox, cognito, email);
  for (const answer of ['email-otp', 'code']) {
    step = await answerChallenge(sandbox, cognito, step, answer === 'code' ? await latestCode(sandbox, email) : answer);
  }
  tokens = step.AuthenticationResult as typeof tokens;
  cognito.destroy();
});

afterAll(async () => {
  await sandbox?.stop();
});

afterEach(() => jest.restoreAllMocks());

test('the JWKS holds RS256 signing keys, and both tokens verify with them', async () => {
  const { id, access, jwks } = await tokenVerifiers(sandbox);
  expect(jwks.keys.length).toBeGreaterThan(0);
  for (const key of jwks.keys) expect(key).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', kid: expect.any(String) });
  await expect(id.verify(tokens.IdToken)).resolves.toMatchObject({ token_use: 'id' });
  await expect(access.verify(tokens.AccessToken)).resolves.toMatchObject({ token_use: 'access' });
});

test('a token with the same header and claims signed by another key is rejected', async () => {
  const { id } = await tokenVerifiers(sandbox);
  const [header, payload] = tokens.IdToken.split('.');
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const forged = `${header}.${payload}.${sign('RSA-SHA256', Buffer.from(`${header}.${payload}`), privateKey).toString('base64url')}`;
  expect(() => id.verifySync(forged)).toThrow(/signature/i);
});

test('an expired token is rejected', async () => {
  const { id, access } = await tokenVerifiers(sandbox);
  const later = Date.now() + 16 * 60 * 1000; // the example client's tokens last 15 minutes
  jest.spyOn(Date, 'now').mockReturnValue(later);
  await expect(id.verify(tokens.IdToken)).rejects.toThrow(/expired/i);
  await expect(access.verify(tokens.AccessToken)).rejects.toThrow(/expired/i);
});

test('a token for another client is rejected', async () => {
  const { id, access } = await tokenVerifiers(sandbox, 'anotherclient0000000000000');
  await expect(id.verify(tokens.IdToken)).rejects.toThrow(/audience|client/i);
  await expect(access.verify(tokens.AccessToken)).rejects.toThrow(/client/i);
});
