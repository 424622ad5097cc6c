import { randomBytes, randomInt } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import type { AuthenticationResultType, RespondToAuthChallengeCommandOutput } from '@aws-sdk/client-cognito-identity-provider';
import type { SecurityContext } from './security-sandbox';
import type { OutboxMessage } from '../../../sandbox/backends/outbox';
import type { Sandbox } from '../../../sandbox/start';
import { answerChallenge, startSignIn, type ChallengeStep } from '../../e2e/support/custom-auth';
import { seedUser } from '../../e2e/support/example-sandbox';

/** A version 4 UUID: every Cognito username here, and the stand-in one an unknown identifier gets. */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/**
 * Error types that mean a trigger failed, timed out or answered garbage, or that the service itself broke:
 * an adversarial input must never produce one (it would be a 5xx in Cognito, or a crash or timeout of ours).
 */
export const SERVER_SIDE_ERRORS = [
  'UnexpectedLambdaException',
  'UserLambdaValidationException',
  'InvalidLambdaResponseException',
  'InternalErrorException',
];

/** How a call ended: its value, or the error's type, message and HTTP status. */
export type Outcome<T> =
  | { readonly ok: true; readonly value: T; readonly ms: number }
  | { readonly ok: false; readonly name: string; readonly message: string; readonly status?: number; readonly ms: number };

/** Runs `call` and records how it ended and how long it took, without throwing. */
export async function outcomeOf<T>(call: () => Promise<T>): Promise<Outcome<T>> {
  const started = performance.now();
  try {
    const value = await call();
    return { ok: true, value, ms: performance.now() - started };
  } catch (error) {
    const failure = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
    return {
      ok: false,
      name: failure.name ?? 'Error',
      message: failure.message ?? '',
      status: failure.$metadata?.httpStatusCode,
      ms: performance.now() - started,
    };
  }
}

/** Fails unless the outcome is a client error: a 4xx, never a 5xx nor one of the server-side error types. */
export function expectNoServerSideFailure(outcome: Outcome<unknown>): void {
  if (outcome.ok) return;
  expect({ name: outcome.name, serverSide: SERVER_SIDE_ERRORS.includes(outcome.name) }).toEqual({ name: outcome.name, serverSide: false });
  expect(outcome.status ?? 400).toBeLessThan(500);
}

let sequence = 0;
/** A fresh, never used, lowercase email address (random, so that no two files or runs share one). */
export function freshEmail(prefix = 'sec'): string {
  return `${prefix}${randomBytes(6).toString('hex')}${(sequence++).toString(36)}@example.com`;
}

/** `count` fresh addresses (see `freshEmail`), each with a user behind it whose email is verified. */
export async function existingEmails(context: SecurityContext, count: number): Promise<string[]> {
  const emails: string[] = [];
  for (let i = 0; i < count; i++) {
    const email = freshEmail();
    await seedUser(context.sandbox, { email });
    emails.push(email);
  }
  return emails;
}

const usedPhones = new Set<string>();
/** A fresh US number in the 555 range (+1555 and 7 random digits), never handed out twice by this process. */
export function freshPhone(): string {
  for (;;) {
    const phone = `+1555${String(randomInt(0, 10_000_000)).padStart(7, '0')}`;
    if (!usedPhones.has(phone)) {
      usedPhones.add(phone);
      return phone;
    }
  }
}

/** The messages the sandbox sent since the outbox had `before` messages. */
export function sentSince(sandbox: Sandbox, before: number): OutboxMessage[] {
  return sandbox.outbox().slice(before);
}

/** The code in the newest message to `to` (read in-process from the sandbox's outbox). */
export function latestCodeTo(sandbox: Sandbox, to: string): string {
  const message = sandbox.outbox().filter((candidate) => candidate.to.includes(to)).pop();
  const code = message && /\b(\d{6,10})\b/.exec(message.text)?.[1];
  if (!code) throw new Error('No code was sent to the address');
  return code;
}

/** The link token in the newest email to `to`. */
export function latestTokenTo(sandbox: Sandbox, to: string): string {
  const message = sandbox.outbox().filter((candidate) => candidate.channel === 'email' && candidate.to.includes(to)).pop();
  const token = message && /#([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)/.exec(message.text)?.[1];
  if (!token) throw new Error('No link was sent to the address');
  return token;
}

/** A code of the same length as `code` that is certainly not it (every digit moved by one). */
export function wrongCode(code: string): string {
  return [...code].map((digit) => String((Number(digit) + 1) % 10)).join('');
}

/** Any 6-digit code, as a guesser would send. */
export function randomCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

/** How many SMS the handlers asked SNS to publish so far. */
export function snsPublishes(sandbox: Sandbox): number {
  return sandbox.awsCalls()['sns.Publish'] ?? 0;
}

/** A started email OTP sign-in of a new user with a verified email: the CODE step and the code that was sent. */
export interface CodeSignIn {
  readonly email: string;
  readonly username: string;
  readonly step: ChallengeStep;
  readonly code: string;
}

/** Seeds a user with a verified email, starts a sign-in, chooses email-otp and reads the code that arrived. */
export async function codeSignIn(context: SecurityContext, email = freshEmail()): Promise<CodeSignIn> {
  const username = await seedUser(context.sandbox, { email });
  const choose = await startSignIn(context.sandbox, context.cognito, email);
  const step = await answerChallenge(context.sandbox, context.cognito, choose, 'email-otp');
  context.keepSecret(choose.Session, step.Session);
  expect(step.ChallengeParameters).toEqual({ challenge: 'CODE', codeLength: '6', USERNAME: username });
  return { email, username, step, code: latestCodeTo(context.sandbox, email) };
}

/** Keeps every token of a sign-in as a secret that no log line may hold. */
export function keepTokens(context: SecurityContext, tokens: AuthenticationResultType | undefined): void {
  context.keepSecret(tokens?.AccessToken, tokens?.IdToken, tokens?.RefreshToken);
}

/** An HTTP response as the test saw it, and how long it took from sending the request to its last byte. */
export interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
  readonly ms: number;
}

/**
 * POSTs `body` to `url` with node:http, so that any header can be sent as given (fetch forbids Host and
 * adds its own), and times it.
 */
export function rawPost(url: string, body: string | Buffer, headers: Record<string, string> = {}): Promise<RawResponse> {
  const target = new URL(url);
  const payload = typeof body === 'string' ? Buffer.from(body, 'utf-8') : body;
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const request = httpRequest({
      host: target.hostname,
      port: target.port,
      path: target.pathname + target.search,
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Content-Length': String(payload.length), ...headers },
    }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({
        status: response.statusCode ?? 0,
        headers: response.headers,
        text: Buffer.concat(chunks).toString('utf-8'),
        ms: performance.now() - started,
      }));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(payload);
  });
}

/** The `message` of a JSON error body, or undefined. */
export function messageOf(response: RawResponse): string | undefined {
  try {
    return (JSON.parse(response.text) as { message?: string }).message;
  } catch {
    return undefined;
  }
}

/** Response headers that differ on every request by nature (dates, request IDs, trace IDs, length). */
const VOLATILE_HEADERS = ['date', 'content-length', 'x-amzn-requestid', 'x-amz-apigw-id', 'x-amzn-trace-id', 'connection', 'keep-alive'];

/** The headers of a response, without the ones that differ on every request by nature. */
export function stableHeaders(headers: Record<string, string | string[] | undefined>): [string, string][] {
  return Object.entries(headers)
    .filter(([name]) => !VOLATILE_HEADERS.includes(name.toLowerCase()))
    .map(([name, value]): [string, string] => [name.toLowerCase(), String(value)])
    .sort(([a], [b]) => a.localeCompare(b));
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** POST <apiUrl><route> with a JSON body (and any extra headers), timed. */
export function postApi(sandbox: Sandbox, route: string, body: unknown, headers: Record<string, string> = {}): Promise<RawResponse> {
  return rawPost(`${sandbox.info.apiUrl}${route}`, JSON.stringify(body), headers);
}

/** What two answers of an API must share to be indistinguishable: status, stable headers and the body's shape. */
export function apiShape(response: RawResponse, mask: (body: unknown) => unknown = (body) => body) {
  let body: unknown;
  try {
    body = JSON.parse(response.text);
  } catch {
    body = response.text;
  }
  return { status: response.status, headers: stableHeaders(response.headers), body: mask(body) };
}

/**
 * What a client can see of a Cognito call's outcome, comparable between identifiers: the error's type, message and
 * status, or the response with the session masked to its type and the username to whether it is UUID-shaped.
 * The session is kept as a secret.
 */
export function stepShape(context: SecurityContext, outcome: Outcome<object>) {
  if (!outcome.ok) return { error: outcome.name, message: outcome.message, status: outcome.status };
  const { $metadata, Session, ChallengeParameters, ...rest } = outcome.value as {
    $metadata?: { httpStatusCode?: number };
    Session?: string;
    ChallengeParameters?: Record<string, string>;
  };
  context.keepSecret(Session);
  return {
    ...rest,
    status: $metadata?.httpStatusCode,
    Session: typeof Session,
    ChallengeParameters: ChallengeParameters && { ...ChallengeParameters, USERNAME: UUID.test(ChallengeParameters.USERNAME ?? '') },
    keys: Object.keys(outcome.value).sort(),
  };
}

/**
 * Signs in with a link's token as docs/protocol.md says (InitiateAuth, then the token as the first answer with the
 * magic-link ClientMetadata), keeping the session and every token it gives as secrets.
 */
export async function redeemToken(context: SecurityContext, email: string, token: string): Promise<RespondToAuthChallengeCommandOutput> {
  const started = await startSignIn(context.sandbox, context.cognito, email);
  context.keepSecret(started.Session);
  const done = await answerChallenge(context.sandbox, context.cognito, started, token, { signInMethod: 'magic-link' });
  context.keepSecret(done.Session);
  keepTokens(context, done.AuthenticationResult);
  return done;
}
