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
