import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { CLIENT_CONFIG } from '../../../lambda/core/lazy-client';
import { identifierKey } from '../../../lambda/core/otp-code';
import { SIGN_IN_UNAVAILABLE } from '../../../lambda/core/trigger-failure';
import type { InjectedError } from '../../../sandbox/backends/operation-gate';
import type { Sandbox } from '../../../sandbox/start';

/**
 * The handlers' SDK clients attempt a call that failed with a throttling error or a 5xx this often (one retry), so
 * this many injected throttles make the call fail for the handler; fewer are absorbed by the retry.
 */
export const SDK_ATTEMPTS = CLIENT_CONFIG.maxAttempts;

/** Throttling errors as each service answers them: the SDK retries every one of them. */
export const THROTTLES = {
  ses: { code: 'TooManyRequestsException', message: 'Maximum sending rate exceeded.', status: 429 },
  sns: { code: 'Throttled', message: 'Rate exceeded', status: 429 },
  kms: { code: 'ThrottlingException', message: 'You have exceeded the rate at which you may call KMS.' },
  dynamodb: { code: 'ThrottlingException', message: 'Rate of requests exceeds the allowed throughput.' },
  cognito: { code: 'TooManyRequestsException', message: 'Too many requests' },
} satisfies Record<string, InjectedError>;

/**
 * Failures the SDK does not retry. Their messages name the address or the table, as AWS's do, so that a response
 * that passed an AWS message on would show it.
 */
export const FAILURES = {
  ses: (address: string): InjectedError => ({
    code: 'MessageRejected', message: `Email address is not verified. The following identities failed the check in region US-EAST-1: ${address}`,
  }),
  sns: (phone: string): InjectedError => ({ code: 'InvalidParameter', message: `Invalid parameter: PhoneNumber Reason: ${phone} is not valid to publish to` }),
  kms: { code: 'DisabledException', message: 'arn:aws:kms:us-east-1:000000000000:key/00000000-0000-0000-0000-000000000000 is disabled.' },
  dynamodb: { code: 'ResourceNotFoundException', message: 'Requested resource not found: Table: passwordless-state not found' },
  cognito: (identifier: string): InjectedError => ({ code: 'InternalErrorException', message: `Internal error for ${identifier}`, status: 500 }),
};

/** What the client reads when the verify trigger fails: Cognito's UserLambdaValidationException around a fixed text. */
export const TRIGGER_ERROR = 'UserLambdaValidationException';
export const triggerMessage = (text: string) => `VerifyAuthChallengeResponse failed with error ${text}.`;
export const UNAVAILABLE = triggerMessage(SIGN_IN_UNAVAILABLE);
export const undelivered = (method: 'email-otp' | 'sms-otp') => triggerMessage(`Could not deliver the ${method} code`);

/** A Cognito call must fail with exactly this type and message, and the message must name none of `secrets`. */
export async function expectTriggerFailure(call: Promise<unknown>, message: string, secrets: readonly string[]): Promise<void> {
  const error = await call.then(() => undefined, (e: unknown) => e as Error & { $metadata?: { httpStatusCode?: number } });
  expect(error && { name: error.name, message: error.message, status: error.$metadata?.httpStatusCode })
    .toEqual({ name: TRIGGER_ERROR, message, status: 400 });
  for (const secret of secrets) expect(error!.message).not.toContain(secret);
}

/** An API response must be `status` with exactly `{message}` as its body, naming none of `secrets`. */
export async function expectApiFailure(response: Response, status: number, message: string, secrets: readonly string[]): Promise<void> {
  const text = await response.text();
  expect({ status: response.status, body: JSON.parse(text) }).toEqual({ status, body: { message } });
  for (const secret of secrets) expect(text).not.toContain(secret);
}

/** The messages of the API routes when something behind them fails. */
export const API_FAILURES = {
  magicLink: 'Could not send the link; try again later.',
  signIn: 'Could not start the sign-in; try again later.',
  attributes: 'Could not send the code; try again later.',
  verifyAttribute: 'Could not verify the change; try again later.',
};

/** The state table item of a user's sign-ins, codes and links (see lambda/core/state-store.ts), if there is one. */
export async function signInState(sandbox: Sandbox, username: string): Promise<StateItem | undefined> {
  return stateItem(sandbox, identifierKey(sandbox.info.userPoolId, username));
}

/** The state table item of a user's attribute changes. */
export async function attributeState(sandbox: Sandbox, username: string): Promise<StateItem | undefined> {
  return stateItem(sandbox, identifierKey(sandbox.info.userPoolId, `attribute-change\n${username}`));
}

/** What a test reads of an item: whether a code or link is stored, its attempts, and the send and failure times. */
export interface StateItem {
  readonly hasCode: boolean;
  readonly hasLink: boolean;
  readonly attempts?: number;
  readonly sends: number[];
  readonly failures: number[];
  readonly pendingSignUp?: string;
}

async function stateItem(sandbox: Sandbox, key: string): Promise<StateItem | undefined> {
  const item = (await sandbox.tableItems()).find((candidate) => candidate.pk?.S === key);
  if (!item) return undefined;
  const numbers = (list?: AttributeValue) => (list?.L ?? []).map((entry) => Number(entry.N));
  return {
    hasCode: item.codeHash !== undefined,
    hasLink: item.linkHash !== undefined,
    ...item.attempts && { attempts: Number(item.attempts.N) },
    sends: numbers(item.sends),
    failures: numbers(item.failures),
    ...item.pendingSignUp && { pendingSignUp: item.pendingSignUp.S },
  };
}

/** How many calls of each AWS operation the handlers made while `run` ran, e.g. `{ 'ses.SendEmail': 3 }`. */
export async function callsDuring(sandbox: Sandbox, run: () => Promise<unknown>): Promise<Record<string, number>> {
  const before = sandbox.awsCalls();
  await run();
  const after = sandbox.awsCalls();
  return Object.fromEntries(Object.entries(after)
    .map(([operation, count]) => [operation, count - (before[operation] ?? 0)] as const)
    .filter(([, count]) => count > 0));
}

/** The send cooldown every fault test file runs with: the shortest the handlers accept. */
export const COOLDOWN_SECONDS = 10;
export const AFTER_COOLDOWN_MS = COOLDOWN_SECONDS * 1000 + 500;

/** The sandbox environment of the fault tests: the shortest cooldown, and no per-address limit (all requests come from 127.0.0.1). */
export const FAULT_TEST_ENVIRONMENT = { SEND_COOLDOWN_SECONDS: String(COOLDOWN_SECONDS), MAX_REQUESTS_PER_IP_PER_MINUTE: '1000' };

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
