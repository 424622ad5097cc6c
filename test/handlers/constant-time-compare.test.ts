import { timingSafeEqual } from 'node:crypto';
import { answerMatches, hashCode, newSalt } from '../../lambda/core/otp-code';

jest.mock('node:crypto', () => {
  const actual = jest.requireActual<typeof import('node:crypto')>('node:crypto');
  return { ...actual, timingSafeEqual: jest.fn(actual.timingSafeEqual) };
});
const compare = timingSafeEqual as jest.MockedFunction<typeof timingSafeEqual>;

// R24: a code is compared as a digest, in constant time, whatever the answer looks like.
describe('answerMatches compares in constant time', () => {
  const key = 'identifier-key';
  const salt = newSalt();
  const stored = { salt, hash: hashCode(salt, 'sign-in', key, '123456'), purpose: 'sign-in' };

  test.each([
    ['the right code', '123456', true],
    ['a wrong code', '654321', false],
    ['a short answer', '1', false],
    ['letters', 'abcdef', false],
    ['an overlong answer', '1'.repeat(10_000), false],
  ])('%s goes through timingSafeEqual on two equal-length digests', (_name, answer, expected) => {
    // Given
    compare.mockClear();

    // When
    const matched = answerMatches(answer, 6, stored, key);

    // Then
    expect(matched).toBe(expected);
    expect(compare).toHaveBeenCalledTimes(1);
    const [digest, expectedDigest] = compare.mock.calls[0] as [Buffer, Buffer];
    expect(digest.length).toBe(expectedDigest.length);
    expect(digest.length).toBe(32);
  });
});
