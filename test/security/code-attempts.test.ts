// Adversarial cases 1-3 (R4): wrong guesses at a sign-in code. At most MAX_ATTEMPTS answers are ever checked
// against one code, counted server side: neither a new session nor 100 answers at once get more, and once a code
// has had its attempts even the right one is refused; only a new code (after the send cooldown) signs in.
import {
  afterCooldown, answer, codeSent, codeStep, keepingClients, MAX_ATTEMPTS, messagesTo, newUser, nextStep, REFUSED,
  SECURITY_LIMITS, tokenSets, useKeepingClient, verifyRecord, wrongCode,
} from './support/secret-use';
import { useSecuritySandbox } from './support/security-sandbox';

jest.setTimeout(60_000);

const context = useSecuritySandbox({ functionEnvironment: SECURITY_LIMITS });
const cognito = useKeepingClient(context);

/** Answers `step` with `value` and expects the session to go on with another CODE challenge (no tokens). */
async function expectRechallenged(step: Parameters<typeof answer>[2], value: string) {
  const next = nextStep(await answer(context, cognito, step, value));
  expect(next.ChallengeParameters).toMatchObject({ challenge: 'CODE' });
  return next;
}

describe('attempts per code (R4)', () => {
  it('case 1: three wrong codes then the right one: refused, and only a new code signs in', async () => {
    // Given: a code sent
    const { email, username } = await newUser(context);
    const first = await codeSent(context, cognito, email);
    const wrong = wrongCode(first.code);

    // When: MAX_ATTEMPTS wrong answers in the session
    let step = first.step;
    for (let attempt = 1; attempt < MAX_ATTEMPTS; attempt++) step = await expectRechallenged(step, wrong);
    const last = await answer(context, cognito, step, wrong);

    // Then the sign-in fails
    expect(last).toEqual(REFUSED);

    // When: the right code in a new sign-in (within the cooldown: no new code is sent)
    const again = await codeStep(context, cognito, email);
    expect(again.sent).toBe(false);
    const right = await answer(context, cognito, again.step, first.code);

    // Then it is refused too: the code had its attempts; it was not even checked
    expect(right.kind).toBe('challenge');
    expect(verifyRecord(context, username)).toMatchObject({ evaluated: MAX_ATTEMPTS, notEvaluated: 1, accepted: 0 });

    // When: a new sign-in after the cooldown sends a new code
    await afterCooldown(first.sentAt);
    const second = await codeSent(context, cognito, email);

    // Then the old code is refused and the new one signs in
    expect(second.code).not.toBe(first.code);
    const withOld = await expectRechallenged(second.step, first.code);
    expect(tokenSets([await answer(context, cognito, withOld, second.code)])).toBe(1);
    expect(messagesTo(context, email)).toBe(2);
  });

  it('case 2: a new InitiateAuth does not reset the attempt count of a code', async () => {
    // Given: a code, and all but one of its attempts spent in a first sign-in
    const { email, username } = await newUser(context);
    const { step: firstSession, code } = await codeSent(context, cognito, email);
    const wrong = wrongCode(code);
    let step = firstSession;
    for (let attempt = 1; attempt < MAX_ATTEMPTS; attempt++) step = await expectRechallenged(step, wrong);

    // When: a new sign-in (no new code within the cooldown) spends the last attempt, then answers the right code
    const second = await codeStep(context, cognito, email);
    expect(second.sent).toBe(false);
    const afterLastAttempt = await expectRechallenged(second.step, wrong);
    const right = await answer(context, cognito, afterLastAttempt, code);

    // Then the right code is refused: the count lives with the code, not the session
    expect(right.kind).toBe('challenge');
    // And a third sign-in fares no better
    const third = await codeStep(context, cognito, email);
    expect((await answer(context, cognito, third.step, code)).kind).toBe('challenge');
    expect(verifyRecord(context, username)).toMatchObject({ evaluated: MAX_ATTEMPTS, notEvaluated: 2, accepted: 0 });
    expect(messagesTo(context, email)).toBe(1);
  });
});

describe('concurrent guesses (R4)', () => {
  const GUESSES = 100;

  it(`case 3: ${GUESSES} concurrent wrong guesses at one code: at most ${MAX_ATTEMPTS} are evaluated, and the right code then fails`, async () => {
    // Given: a code sent, and GUESSES sessions at its CODE challenge, each with its own client (no new code is sent)
    const { email, username } = await newUser(context);
    const { code } = await codeSent(context, cognito, email);
    const clients = keepingClients(context, GUESSES);
    try {
      const sessions = await Promise.all(clients.map((client) => codeStep(context, client, email)));
      expect(sessions.filter(({ sent }) => sent)).toEqual([]);
      const before = verifyRecord(context, username);

      // When: every session sends a different wrong guess at the same moment
      const guesses = Array.from({ length: GUESSES }, (_, index) => String((Number(code) + 1 + index) % 10 ** code.length).padStart(code.length, '0'));
      expect(guesses).not.toContain(code);
      const results = await Promise.all(sessions.map(({ step }, index) => answer(context, clients[index], step, guesses[index])));

      // Then: none signed in, every answer reached Verify, and at most MAX_ATTEMPTS were checked against the code
      expect(tokenSets(results)).toBe(0);
      const after = verifyRecord(context, username);
      const evaluated = after.evaluated - before.evaluated;
      expect(evaluated + after.notEvaluated - before.notEvaluated).toBe(GUESSES);
      expect(evaluated).toBeLessThanOrEqual(MAX_ATTEMPTS);
    } finally {
      clients.destroyAll();
    }

    // When: the right code, in a new sign-in
    const late = await codeStep(context, cognito, email);
    expect(late.sent).toBe(false);
    const right = await answer(context, cognito, late.step, code);

    // Then it is refused, and never was evaluated past the limit
    expect(right.kind).toBe('challenge');
    expect(verifyRecord(context, username)).toMatchObject({ evaluated: MAX_ATTEMPTS, accepted: 0 });
    expect(messagesTo(context, email)).toBe(1);
  });
});
