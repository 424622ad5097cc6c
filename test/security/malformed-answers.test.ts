// Case 8: malformed answers to the code challenge (R4, R17, R22). Whatever the answer looks like, the client gets what
// a wrong code gets (the same CODE re-challenge, or at the end the same NotAuthorizedException), never a 5xx or a
// trigger error; the answer uses at most one of the code's attempts, and nothing is sent. The right code afterwards
// behaves as the attempt rules say: it signs in while attempts are left, and not once they are used up.
import type { RespondToAuthChallengeCommandOutput } from '@aws-sdk/client-cognito-identity-provider';
import {
  codeSignIn,
  expectNoServerSideFailure,
  keepTokens,
  outcomeOf,
  rawPost,
  wrongCode,
  stepShape,
  type CodeSignIn,
  type Outcome,
} from './support/adversary';
import { useSecuritySandbox } from './support/security-sandbox';
import { answerChallenge, startSignIn, type ChallengeStep } from '../e2e/support/custom-auth';

jest.setTimeout(60_000);

const context = useSecuritySandbox({
  functionEnvironment: { SEND_COOLDOWN_SECONDS: '10', MAX_REQUESTS_PER_IP_PER_MINUTE: '1000' },
});

/** The code written with the ten digits that start at `zero` (another script's digits). */
const digitsFrom = (zero: number) => (code: string) => [...code].map((digit) => String.fromCodePoint(zero + Number(digit))).join('');

/** Malformed answers, most of them made from the right code, so that a lenient parser would accept them. */
const MALFORMED: [string, (code: string) => string][] = [
  ['a space inside the code', (code) => `${code.slice(0, 3)} ${code.slice(3)}`],
  ['a leading space', (code) => ` ${code}`],
  ['a trailing space', (code) => `${code} `],
  ['a trailing line break', (code) => `${code}\r\n`],
  ['a leading tab', (code) => `\t${code}`],
  ['a trailing no-break space', (code) => `${code}\u00a0`],
  ['a zero-width space inside', (code) => `${code.slice(0, 3)}\u200b${code.slice(3)}`],
  ['a NUL character after it', (code) => `${code}\u0000`],
  ['a right-to-left override before it', (code) => `\u202e${code}`],
  ['Arabic-Indic digits', digitsFrom(0x0660)],
  ['Extended Arabic-Indic digits', digitsFrom(0x06f0)],
  ['Devanagari digits', digitsFrom(0x0966)],
  ['fullwidth digits', digitsFrom(0xff10)],
  ['mathematical bold digits (NFKC folds them into ASCII)', digitsFrom(0x1d7ce)],
  ['a JSON string', (code) => JSON.stringify(code)],
  ['a JSON object', (code) => JSON.stringify({ code })],
  ['a JSON array', (code) => JSON.stringify([code])],
  ['JSON null', () => 'null'],
  ['JSON true', () => 'true'],
  ['a number with a fraction', (code) => `${code}.0`],
  ['a number in exponent form', (code) => Number(code).toExponential()],
  ['a plus sign', (code) => `+${code}`],
  ['a minus sign', (code) => `-${code}`],
  ['a hexadecimal number', (code) => `0x${Number(code).toString(16)}`],
  ['an empty string', () => ''],
  ['one digit too many', (code) => `${code}0`],
  ['one digit too few', (code) => code.slice(0, -1)],
  ['the code twice', (code) => code.repeat(2)],
  ['a quote-based injection', (code) => `${code}' OR '1'='1`],
  ['100 KB of digits', (code) => code.repeat(17_000)],
];

async function answer(step: ChallengeStep, value: string) {
  return outcomeOf(() => answerChallenge(context.sandbox, context.cognito, step, value));
}

/** Keeps an answer the test made up as a secret: no handler may log an answer (whitespace-only ones excepted). */
function keepAnswer(value: string): string {
  if (value.trim().length >= 6) context.keepSecret(value);
  return value;
}

describe('malformed answers to the code challenge', () => {
  it.each(MALFORMED)('case 8: an answer with %s gets the same re-challenge as a wrong code, uses one attempt, sends nothing, and the right code still signs in', async (_case, malform) => {
    // Given
    const signIn = await codeSignIn(context);
    const malformed = keepAnswer(malform(signIn.code));
    expect(malformed).not.toBe(signIn.code);
    const sent = context.sandbox.outbox().length;

    // When
    const answered = await answer(signIn.step, malformed);

    // Then: the wrong-code re-challenge...
    expectNoServerSideFailure(answered);
    expect(answered.ok).toBe(true);
    const rechallenged = (answered as { value: RespondToAuthChallengeCommandOutput }).value;
    expect(rechallenged.AuthenticationResult).toBeUndefined();
    expect(rechallenged.ChallengeParameters).toEqual({ challenge: 'CODE', codeLength: '6', USERNAME: signIn.username });
    // ...exactly as a wrong code gets it (attempt 2)...
    const wrong = await answer(rechallenged, wrongCode(signIn.code));
    expect(stepShape(context, answered)).toEqual(stepShape(context, wrong));
    // ...and the right code is still good at attempt 3, so the malformed answer used one attempt at most
    const done = await answerChallenge(context.sandbox, context.cognito, (wrong as { value: ChallengeStep }).value, signIn.code);
    keepTokens(context, done.AuthenticationResult);
    expect(done.AuthenticationResult?.AccessToken).toBeDefined();
    expect(context.sandbox.outbox().length).toBe(sent);
  });

  it('case 8: three malformed answers end the sign-in with the same error as three wrong codes, and the code is void afterwards', async () => {
    // Given: two users with a code each
    const malformedUser = await codeSignIn(context);
    const wrongUser = await codeSignIn(context);

    // When: three malformed answers for one, three wrong codes for the other
    const malformed = [` ${malformedUser.code}`, digitsFrom(0x0660)(malformedUser.code), JSON.stringify({ code: malformedUser.code })].map(keepAnswer);
    const endOf = async (signIn: CodeSignIn, answers: string[]) => {
      let step: ChallengeStep = signIn.step;
      const outcomes: Outcome<RespondToAuthChallengeCommandOutput>[] = [];
      for (const value of answers) {
        const outcome = await answer(step, value);
        outcomes.push(outcome);
        if (outcome.ok) step = outcome.value;
      }
      return outcomes.map((outcome) => stepShape(context, outcome));
    };
    const malformedEnd = await endOf(malformedUser, malformed);
    const wrongEnd = await endOf(wrongUser, [1, 2, 3].map(() => wrongCode(wrongUser.code)));

    // Then: the same re-challenges and the same final error
    expect(malformedEnd).toEqual(wrongEnd);
    expect(malformedEnd[2]).toEqual({ error: 'NotAuthorizedException', message: expect.any(String), status: 400 });

    // And: in a new sign-in (within the cooldown, so no new code), the right code no longer works
    const again = await startSignIn(context.sandbox, context.cognito, malformedUser.email);
    const chosen = await answerChallenge(context.sandbox, context.cognito, again, 'email-otp');
    context.keepSecret(again.Session, chosen.Session);
    const late = await answer(chosen, malformedUser.code);
    expectNoServerSideFailure(late);
    expect(late.ok && late.value.AuthenticationResult).toBeFalsy();
  });

  it('case 8: a 1 MB answer is refused like a wrong code or as a bad request, never with a 5xx, uses at most one attempt, and the right code still signs in', async () => {
    // Given
    const signIn = await codeSignIn(context);
    const huge = keepAnswer(signIn.code.repeat(Math.ceil(1_048_576 / signIn.code.length)));
    const sent = context.sandbox.outbox().length;

    // When
    const answered = await answer(signIn.step, huge);

    // Then: the wrong-code re-challenge, or a 4xx from Cognito's request validation
    expectNoServerSideFailure(answered);
    if (answered.ok) expect(answered.value.ChallengeParameters).toEqual({ challenge: 'CODE', codeLength: '6', USERNAME: signIn.username });
    else expect(answered.status).toBeGreaterThanOrEqual(400);

    // And: a new sign-in within the cooldown keeps the code; a wrong code (attempt <= 2) and the right one (<= 3) sign in
    const again = await startSignIn(context.sandbox, context.cognito, signIn.email);
    const chosen = await answerChallenge(context.sandbox, context.cognito, again, 'email-otp');
    context.keepSecret(again.Session, chosen.Session);
    const wrong = await answerChallenge(context.sandbox, context.cognito, chosen, wrongCode(signIn.code));
    const done = await answerChallenge(context.sandbox, context.cognito, wrong, signIn.code);
    keepTokens(context, done.AuthenticationResult);
    expect(done.AuthenticationResult?.AccessToken).toBeDefined();
    expect(context.sandbox.outbox().length).toBe(sent);
  });

  it.each([
    ['a number', 123456],
    ['an object', { code: '123456' }],
    ['an array', ['123456']],
    ['null', null],
    ['a boolean', true],
  ])('case 8: an ANSWER that is JSON %s, not a string, is refused as a bad request, never with a 5xx, and the right code still signs in', async (_case, value) => {
    // Given
    const signIn = await codeSignIn(context);

    // When: the request as raw AWS JSON, since the SDK only sends strings
    const response = await rawPost(context.sandbox.info.cognitoEndpoint, JSON.stringify({
      ClientId: context.sandbox.info.userPoolClientId,
      ChallengeName: 'CUSTOM_CHALLENGE',
      Session: signIn.step.Session,
      ChallengeResponses: { USERNAME: signIn.username, ANSWER: value },
    }), { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': 'AWSCognitoIdentityProviderService.RespondToAuthChallenge' });

    // Then
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    const type = (JSON.parse(response.text) as { __type: string }).__type;
    expect(['InvalidParameterException', 'SerializationException']).toContain(type);
    const done = await answerChallenge(context.sandbox, context.cognito, signIn.step, signIn.code);
    keepTokens(context, done.AuthenticationResult);
    expect(done.AuthenticationResult?.AccessToken).toBeDefined();
  });
});
