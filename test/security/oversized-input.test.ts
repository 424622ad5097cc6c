// Case 20: oversized input is refused fast (R22). Client metadata with many or huge entries on RespondToAuthChallenge,
// huge challenge answers, and API bodies above the handlers' limit (4 KB) or of 1 MB and more: each is answered within
// 2 seconds, never with a 5xx or a Lambda timeout; answers get the generic failure of a wrong code (or a 4xx from
// Cognito's own request validation), API bodies a 400 or 413 with a message; and the client can go on at once.
import type { RespondToAuthChallengeCommandOutput } from '@aws-sdk/client-cognito-identity-provider';
import {
  codeSignIn,
  expectNoServerSideFailure,
  freshEmail,
  keepTokens,
  messageOf,
  outcomeOf,
  postApi,
  rawPost,
  wrongCode,
  type CodeSignIn,
  type Outcome,
  type RawResponse,
} from './support/adversary';
import { useSecuritySandbox } from './support/security-sandbox';
import { answerChallenge, startSignIn } from '../e2e/support/custom-auth';
import { seedUser } from '../e2e/support/example-sandbox';

jest.setTimeout(120_000);

/** "Refused fast": far below a trigger's 5 s timeout and API Gateway's 29 s, with room for a busy CI machine. */
const FAST_MS = 2000;
/**
 * "The next request is answered at once": a real send (KMS, SES) after the refusal, on a busy machine, stays
 * well under this; a connection the refusal broke costs the client about 6 s before it reconnects.
 */
const NEXT_MS = 4000;
const KB = 1024;
const MB = 1024 * KB;

const context = useSecuritySandbox({
  functionEnvironment: { SEND_COOLDOWN_SECONDS: '10', MAX_REQUESTS_PER_IP_PER_MINUTE: '1000' },
});

/** Client metadata of `count` entries whose keys and values together take about `bytes`. */
function metadata(count: number, bytes: number, keyBytes = 8): Record<string, string> {
  const valueBytes = Math.max(1, Math.floor(bytes / count) - keyBytes);
  return Object.fromEntries(Array.from({ length: count }, (_, index) => [
    `k${String(index).padStart(keyBytes - 1, '0')}`,
    'v'.repeat(valueBytes),
  ]));
}

/**
 * The generic failure of a wrong code, fast: the CODE re-challenge (or the end of the sign-in), or a 4xx with which
 * Cognito refuses the request itself; never a 5xx or a trigger failure.
 */
function expectFastGenericFailure(outcome: Outcome<RespondToAuthChallengeCommandOutput>, signIn: CodeSignIn): void {
  expect(outcome.ms).toBeLessThan(FAST_MS);
  expectNoServerSideFailure(outcome);
  if (outcome.ok) {
    expect(outcome.value.AuthenticationResult).toBeUndefined();
    expect(outcome.value.ChallengeParameters).toEqual({ challenge: 'CODE', codeLength: '6', USERNAME: signIn.username });
  } else {
    expect(['NotAuthorizedException', 'InvalidParameterException']).toContain(outcome.name);
  }
}

/** The client goes on at once: a new sign-in (within the cooldown, so the code stays) answers fast, and the code signs in. */
async function expectClientGoesOn(signIn: CodeSignIn): Promise<void> {
  const again = await outcomeOf(() => startSignIn(context.sandbox, context.cognito, signIn.email));
  expect(again.ms).toBeLessThan(NEXT_MS);
  expect(again.ok).toBe(true);
  const started = (again as { value: Awaited<ReturnType<typeof startSignIn>> }).value;
  const chosen = await answerChallenge(context.sandbox, context.cognito, started, 'email-otp');
  context.keepSecret(started.Session, chosen.Session);
  const done = await answerChallenge(context.sandbox, context.cognito, chosen, signIn.code);
  keepTokens(context, done.AuthenticationResult);
  expect(done.AuthenticationResult?.AccessToken).toBeDefined();
}

describe('oversized client metadata and answers', () => {
  it.each([
    ['1,000 entries, 100 KB in all', () => metadata(1000, 100 * KB)],
    ['10,000 entries, 200 KB in all', () => metadata(10_000, 200 * KB)],
    ['one 200 KB value', () => metadata(1, 200 * KB)],
    ['one 100 KB key', () => ({ [`k${'k'.repeat(100 * KB)}`]: 'v' })],
    ['one 1 MB value', () => metadata(1, MB)],
    ['10 entries of 100 KB, 1 MB in all', () => metadata(10, MB)],
    ['the magic-link method and 200 KB more', () => ({ ...metadata(100, 200 * KB), signInMethod: 'magic-link' })],
  ])('case 20: client metadata of %s with a wrong code is refused fast like a wrong code, and the client goes on at once', async (_case, make) => {
    // Given
    const signIn = await codeSignIn(context);
    const clientMetadata = make();

    // When
    const outcome = await outcomeOf(() => answerChallenge(context.sandbox, context.cognito, signIn.step, wrongCode(signIn.code), clientMetadata));

    // Then
    expectFastGenericFailure(outcome, signIn);
    await expectClientGoesOn(signIn);
  });

  it.each([
    ['64 KB', 64 * KB],
    ['200 KB', 200 * KB],
    ['1 MB', MB],
    ['5 MB', 5 * MB],
  ])('case 20: a %s answer to the code challenge is refused fast like a wrong code, and the client goes on at once', async (_case, bytes) => {
    // Given
    const signIn = await codeSignIn(context);

    // When
    const outcome = await outcomeOf(() => answerChallenge(context.sandbox, context.cognito, signIn.step, '7'.repeat(bytes)));

    // Then
    expectFastGenericFailure(outcome, signIn);
    await expectClientGoesOn(signIn);
  });

  it.each([
    ['200 KB', 200 * KB],
    ['1 MB', MB],
  ])('case 20: a %s magic-link answer is refused fast with the error of any refused link', async (_case, bytes) => {
    // Given
    const email = freshEmail();
    await seedUser(context.sandbox, { email });
    const started = await startSignIn(context.sandbox, context.cognito, email);
    context.keepSecret(started.Session);

    // When
    const outcome = await outcomeOf(() => answerChallenge(context.sandbox, context.cognito, started, `${'A'.repeat(bytes)}.${'B'.repeat(86)}`, { signInMethod: 'magic-link' }));

    // Then
    expect(outcome.ms).toBeLessThan(FAST_MS);
    expectNoServerSideFailure(outcome);
    expect(outcome.ok).toBe(false);
    expect(['NotAuthorizedException', 'InvalidParameterException']).toContain((outcome as { name: string }).name);
  });
});

type Route = 'magic-link' | 'sign-in' | 'attributes' | 'attributes/verify';

/** A body each route's model accepts (the attribute routes check the body before the token). */
function validBody(route: Route): Record<string, string> {
  const email = freshEmail();
  if (route === 'magic-link') return { email, redirectUri: context.sandbox.info.redirectUris[0] };
  if (route === 'sign-in') return { identifier: email, channel: 'email' };
  if (route === 'attributes') return { email };
  return { email, code: '123456' };
}

/** The JSON of a valid body with `padding` bytes of whitespace before its last brace: valid JSON the model accepts. */
function padded(route: Route, padding: number): string {
  const json = JSON.stringify(validBody(route));
  return `${json.slice(0, -1)}${' '.repeat(padding)}}`;
}

const BODIES: [string, (route: Route) => string | Buffer, RegExp][] = [
  ['valid JSON padded to 5 KB with spaces', (route) => padded(route, 5 * KB), /large|long|bytes|size/i],
  ['valid JSON padded to 1 MB with spaces', (route) => padded(route, MB), /large|long|bytes|size/i],
  ['a 1 MB field value', (route) => JSON.stringify({ ...validBody(route), [Object.keys(validBody(route))[0]]: 'a'.repeat(MB) }), /./],
  ['100,000 extra fields', (route) => JSON.stringify({ ...validBody(route), ...Object.fromEntries(Array.from({ length: 100_000 }, (_, index) => [`f${index}`, 1])) }), /./],
  ['JSON nested 200,000 levels deep', () => `${'['.repeat(200_000)}${']'.repeat(200_000)}`, /./],
  ['11 MB, above API Gateway\'s payload limit', (route) => padded(route, 11 * MB), /./],
];

describe('oversized API bodies', () => {
  const routes: Route[] = ['magic-link', 'sign-in', 'attributes', 'attributes/verify'];
  it.each(BODIES.flatMap(([name, make, message]) => routes.map((route) => [name, route, make, message] as const)))(
    'case 20: %s to POST /%s is refused fast with a 400 or 413 and a message, sends nothing, and the next request is answered at once',
    async (_case, route, make, message) => {
      // Given
      const body = make(route);
      const sent = context.sandbox.outbox().length;

      // When
      const response = await rawPost(`${context.sandbox.info.apiUrl}${route}`, body);

      // Then
      expect(response.ms).toBeLessThan(FAST_MS);
      expect([400, 413]).toContain(response.status);
      expect(messageOf(response)).toMatch(message);
      expect(context.sandbox.outbox().length).toBe(sent);
      const next: RawResponse = await postApi(context.sandbox, 'magic-link', validBody('magic-link'));
      expect(next.ms).toBeLessThan(NEXT_MS);
      expect(next.status).toBe(202);
    },
  );
});
