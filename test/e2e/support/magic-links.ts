import { CognitoIdentityProviderClient, type RespondToAuthChallengeCommandOutput } from '@aws-sdk/client-cognito-identity-provider';
import { answerChallenge, startSignIn } from './custom-auth';
import type { OutboxMessage } from '../../../sandbox/backends/outbox';
import type { Sandbox } from '../../../sandbox/start';

/** POST <apiUrl>magic-link as a client would; the redirect URI defaults to the sandbox's first (the demo page). */
export async function requestLink(
  sandbox: Sandbox,
  email: string,
  redirectUri = sandbox.info.redirectUris[0],
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(`${sandbox.info.apiUrl}magic-link`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify({ email, redirectUri }),
  });
}

/** The emails sent to `to`, oldest first, read from the outbox over HTTP. */
export async function emailsTo(sandbox: Sandbox, to: string): Promise<OutboxMessage[]> {
  const messages = (await (await fetch(sandbox.info.outboxUrl)).json()) as OutboxMessage[];
  return messages.filter((message) => message.channel === 'email' && message.to.includes(to));
}

/** The link in the newest email to `to`. */
export async function latestLink(sandbox: Sandbox, to: string): Promise<string> {
  const emails = await emailsTo(sandbox, to);
  const link = emails.length ? /https?:\/\/\S+/.exec(emails[emails.length - 1].text ?? '')?.[0] : undefined;
  if (!link) throw new Error(`No link was sent to ${to}`);
  return link;
}

/** Requests a link and returns it from the outbox; fails the test unless the API answered 202. */
export async function newLink(sandbox: Sandbox, email: string, redirectUri?: string): Promise<string> {
  const before = (await emailsTo(sandbox, email)).length;
  const response = await requestLink(sandbox, email, redirectUri);
  if (response.status !== 202) throw new Error(`POST magic-link answered ${response.status}: ${await response.text()}`);
  if ((await emailsTo(sandbox, email)).length !== before + 1) throw new Error(`No new email reached ${email}`);
  return latestLink(sandbox, email);
}

/** The token: everything after the link's '#'. */
export function tokenOf(link: string): string {
  return link.slice(link.indexOf('#') + 1);
}

/** The payload of a token, decoded as the contract lays it out: [version][expiry, uint32 BE][16-byte nonce][email]. */
export function linkPayload(token: string): { version: number; expiresAt: number; nonce: Buffer; email: string } {
  const payload = Buffer.from(token.split('.')[0], 'base64url');
  return {
    version: payload.readUInt8(0),
    expiresAt: payload.readUInt32BE(1),
    nonce: payload.subarray(5, 21),
    email: payload.subarray(21).toString('utf-8'),
  };
}

/**
 * Replaces the base64url character at `index` with another one. Characters before the last of a part
 * carry 6 full bits, so the result is still a canonical encoding: only the bytes change.
 */
export function flipCharacter(text: string, index: number): string {
  const replacement = text[index] === 'A' ? 'B' : 'A';
  return text.slice(0, index) + replacement + text.slice(index + 1);
}

/** An SDK client that counts the Cognito calls it sends (retries not included). */
export function countingCognitoClient(sandbox: Sandbox): { client: CognitoIdentityProviderClient; calls: () => number } {
  const client = new CognitoIdentityProviderClient({
    region: sandbox.info.region,
    endpoint: sandbox.info.cognitoEndpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  let calls = 0;
  client.middlewareStack.add((next) => async (args) => {
    calls++;
    return next(args);
  }, { step: 'initialize', name: 'countCognitoCalls' });
  return { client, calls: () => calls };
}

/**
 * Signs in with a link's token as docs/protocol.md describes: InitiateAuth (CUSTOM_AUTH), then the token as
 * the answer to the first challenge, with ClientMetadata `{"signInMethod":"magic-link"}`.
 */
export async function redeemLink(
  sandbox: Sandbox,
  cognito: CognitoIdentityProviderClient,
  email: string,
  token: string,
): Promise<RespondToAuthChallengeCommandOutput> {
  const started = await startSignIn(sandbox, cognito, email);
  return answerChallenge(sandbox, cognito, started, token, { signInMethod: 'magic-link' });
}

/** Sum of all functions' invocation counts. */
export function totalInvocations(sandbox: Sandbox): number {
  return Object.values(sandbox.invocations()).reduce((sum, count) => sum + count, 0);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
