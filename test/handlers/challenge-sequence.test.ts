import { nextStep, Round } from '../../lambda/core/challenge-sequence';

const choose = (result = false): Round => ({ challengeName: 'CUSTOM_CHALLENGE', challengeResult: result, challengeMetadata: 'CHOOSE' });
const code = (result: boolean): Round => ({ challengeName: 'CUSTOM_CHALLENGE', challengeResult: result, challengeMetadata: 'CODE' });

test('a new session gets a custom challenge', () => {
  expect(nextStep([], 3)).toEqual({ kind: 'challenge' });
});

test('after the choice comes the code challenge', () => {
  expect(nextStep([choose()], 3)).toEqual({ kind: 'challenge' });
});

test('a right code issues tokens', () => {
  expect(nextStep([choose(), code(false), code(true)], 3)).toEqual({ kind: 'tokens' });
});

test('wrong codes re-challenge until the attempt limit, then fail', () => {
  expect(nextStep([choose(), code(false), code(false)], 3)).toEqual({ kind: 'challenge' });
  expect(nextStep([choose(), code(false), code(false), code(false)], 3)).toEqual({ kind: 'fail' });
});

test('a session that did not start with our choice round, or used another challenge, fails', () => {
  expect(nextStep([code(true)], 3)).toEqual({ kind: 'fail' });
  expect(nextStep([{ challengeName: 'SRP_A', challengeResult: true }], 3)).toEqual({ kind: 'fail' });
  expect(nextStep([choose(), { challengeName: 'PASSWORD_VERIFIER', challengeResult: true, challengeMetadata: 'CODE' }], 3))
    .toEqual({ kind: 'fail' });
});

describe('the magic-link hint (ClientMetadata signInMethod=magic-link)', () => {
  const hint = { signInMethod: 'magic-link' };

  test('a refused first-round answer with the hint ends the sign-in', () => {
    expect(nextStep([choose(false)], 3, hint)).toEqual({ kind: 'fail' });
  });

  test('a refused first-round answer without it goes on to the code challenge', () => {
    expect(nextStep([choose(false)], 3)).toEqual({ kind: 'challenge' });
    expect(nextStep([choose(false)], 3, {})).toEqual({ kind: 'challenge' });
    expect(nextStep([choose(false)], 3, { signInMethod: 'email-otp' })).toEqual({ kind: 'challenge' });
    expect(nextStep([choose(false)], 3, { other: 'magic-link' })).toEqual({ kind: 'challenge' });
  });

  test('an accepted link issues tokens', () => {
    expect(nextStep([choose(true)], 3, hint)).toEqual({ kind: 'tokens' });
    expect(nextStep([choose(true)], 3)).toEqual({ kind: 'tokens' });
  });

  test('on later rounds the hint changes nothing', () => {
    const sessions = [
      [choose(), code(false)],
      [choose(), code(false), code(false)],
      [choose(), code(false), code(false), code(false)],
      [choose(), code(true)],
      [choose(), code(false), code(true)],
    ];
    for (const session of sessions) expect(nextStep(session, 3, hint)).toEqual(nextStep(session, 3));
  });

  test('on a new session the hint changes nothing', () => {
    expect(nextStep([], 3, hint)).toEqual({ kind: 'challenge' });
  });
});
