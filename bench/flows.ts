// The sign-in flows of docs/protocol.md, docs/magic-links.md and docs/sign-up.md, driven through the sandbox as a
// client (AWS SDK v3, fetch) drives them, and what each costs: Cognito calls and API requests of the client,
// Lambda invocations and the AWS calls our handlers make, as the sandbox counts them.
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

/** What a client is doing when a function runs: lets the benchmark tell the cases of Verify and the API functions apart. */
export type Step =
  | 'initiate' | 'choose-email' | 'choose-sms' | 'answer-code' | 'redeem-link' | 'request-link'
  | 'sign-in-new' | 'sign-in-existing' | 'answer-sign-up-code' | 'request-attribute-code' | 'verify-attribute-code';
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

/** A finished code sign-in: the time, and the access token the API's attribute routes take. */
export interface CodeSignIn extends FlowTiming {
  readonly accessToken: string;
}

/**
 * Signs in with a one-time code (docs/protocol.md): InitiateAuth, the method as the answer to CHOOSE, then the
 * code from the outbox. `cognitoMs` sums the three calls only, not the reading of the message in between.
 * Returns it with the access token.
 */
export async function signInWithCode(
  sandbox: Sandbox,
  cognito: CognitoIdentityProviderClient,
  identifier: string,
  method: 'email-otp' | 'sms-otp',
  onStep: OnStep = () => undefined,
): Promise<CodeSignIn> {
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
  if (!done.AuthenticationResult?.AccessToken) throw new Error(`The code sign-in of ${identifier} ended without tokens`);
  return { cognitoMs, accessToken: done.AuthenticationResult.AccessToken };
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

/** `POST <apiUrl><route>` with a JSON body (and the access token, for the attribute routes); the response. */
async function postApi(sandbox: Sandbox, route: string, body: object, accessToken?: string): Promise<Response> {
  return fetch(`${sandbox.info.apiUrl}${route}`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      ...(accessToken !== undefined && { Authorization: `Bearer ${accessToken}` }),
    },
    body: JSON.stringify(body),
  });
}

/**
 * Signs in (and, for an unknown address, up) through `POST <apiUrl>sign-in` (docs/sign-up.md): the function
 * finds or creates the user and starts the sign-in with the code sent; the client answers the code with one
 * RespondToAuthChallenge. `newUser` only tells the steps apart. Returns the access token.
 */
export async function signInThroughApi(
  sandbox: Sandbox,
  cognito: CognitoIdentityProviderClient,
  email: string,
  newUser: boolean,
  onStep: OnStep = () => undefined,
): Promise<string> {
  onStep(newUser ? 'sign-in-new' : 'sign-in-existing');
  const response = await postApi(sandbox, 'sign-in', { identifier: email, channel: 'email' });
  if (response.status !== 200) throw new Error(`POST sign-in answered ${response.status}: ${await response.text()}`);
  const started = (await response.json()) as { session: string; challengeParameters: Record<string, string> };
  if (started.challengeParameters.challenge !== 'CODE') throw new Error(`Expected the CODE challenge, got ${JSON.stringify(started.challengeParameters)}`);
  const code = /\b(\d{6,10})\b/.exec(newestMessageTo(sandbox, email))?.[1];
  if (!code) throw new Error(`No code in the message to ${email}`);
  onStep(newUser ? 'answer-sign-up-code' : 'answer-code');
  const done = await cognito.send(new RespondToAuthChallengeCommand({
    ClientId: sandbox.info.userPoolClientId,
    ChallengeName: 'CUSTOM_CHALLENGE',
    Session: started.session,
    ChallengeResponses: { USERNAME: started.challengeParameters.USERNAME, ANSWER: code },
  }));
  if (!done.AuthenticationResult?.AccessToken) throw new Error(`The code sent to ${email} by POST /sign-in gave no tokens`);
  return done.AuthenticationResult.AccessToken;
}

/**
 * Adds a phone number to a signed-in user's account (docs/sign-up.md): `POST <apiUrl>attributes`, then the code
 * from the SMS to `POST <apiUrl>attributes/verify`, both with the access token.
 */
export async function addPhoneNumber(sandbox: Sandbox, accessToken: string, phone: string, onStep: OnStep = () => undefined): Promise<void> {
  onStep('request-attribute-code');
  const requested = await postApi(sandbox, 'attributes', { phoneNumber: phone }, accessToken);
  if (requested.status !== 202) throw new Error(`POST attributes answered ${requested.status}: ${await requested.text()}`);
  const code = /\b(\d{6,10})\b/.exec(newestMessageTo(sandbox, phone))?.[1];
  if (!code) throw new Error(`No code in the message to ${phone}`);
  onStep('verify-attribute-code');
  const verified = await postApi(sandbox, 'attributes/verify', { phoneNumber: phone, code }, accessToken);
  if (verified.status !== 200) throw new Error(`POST attributes/verify answered ${verified.status}: ${await verified.text()}`);
}

/** The flows the benchmark and the budget test count. */
export const FLOWS = [
  'email OTP sign-in',
  'SMS OTP sign-in',
  'magic-link request',
  'magic-link redemption',
  'auto sign-up by email (new user)',
  'sign-in through POST /sign-in (existing user)',
  'attribute change (add a phone number)',
] as const;
export type Flow = (typeof FLOWS)[number];

/** What one run of a flow cost, as the sandbox counted it. */
export interface FlowCounts {
  /** Cognito API calls the client made, by operation. */
  readonly cognitoCalls: Record<string, number>;
  /** Requests the client made to the magic-link REST API, by route (`POST /sign-in`). */
  readonly apiRequests: Record<string, number>;
  /** Lambda invocations, by handler. */
  readonly invocations: Partial<Record<Handler, number>>;
  /** AWS API calls our handlers made, by `service.Operation` (Cognito calls by handlers as `cognito-idp.*`). */
  readonly awsCalls: Record<string, number>;
}

/**
 * Runs `flow` once for a new user and returns what it cost. Before counting starts, the user is seeded (except
 * for an auto sign-up, which creates it), given a fresh link for a redemption, and signed in with an email code
 * for an attribute change. Flows must run one at a time for the counts to be the flow's own.
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
    if (flow !== 'auto sign-up by email (new user)') await seedUser(sandbox, counting.client, contact);
    const token = flow === 'magic-link redemption' ? await requestMagicLink(sandbox, contact.email!) : undefined;
    const accessToken = flow === 'attribute change (add a phone number)'
      ? (await signInWithCode(sandbox, counting.client, contact.email!, 'email-otp')).accessToken
      : undefined;
    const before = {
      cognito: counting.calls(),
      invocations: byHandler(sandbox.invocations(), handlerOf),
      aws: sandbox.awsCalls(),
    };
    let apiRequests: Record<string, number> = {};
    switch (flow) {
      case 'email OTP sign-in':
        await signInWithCode(sandbox, counting.client, contact.email!, 'email-otp', onStep);
        break;
      case 'SMS OTP sign-in':
        await signInWithCode(sandbox, counting.client, contact.phone!, 'sms-otp', onStep);
        break;
      case 'magic-link request':
        await requestMagicLink(sandbox, contact.email!, onStep);
        apiRequests = { 'POST /magic-link': 1 };
        break;
      case 'magic-link redemption':
        await redeemMagicLink(sandbox, counting.client, contact.email!, token!, onStep);
        break;
      case 'auto sign-up by email (new user)':
      case 'sign-in through POST /sign-in (existing user)':
        await signInThroughApi(sandbox, counting.client, contact.email!, flow === 'auto sign-up by email (new user)', onStep);
        apiRequests = { 'POST /sign-in': 1 };
        break;
      case 'attribute change (add a phone number)':
        await addPhoneNumber(sandbox, accessToken!, newPhone(), onStep);
        apiRequests = { 'POST /attributes': 1, 'POST /attributes/verify': 1 };
        break;
    }
    const cognitoCalls = countsDelta(before.cognito, counting.calls());
    return {
      cognitoCalls,
      apiRequests,
      invocations: countsDelta(before.invocations, byHandler(sandbox.invocations(), handlerOf)),
      // The sandbox counts every Cognito call a function makes, signed or not (by the Lambda user agent).
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
