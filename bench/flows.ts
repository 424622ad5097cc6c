// The sign-in flows of docs/protocol.md and docs/magic-links.md, driven through the sandbox as a client
// (AWS SDK v3, fetch) drives them, and what each costs: Cognito calls of the client, Lambda invocations and
// the AWS calls our handlers make, as the sandbox counts them.
import {
  AdminCreateUserCommand,
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  type AttributeType,
} from '@aws-sdk/client-cognito-identity-provider';
import type { Handler } from './handlers';
import { countsDelta, sortedCounts } from './stats';
import type { Sandbox } from '../sandbox/start';

/** What a client is doing when a function runs: lets the benchmark tell Verify's cases apart. */
export type Step = 'initiate' | 'choose-email' | 'choose-sms' | 'answer-code' | 'redeem-link' | 'request-link';
export type OnStep = (step: Step) => void;

/** An SDK v3 client for the sandbox that counts the operations it sends, by name (SDK retries not included). */
export class CountingCognitoClient {
  readonly client: CognitoIdentityProviderClient;
  private counts: Record<string, number> = {};

  constructor(sandbox: Sandbox) {
    this.client = new CognitoIdentityProviderClient({
      region: sandbox.info.region,
      endpoint: sandbox.info.cognitoEndpoint,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    this.client.middlewareStack.add((next, context) => async (args) => {
      const operation = String(context.commandName ?? 'unknown').replace(/Command$/, '');
      this.counts[operation] = (this.counts[operation] ?? 0) + 1;
      return next(args);
    }, { step: 'initialize', name: 'countCognitoCalls' });
  }

  calls(): Record<string, number> {
    return sortedCounts(this.counts);
  }

  destroy(): void {
    this.client.destroy();
  }
}

let sequence = 0;
const runId = Date.now().toString(36);

/** A new email address, unique within the process, so that per-user cooldowns never meet. */
export function newEmail(): string {
  return `bench-${runId}-${sequence++}@example.com`;
}

/** A new US phone number (+1 555 0xx xxxx), unique within the process for the first ten million. */
export function newPhone(): string {
  return `+1555${String(sequence++ % 10_000_000).padStart(7, '0')}`;
}

/** Creates a user with a verified email address or phone number, as an administrator would (not counted in any flow). */
export async function seedUser(sandbox: Sandbox, admin: CognitoIdentityProviderClient, contact: { email?: string; phone?: string }): Promise<void> {
  const attributes: AttributeType[] = [];
  if (contact.email) attributes.push({ Name: 'email', Value: contact.email }, { Name: 'email_verified', Value: 'true' });
  if (contact.phone) attributes.push({ Name: 'phone_number', Value: contact.phone }, { Name: 'phone_number_verified', Value: 'true' });
  await admin.send(new AdminCreateUserCommand({
    UserPoolId: sandbox.info.userPoolId,
    Username: contact.email ?? contact.phone,
    UserAttributes: attributes,
    MessageAction: 'SUPPRESS',
  }));
}

/** The text of the newest message to `to` in the outbox (read in-process: the user reading their mail). */
function newestMessageTo(sandbox: Sandbox, to: string): string {
  const messages = sandbox.outbox().filter((message) => message.to.includes(to));
  const text = messages[messages.length - 1]?.text;
  if (text === undefined) throw new Error(`Nothing was sent to ${to}`);
  return text;
}

/** How long the client waited on Cognito, in total, over a flow's calls. */
export interface FlowTiming {
  readonly cognitoMs: number;
}

/**
 * Signs in with a one-time code (docs/protocol.md): InitiateAuth, the method as the answer to CHOOSE, then the
 * code from the outbox. `cognitoMs` sums the three calls only, not the reading of the message in between.
 */
export async function signInWithCode(
  sandbox: Sandbox,
  cognito: CognitoIdentityProviderClient,
  identifier: string,
  method: 'email-otp' | 'sms-otp',
  onStep: OnStep = () => undefined,
): Promise<FlowTiming> {
  const ClientId = sandbox.info.userPoolClientId;
  let cognitoMs = 0;
  const timed = async <T>(step: Step, call: () => Promise<T>): Promise<T> => {
    onStep(step);
    const started = performance.now();
    try {
      return await call();
    } finally {
      cognitoMs += performance.now() - started;
    }
  };
  const start = await timed('initiate', () => cognito.send(new InitiateAuthCommand({ ClientId, AuthFlow: 'CUSTOM_AUTH', AuthParameters: { USERNAME: identifier } })));
  const chosen = await timed(method === 'email-otp' ? 'choose-email' : 'choose-sms', () => cognito.send(new RespondToAuthChallengeCommand({
    ClientId,
    ChallengeName: 'CUSTOM_CHALLENGE',
    Session: start.Session,
    ChallengeResponses: { USERNAME: start.ChallengeParameters!.USERNAME, ANSWER: method },
  })));
  if (chosen.ChallengeParameters?.challenge !== 'CODE') throw new Error(`Expected the CODE challenge, got ${JSON.stringify(chosen.ChallengeParameters)}`);
  const code = /\b(\d{6,10})\b/.exec(newestMessageTo(sandbox, identifier))?.[1];
  if (!code) throw new Error(`No code in the message to ${identifier}`);
  const done = await timed('answer-code', () => cognito.send(new RespondToAuthChallengeCommand({
    ClientId,
    ChallengeName: 'CUSTOM_CHALLENGE',
    Session: chosen.Session,
    ChallengeResponses: { USERNAME: chosen.ChallengeParameters!.USERNAME, ANSWER: code },
  })));
  if (!done.AuthenticationResult?.IdToken) throw new Error(`The code sign-in of ${identifier} ended without tokens`);
  return { cognitoMs };
}

/** `POST <apiUrl>magic-link` as a browser would; fails unless 202 and a link reached the outbox. Returns the token. */
export async function requestMagicLink(sandbox: Sandbox, email: string, onStep: OnStep = () => undefined): Promise<string> {
  onStep('request-link');
  const response = await fetch(`${sandbox.info.apiUrl}magic-link`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, redirectUri: sandbox.info.redirectUris[0] }),
  });
  if (response.status !== 202) throw new Error(`POST magic-link answered ${response.status}: ${await response.text()}`);
  const link = /https?:\/\/\S+/.exec(newestMessageTo(sandbox, email))?.[0];
  if (!link?.includes('#')) throw new Error(`No link reached ${email}`);
  return link.slice(link.indexOf('#') + 1);
}

/** Redeems a link's token (docs/magic-links.md): InitiateAuth, then the token as the answer, with the magic-link ClientMetadata. */
export async function redeemMagicLink(
  sandbox: Sandbox,
  cognito: CognitoIdentityProviderClient,
  email: string,
  token: string,
  onStep: OnStep = () => undefined,
): Promise<FlowTiming> {
  const ClientId = sandbox.info.userPoolClientId;
  const started = performance.now();
  onStep('initiate');
  const start = await cognito.send(new InitiateAuthCommand({ ClientId, AuthFlow: 'CUSTOM_AUTH', AuthParameters: { USERNAME: email } }));
  onStep('redeem-link');
  const done = await cognito.send(new RespondToAuthChallengeCommand({
    ClientId,
    ChallengeName: 'CUSTOM_CHALLENGE',
    Session: start.Session,
    ChallengeResponses: { USERNAME: start.ChallengeParameters!.USERNAME, ANSWER: token },
    ClientMetadata: { signInMethod: 'magic-link' },
  }));
  if (!done.AuthenticationResult?.IdToken) throw new Error(`The link of ${email} did not sign in`);
  return { cognitoMs: performance.now() - started };
}

/** The flows the benchmark and the budget test count; auto sign-up comes with issue 5. */
export const FLOWS = ['email OTP sign-in', 'SMS OTP sign-in', 'magic-link request', 'magic-link redemption'] as const;
export type Flow = (typeof FLOWS)[number];

/** What one run of a flow cost, as the sandbox counted it. */
export interface FlowCounts {
  /** Cognito API calls the client made, by operation. */
  readonly cognitoCalls: Record<string, number>;
  /** Requests the client made to the magic-link REST API. */
  readonly apiRequests: number;
  /** Lambda invocations, by handler. */
  readonly invocations: Partial<Record<Handler, number>>;
  /** AWS API calls our handlers made, by `service.Operation` (Cognito calls by handlers as `cognito-idp.*`). */
  readonly awsCalls: Record<string, number>;
}

/**
 * Runs `flow` once for a new user (seeded, and for a redemption given a fresh link, before counting starts)
 * and returns what it cost. Flows must run one at a time for the counts to be the flow's own.
 */
export async function countFlow(
  sandbox: Sandbox,
  handlerOf: Readonly<Record<string, Handler>>,
  flow: Flow,
  onStep?: OnStep,
): Promise<FlowCounts> {
  const counting = new CountingCognitoClient(sandbox);
  try {
    const contact = flow === 'SMS OTP sign-in' ? { phone: newPhone() } : { email: newEmail() };
    await seedUser(sandbox, counting.client, contact);
    const token = flow === 'magic-link redemption' ? await requestMagicLink(sandbox, contact.email!) : undefined;
    const before = { cognito: counting.calls(), invocations: byHandler(sandbox.invocations(), handlerOf), aws: sandbox.awsCalls() };
    let apiRequests = 0;
    switch (flow) {
      case 'email OTP sign-in':
        await signInWithCode(sandbox, counting.client, contact.email!, 'email-otp', onStep);
        break;
      case 'SMS OTP sign-in':
        await signInWithCode(sandbox, counting.client, contact.phone!, 'sms-otp', onStep);
        break;
      case 'magic-link request':
        await requestMagicLink(sandbox, contact.email!, onStep);
        apiRequests = 1;
        break;
      case 'magic-link redemption':
        await redeemMagicLink(sandbox, counting.client, contact.email!, token!, onStep);
        break;
    }
    return {
      cognitoCalls: countsDelta(before.cognito, counting.calls()),
      apiRequests,
      invocations: countsDelta(before.invocations, byHandler(sandbox.invocations(), handlerOf)),
      awsCalls: countsDelta(before.aws, sandbox.awsCalls()),
    };
  } finally {
    counting.destroy();
  }
}

/** Per-function counts of the sandbox, keyed by handler (functions that are not ours are left out). */
function byHandler(perFunction: Record<string, number>, handlerOf: Readonly<Record<string, Handler>>): Record<string, number> {
  return Object.fromEntries(Object.entries(perFunction).filter(([name]) => handlerOf[name]).map(([name, count]) => [handlerOf[name], count]));
}
