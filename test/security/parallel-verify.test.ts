// Adversarial cases 3 and 4 with Verify really running in parallel. The sandbox runs one invocation of a function
// at a time, as one Lambda execution environment does; in AWS, answers that arrive together run in separate
// environments at once. Here CONTAINERS warm environments of the real Verify bundle answer at the same moment
// against the sandbox's state table, so the limits hold only if the table's conditional writes make them hold.
// The attempt limit is the highest the handlers accept, so that as many right answers as possible get past it
// and race for the code itself.
import { useFileResource } from './support/file-resource';
import {
  answer, codeSent, linkSent, newUser, redeem, REFUSED, SECURITY_LIMITS, useKeepingClient, verifyRecord, wrongCode,
} from './support/secret-use';
import { useSecuritySandbox } from './support/security-sandbox';
import { answerEvent, startVerifyContainers, VerifyEvents } from './support/verify-containers';
import { CHOOSE, CODE } from '../../lambda/core/protocol';
import { answerChallenge, startSignIn } from '../e2e/support/custom-auth';

jest.setTimeout(60_000);

const CONTAINERS = 10;
/** The highest attempt limit the handlers accept (R4 allows 1-10). */
const MAX_ATTEMPTS = 10;
const ENVIRONMENT = { ...SECURITY_LIMITS, MAX_ATTEMPTS: String(MAX_ATTEMPTS) };

const events = new VerifyEvents();
const context = useSecuritySandbox({ functionEnvironment: ENVIRONMENT, onTriggerCall: events.record });
const cognito = useKeepingClient(context);
const containers = useFileResource(() => startVerifyContainers(context, CONTAINERS, ENVIRONMENT), (started) => started.stop(), 60_000);

describe(`Verify in ${CONTAINERS} environments at once`, () => {
  const GUESSES = 100;

  it(`case 3: ${GUESSES} wrong guesses at one code, answered by ${CONTAINERS} Verify environments at once: at most ${MAX_ATTEMPTS} are evaluated`, async () => {
    // Given: a code sent in a real sign-in; its CHOOSE answer is the template of the guesses' events
    const { email, username } = await newUser(context);
    const { step, code } = await codeSent(context, cognito, email);
    const template = events.latestOf(username);
    expect(template.request.privateChallengeParameters).toEqual({ challenge: CHOOSE });
    const guesses = Array.from({ length: GUESSES }, (_, index) => String((Number(code) + 1 + index) % 10 ** code.length).padStart(code.length, '0'));
    expect(guesses).not.toContain(code);

    // When
    const correct = await containers.answerAll(guesses.map((guess) => answerEvent(template, CODE, guess)));

    // Then: none right, every guess reached a Verify, and at most MAX_ATTEMPTS were checked against the code
    expect(correct.filter(Boolean)).toEqual([]);
    const record = verifyRecord(context, username);
    expect(record.evaluated + record.notEvaluated).toBe(GUESSES);
    expect(record.evaluated).toBeLessThanOrEqual(MAX_ATTEMPTS);

    // And the right code, in the real sign-in the code was sent for, no longer signs in
    expect((await answer(context, cognito, step, code)).kind).toBe('challenge');
    expect(verifyRecord(context, username)).toMatchObject({ evaluated: record.evaluated, accepted: 0 });
  });

  it(`case 4: a right code answered by ${CONTAINERS} Verify environments at once is accepted exactly once`, async () => {
    // Given
    const { email, username } = await newUser(context);
    const { step, code } = await codeSent(context, cognito, email);
    const template = events.latestOf(username);

    // When
    const correct = await containers.answerAll(Array.from({ length: CONTAINERS }, () => answerEvent(template, CODE, code)));

    // Then: one right answer, and the code is spent for the real sign-in too
    expect(correct.filter(Boolean)).toHaveLength(1);
    expect(verifyRecord(context, username)).toMatchObject({ accepted: 1 });
    expect((await answer(context, cognito, step, code)).kind).toBe('challenge');
    expect(verifyRecord(context, username).accepted).toBe(1);
  });

  it(`case 4: a magic link redeemed by ${CONTAINERS} Verify environments at once is accepted exactly once`, async () => {
    // Given: a link, and a real CHOOSE answer of the user as the template (not a method and not a token: it
    // sends nothing and leaves the link alone; it counts as one failure)
    const { email, username } = await newUser(context);
    const { token } = await linkSent(context, email);
    const started = await startSignIn(context.sandbox, cognito, email);
    await answerChallenge(context.sandbox, cognito, started, wrongCode('000000'));
    const template = events.latestOf(username);
    expect(template.request.privateChallengeParameters).toEqual({ challenge: CHOOSE });

    // When
    const correct = await containers.answerAll(Array.from({ length: CONTAINERS }, () =>
      answerEvent(template, CHOOSE, token, { signInMethod: 'magic-link' })));

    // Then: one accepted, and the link is spent for a real sign-in too
    expect(correct.filter(Boolean)).toHaveLength(1);
    expect(verifyRecord(context, username)).toMatchObject({ linksAccepted: 1 });
    expect(await redeem(context, cognito, email, token)).toEqual(REFUSED);
  });
});
