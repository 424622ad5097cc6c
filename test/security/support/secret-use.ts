// Helpers of the tests that use codes and links the wrong way (adversarial cases 1-7): sign-ins driven with the
// AWS SDK v3 against the security sandbox, every session and token kept as a secret, and what the Verify trigger
// logged about each answer, read from the function logs at debug level.
import {
  CognitoIdentityProviderClient,
  type AuthenticationResultType,
  type RespondToAuthChallengeCommandOutput,
} from '@aws-sdk/client-cognito-identity-provider';
import { useFileResource } from './file-resource';
import type { SecurityContext } from './security-sandbox';
import { keyRef } from '../../../lambda/core/log';
import { identifierKey } from '../../../lambda/core/otp-code';
import { answerChallenge, startSignIn, type ChallengeStep } from '../../e2e/support/custom-auth';
import { cognitoClient, seedUser } from '../../e2e/support/example-sandbox';
import { requestLink } from '../../e2e/support/magic-links';

/** The send cooldown these files run with: the shortest the handlers accept, so a second code costs 10 s. */
export const COOLDOWN_SECONDS = 10;
/** Attempts per code (R4): the library's default, set explicitly so the tests know what the handlers were given. */
export const MAX_ATTEMPTS = 3;

/**
 * The example's limits, except the shortest send cooldown and no per-address limit (every request comes from
 * 127.0.0.1); the attempt limit is the default, named so the assertions can use it.
 */
export const SECURITY_LIMITS = {
  SEND_COOLDOWN_SECONDS: String(COOLDOWN_SECONDS),
  MAX_ATTEMPTS: String(MAX_ATTEMPTS),
  MAX_REQUESTS_PER_IP_PER_MINUTE: '1000',
};

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Waits out the send cooldown of an identifier that was last sent something at `sentAt` (epoch ms). */
export async function afterCooldown(sentAt: number): Promise<void> {
  const wait = sentAt + COOLDOWN_SECONDS * 1000 + 500 - Date.now();
  if (wait > 0) await sleep(wait);
}

/**
 * A Cognito client for the sandbox that keeps, as secrets no log line may hold, every session and token of every
 * response it receives. Each concurrent "attacker" gets its own, so the requests really run in parallel.
 */
export function keepingClient(context: SecurityContext): CognitoIdentityProviderClient {
  const client = cognitoClient(context.sandbox);
  client.middlewareStack.add((next) => async (args) => {
    const result = await next(args);
    const output = result.output as { Session?: string; AuthenticationResult?: AuthenticationResultType };
    const tokens = output.AuthenticationResult;
    context.keepSecret(output.Session, tokens?.AccessToken, tokens?.IdToken, tokens?.RefreshToken);
    return result;
  }, { step: 'initialize', name: 'keepSecrets' });
  return client;
}

/** The file's keeping client (see `keepingClient`): made in a beforeAll, once the sandbox runs, and destroyed after. */
export function useKeepingClient(context: SecurityContext): CognitoIdentityProviderClient {
  return useFileResource(() => keepingClient(context), (client) => client.destroy());
}

/** `count` clients, each with its own connections; `destroyAll` closes them. */
export function keepingClients(context: SecurityContext, count: number): CognitoIdentityProviderClient[] & { destroyAll(): void } {
  const clients = Array.from({ length: count }, () => keepingClient(context));
  return Object.assign(clients, { destroyAll: () => clients.forEach((client) => client.destroy()) });
}

let sequence = 0;
/** A new address, never used before by any file or run (so no cooldown or failure of another test reaches it). */
export function freshEmail(): string {
  return `secret-use-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}-${(sequence++).toString(36)}@example.com`;
}

/** A user with a verified email, created as an admin would: the address and the username (a UUID). */
export async function newUser(context: SecurityContext): Promise<{ email: string; username: string }> {
  const email = freshEmail();
  return { email, username: await seedUser(context.sandbox, { email }) };
}

/** How many messages (email or SMS) went to `to` so far. */
export function messagesTo(context: SecurityContext, to: string): number {
  return context.sandbox.outbox().filter((message) => message.to.includes(to)).length;
}

/** The code in the newest message to `to`. */
export function latestCode(context: SecurityContext, to: string): string {
  const message = context.sandbox.outbox().filter((candidate) => candidate.to.includes(to)).pop();
  const code = message && /\b(\d{6,10})\b/.exec(message.text ?? '')?.[1];
  if (!code) throw new Error('No code was sent to the address');
  return code;
}

/** A code of the same length that is certainly not `code` (every digit moved by one). */
export function wrongCode(code: string): string {
  return [...code].map((digit) => String((Number(digit) + 1) % 10)).join('');
}

/**
 * InitiateAuth, then `email-otp` as the answer to CHOOSE: the CODE step of a new session. Whether a code was sent
 * is up to the handlers (not within the cooldown, not while locked); `sent` says whether a message arrived.
 */
export async function codeStep(
  context: SecurityContext,
  cognito: CognitoIdentityProviderClient,
  email: string,
): Promise<{ step: RespondToAuthChallengeCommandOutput; sent: boolean }> {
  const before = messagesTo(context, email);
  const choose = await startSignIn(context.sandbox, cognito, email);
  const step = await answerChallenge(context.sandbox, cognito, choose, 'email-otp');
  expect(step.ChallengeParameters).toMatchObject({ challenge: 'CODE' });
  return { step, sent: messagesTo(context, email) > before };
}

/** A new session's CODE step that must have had a code sent, and that code. */
export async function codeSent(
  context: SecurityContext,
  cognito: CognitoIdentityProviderClient,
  email: string,
): Promise<{ step: RespondToAuthChallengeCommandOutput; code: string; sentAt: number }> {
  const { step, sent } = await codeStep(context, cognito, email);
  if (!sent) throw new Error('No code was sent for the sign-in');
  return { step, code: latestCode(context, email), sentAt: Date.now() };
}

/** The token of the newest link emailed to `to`: what follows the '#'. */
export function latestToken(context: SecurityContext, to: string): string {
  const message = context.sandbox.outbox().filter((candidate) => candidate.channel === 'email' && candidate.to.includes(to)).pop();
  const token = message && /#([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)/.exec(message.text ?? '')?.[1];
  if (!token) throw new Error('No link was sent to the address');
  return token;
}

/** POST /magic-link for `email`, which must answer 202 and email a link: its token. */
export async function linkSent(context: SecurityContext, email: string): Promise<{ token: string; sentAt: number }> {
  const before = messagesTo(context, email);
  const response = await requestLink(context.sandbox, email);
  if (response.status !== 202) throw new Error(`POST magic-link answered ${response.status}`);
  if (messagesTo(context, email) !== before + 1) throw new Error('No link was sent for the request');
  return { token: latestToken(context, email), sentAt: Date.now() };
}

/** How an answer ended, as the client sees it. */
export type AnswerResult =
  | { readonly kind: 'tokens'; readonly tokens: AuthenticationResultType }
  | { readonly kind: 'challenge'; readonly step: RespondToAuthChallengeCommandOutput }
  | { readonly kind: 'refused'; readonly name: string; readonly message: string };

/**
 * Answers the challenge of `step` with `answer`: tokens, another challenge (the answer was not accepted and the
 * session goes on), or NotAuthorizedException (the sign-in failed). Any other error is thrown: it is a bug.
 */
export async function answer(
  context: SecurityContext,
  cognito: CognitoIdentityProviderClient,
  step: ChallengeStep,
  value: string,
  clientMetadata?: Record<string, string>,
): Promise<AnswerResult> {
  try {
    const next = await answerChallenge(context.sandbox, cognito, step, value, clientMetadata);
    if (next.AuthenticationResult) return { kind: 'tokens', tokens: next.AuthenticationResult };
    return { kind: 'challenge', step: next };
  } catch (error) {
    const { name, message } = error as Error;
    if (name !== 'NotAuthorizedException') throw error;
    return { kind: 'refused', name, message };
  }
}

/** Redeems a magic link's token as docs/magic-links.md says: InitiateAuth, then the token with the magic-link metadata. */
export async function redeem(
  context: SecurityContext,
  cognito: CognitoIdentityProviderClient,
  email: string,
  token: string,
): Promise<AnswerResult> {
  const started = await startSignIn(context.sandbox, cognito, email);
  return answer(context, cognito, started, token, { signInMethod: 'magic-link' });
}

/** The tokens of an answer that must have signed in. */
export function tokensOf(result: AnswerResult): AuthenticationResultType {
  expect(result.kind).toBe('tokens');
  return (result as Extract<AnswerResult, { kind: 'tokens' }>).tokens;
}

/** The next CODE step of a session whose answer was not accepted (the answer must have been refused that way). */
export function nextStep(result: AnswerResult): RespondToAuthChallengeCommandOutput {
  expect(result.kind).toBe('challenge');
  return (result as Extract<AnswerResult, { kind: 'challenge' }>).step;
}

/** What Cognito answers when a sign-in fails: the one message for every refusal. */
export const REFUSED = { kind: 'refused', name: 'NotAuthorizedException', message: 'Incorrect username or password.' };

/** How many results are token sets; every token set must carry an access token. */
export function tokenSets(results: readonly AnswerResult[]): number {
  return results.filter((result) => result.kind === 'tokens' && result.tokens.AccessToken).length;
}

/** What the Verify trigger logged about the answers to one user's sign-in codes and links (debug-level logs). */
export interface VerifyRecord {
  /** Answers checked against a code: a reserved attempt, right or wrong (R4 counts these). */
  readonly evaluated: number;
  /** Answers refused without being checked: no code, expired, or out of attempts. */
  readonly notEvaluated: number;
  /** Right answers that consumed the code, and right answers that came after it was consumed. */
  readonly accepted: number;
  readonly alreadyUsed: number;
  /** Links accepted and refused. */
  readonly linksAccepted: number;
  readonly linksRejected: number;
  /** Why each refused link was refused (`expired`, `used, replaced or expired`...), oldest first. */
  readonly linkRefusals: string[];
  /** Code requests that sent nothing, by outcome (`locked`, `cooldown`...). */
  readonly notSent: Record<string, number>;
}

/**
 * Reads the log lines of the sign-in state item of `username` (they carry a short reference of its key, never the
 * identifier) and tells what happened to the answers: the only place that says how many were really evaluated.
 */
export function verifyRecord(context: SecurityContext, username: string): VerifyRecord {
  const ref = keyRef(identifierKey(context.sandbox.info.userPoolId, username));
  const lines = context.logs.map(parseLine).filter((line) => line?.key === ref) as LogLine[];
  const count = (message: string, evaluated?: boolean) => lines
    .filter((line) => line.message === message && (evaluated === undefined || line.evaluated === evaluated)).length;
  const notSent: Record<string, number> = {};
  for (const line of lines.filter(({ message }) => message === 'no code sent')) {
    notSent[String(line.outcome)] = (notSent[String(line.outcome)] ?? 0) + 1;
  }
  return {
    evaluated: count('code rejected', true) + count('code accepted') + count('code already used'),
    notEvaluated: count('code rejected', false),
    accepted: count('code accepted'),
    alreadyUsed: count('code already used'),
    linksAccepted: count('link accepted'),
    linksRejected: count('link rejected'),
    linkRefusals: lines.filter(({ message }) => message === 'link rejected').map(({ outcome }) => String(outcome)),
    notSent,
  };
}

interface LogLine {
  readonly message: string;
  readonly key?: string;
  readonly [field: string]: unknown;
}

/** A harness log line is "<function name> <JSON line>"; anything else (a runtime line) is no handler record. */
function parseLine(line: string): LogLine | undefined {
  const json = line.slice(line.indexOf(' ') + 1);
  if (!json.startsWith('{')) return undefined;
  try {
    return JSON.parse(json) as LogLine;
  } catch {
    return undefined;
  }
}
