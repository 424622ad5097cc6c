// Magic links that need the clock: expiry (the shortest lifetime the handlers accept is 60 s, so one test waits
// past it) and the per-source-address limit (a one-minute window). In their own file so that the wait runs in
// parallel with the other e2e files.
import * as http from 'node:http';
import { NotAuthorizedException, type CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { seedUser, startExampleSandbox, uniqueEmail } from './support/example-sandbox';
import { countingCognitoClient, linkPayload, newLink, redeemLink, sleep, tokenOf } from './support/magic-links';
import type { Sandbox } from '../../sandbox/start';

jest.setTimeout(150_000);

const LINK_TTL_SECONDS = 60;

let sandbox: Sandbox;
let cognito: CognitoIdentityProviderClient;

beforeAll(async () => {
  // The example's limits, except the link lifetime: its minimum instead of 10 minutes.
  sandbox = await startExampleSandbox({ functionEnvironment: { LINK_TTL_SECONDS: String(LINK_TTL_SECONDS) } });
  cognito = countingCognitoClient(sandbox).client;
}, 120_000);

afterAll(async () => {
  cognito?.destroy();
  await sandbox?.stop();
});

/** POST magic-link from a given loopback address, optionally claiming another one in X-Forwarded-For. */
function requestFrom(localAddress: string, email: string, forwardedFor?: string): Promise<{ status: number; body: string }> {
  const url = new URL(`${sandbox.info.apiUrl}magic-link`);
  const body = JSON.stringify({ email, redirectUri: sandbox.info.redirectUris[0] });
  return new Promise((resolve, reject) => {
    const request = http.request(url, {
      method: 'POST',
      localAddress,
      headers: { 'Content-Type': 'application/json', ...(forwardedFor ? { 'X-Forwarded-For': forwardedFor } : {}) },
    }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf-8') }));
    });
    request.on('error', reject);
    request.end(body);
  });
}

test('the per-address limit (10 a minute) counts the connection\'s address, whatever X-Forwarded-For claims', async () => {
  // Given: all requests inside one minute window
  if (Date.now() % 60_000 > 50_000) await sleep(60_000 - (Date.now() % 60_000) + 200);

  // When
  const statuses: number[] = [];
  for (let index = 0; index < 10; index++) {
    statuses.push((await requestFrom('127.0.0.5', uniqueEmail(), `198.51.100.${index}`)).status);
  }
  const over = await requestFrom('127.0.0.5', uniqueEmail(), '198.51.100.200');
  const otherAddress = await requestFrom('127.0.0.6', uniqueEmail());

  // Then
  expect(statuses).toEqual(Array(10).fill(202));
  expect(over.status).toBe(429);
  expect(JSON.parse(over.body)).toEqual({ message: 'Too many requests from this address; try again in a minute.' });
  expect(otherAddress.status).toBe(202);
});

test('a link fails once it has expired, while one redeemed in time works', async () => {
  // Given: two links sent together with the shortest lifetime
  const [late, onTime] = [uniqueEmail(), uniqueEmail()];
  await seedUser(sandbox, { email: late });
  await seedUser(sandbox, { email: onTime });
  const lateToken = tokenOf(await newLink(sandbox, late));
  const onTimeToken = tokenOf(await newLink(sandbox, onTime));
  const expiresAt = linkPayload(lateToken).expiresAt * 1000;
  expect(expiresAt - Date.now()).toBeGreaterThan((LINK_TTL_SECONDS - 10) * 1000);
  expect(expiresAt - Date.now()).toBeLessThanOrEqual(LINK_TTL_SECONDS * 1000);
  expect((await redeemLink(sandbox, cognito, onTime, onTimeToken)).AuthenticationResult).toBeDefined();

  // When
  await sleep(expiresAt - Date.now() + 1_000);

  // Then
  await expect(redeemLink(sandbox, cognito, late, lateToken)).rejects.toBeInstanceOf(NotAuthorizedException);
});
