// Adversarial case 2 (R5): an attacker who starts sign-in after sign-in and guesses each new code gets no more
// than the failure limit allows. After MAX_FAILURES wrong answers in the window no new code or link is issued,
// so at most MAX_FAILURES + MAX_ATTEMPTS - 1 guesses are ever checked; and a locked identifier looks, from
// outside, exactly like an unknown one.
import type { RespondToAuthChallengeCommandOutput } from '@aws-sdk/client-cognito-identity-provider';
import {
  afterCooldown, answer, codeStep, freshEmail, latestCode, MAX_ATTEMPTS, messagesTo, newUser, REFUSED, SECURITY_LIMITS,
  useKeepingClient, verifyRecord, wrongCode, type AnswerResult,
} from './support/secret-use';
import { useSecuritySandbox } from './support/security-sandbox';
import { startSignIn, UUID } from '../e2e/support/custom-auth';
import { requestLink } from '../e2e/support/magic-links';
import { postSignIn } from '../e2e/support/sign-up-api';

jest.setTimeout(90_000);

/** R5's default: failures per identifier in the window. */
const MAX_FAILURES = 10;

const context = useSecuritySandbox({
  functionEnvironment: {
    ...SECURITY_LIMITS,
    MAX_FAILURES: String(MAX_FAILURES),
    FAILURE_WINDOW_SECONDS: '3600',
    // The hourly send quota (R8) raised, so that only the failure limit can be what stops the codes here.
    MAX_SENDS_PER_HOUR: '60',
  },
});
const cognito = useKeepingClient(context);

/** Answers a CODE step with `value` MAX_ATTEMPTS times in a row: what the client saw each time. */
async function spendAttempts(step: RespondToAuthChallengeCommandOutput, value: string): Promise<AnswerResult[]> {
  const results: AnswerResult[] = [];
  let current = step;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const result = await answer(context, cognito, current, value);
    results.push(result);
    if (result.kind !== 'challenge') break;
    current = result.step;
  }
  return results;
}

/** What a client sees of a result, without the per-user and per-session values (USERNAME, Session). */
function outward(result: AnswerResult) {
  if (result.kind !== 'challenge') return result;
  const { USERNAME, ...parameters } = result.step.ChallengeParameters ?? {};
  return { kind: result.kind, challengeName: result.step.ChallengeName, parameters, usernameIsUuid: UUID.test(USERNAME ?? '') };
}

/** Status and body of POST /sign-in, with the session and USERNAME left out (they differ on every request). */
async function signInOutward(response: Response) {
  const body = (await response.json()) as { session?: string; challengeParameters?: Record<string, string> };
  context.keepSecret(body.session);
  const { USERNAME, ...parameters } = body.challengeParameters ?? {};
  return { status: response.status, keys: Object.keys(body).sort(), parameters, usernameIsUuid: UUID.test(USERNAME ?? ''), hasSession: typeof body.session === 'string' };
}

describe('failures per identifier (R5)', () => {
  const locked = { email: '', username: '', lastCode: '' };

  it(`case 2: sign-in after sign-in with wrong guesses: at most ${MAX_FAILURES + MAX_ATTEMPTS - 1} guesses are evaluated, then no new code is sent`, async () => {
    // Given
    const { email, username } = await newUser(context);
    Object.assign(locked, { email, username });

    // When: new sign-ins, each waiting out the send cooldown and spending every attempt of the code it got,
    // until a sign-in gets no code (bounded, in case nothing ever stops it)
    let codes = 0;
    let lastSentAt = 0;
    let unsent: RespondToAuthChallengeCommandOutput | undefined;
    for (let round = 0; round < 2 * MAX_FAILURES && !unsent; round++) {
      if (codes > 0) await afterCooldown(lastSentAt);
      const { step, sent } = await codeStep(context, cognito, email);
      if (!sent) {
        unsent = step;
        break;
      }
      codes++;
      lastSentAt = Date.now();
      locked.lastCode = latestCode(context, email);
      const results = await spendAttempts(step, wrongCode(locked.lastCode));
      expect(results[results.length - 1]).toEqual(REFUSED);
    }

    // Then: the codes stopped once MAX_FAILURES wrong answers were in the window, and no more guesses were checked
    // than the failure limit lets through (the code issued just below the limit keeps its attempts)
    expect(unsent).toBeDefined();
    expect(codes).toBe(Math.ceil(MAX_FAILURES / MAX_ATTEMPTS));
    const record = verifyRecord(context, username);
    expect(record.evaluated).toBe(codes * MAX_ATTEMPTS);
    expect(record.evaluated).toBeLessThanOrEqual(MAX_FAILURES + MAX_ATTEMPTS - 1);
    expect(record.notSent).toEqual({ locked: 1 });

    // When: more guesses in the locked sign-in (the last code among them) and in further sign-ins
    const more = await spendAttempts(unsent!, locked.lastCode);
    const further = await codeStep(context, cognito, email);
    const furtherResults = await spendAttempts(further.step, locked.lastCode);

    // Then: none is evaluated, none signs in, nothing is sent
    expect([...more, ...furtherResults].filter((result) => result.kind === 'tokens')).toEqual([]);
    expect(further.sent).toBe(false);
    expect(verifyRecord(context, username).evaluated).toBe(record.evaluated);
    expect(messagesTo(context, email)).toBe(codes);
  });

  it('case 2: a locked identifier gets no link and no code from the API either', async () => {
    // Given: the identifier the test above locked
    expect(locked.username).not.toBe('');
    const sentBefore = messagesTo(context, locked.email);
    const evaluatedBefore = verifyRecord(context, locked.username).evaluated;

    // When
    const link = await requestLink(context.sandbox, locked.email);
    const signIn = await postSignIn(context.sandbox, locked.email, 'email');
    const viaApi = (await signIn.json()) as { session: string; challengeParameters: Record<string, string> };
    context.keepSecret(viaApi.session);
    const answered = await answer(context, cognito, { Session: viaApi.session, ChallengeParameters: viaApi.challengeParameters }, locked.lastCode);

    // Then: the usual answers, but nothing was sent and nothing was evaluated
    expect(link.status).toBe(202);
    expect(signIn.status).toBe(200);
    expect(answered.kind).toBe('challenge');
    expect(messagesTo(context, locked.email)).toBe(sentBefore);
    expect(verifyRecord(context, locked.username).evaluated).toBe(evaluatedBefore);
  });

  it('case 2: a locked identifier and an unknown one look the same from outside', async () => {
    // Given: the locked identifier of the first test, and addresses of nobody (one per path: an API request
    // for an unknown address signs it up)
    expect(locked.username).not.toBe('');
    const [unknownForCognito, unknownForLink, unknownForSignIn] = [freshEmail(), freshEmail(), freshEmail()];

    // When / Then: InitiateAuth
    const [lockedStart, unknownStart] = await Promise.all([locked.email, unknownForCognito]
      .map((email) => startSignIn(context.sandbox, cognito, email)));
    expect(outward({ kind: 'challenge', step: lockedStart })).toEqual(outward({ kind: 'challenge', step: unknownStart }));

    // When / Then: choosing email-otp, and wrong answers until the sign-in fails
    const [lockedCode, unknownCode] = await Promise.all([locked.email, unknownForCognito].map((email) => codeStep(context, cognito, email)));
    expect(outward({ kind: 'challenge', step: lockedCode.step })).toEqual(outward({ kind: 'challenge', step: unknownCode.step }));
    expect([lockedCode.sent, unknownCode.sent]).toEqual([false, false]);
    const lockedAnswers = await spendAttempts(lockedCode.step, locked.lastCode);
    const unknownAnswers = await spendAttempts(unknownCode.step, locked.lastCode);
    expect(lockedAnswers.map(outward)).toEqual(unknownAnswers.map(outward));
    expect(lockedAnswers[lockedAnswers.length - 1]).toEqual(REFUSED);

    // When / Then: POST /magic-link
    const [lockedLink, unknownLink] = await Promise.all([locked.email, unknownForLink].map((email) => requestLink(context.sandbox, email)));
    expect({ status: lockedLink.status, body: await lockedLink.json() }).toEqual({ status: unknownLink.status, body: await unknownLink.json() });

    // When / Then: POST /sign-in
    const [lockedSignIn, unknownSignIn] = await Promise.all([locked.email, unknownForSignIn].map((email) => postSignIn(context.sandbox, email, 'email')));
    const lockedView = await signInOutward(lockedSignIn);
    expect(lockedView).toEqual(await signInOutward(unknownSignIn));
    expect(lockedView).toMatchObject({ status: 200, hasSession: true, usernameIsUuid: true });
  });
});
