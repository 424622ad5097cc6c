import { answerMatches, generateCode, hashCode, identifierKey, newSalt } from '../../lambda/core/otp-code';

describe('generateCode', () => {
  test.each([6, 8, 10])('draws %i digits, zero-padded', (length) => {
    for (let i = 0; i < 200; i++) expect(generateCode(length)).toMatch(new RegExp(`^[0-9]{${length}}$`));
  });

  test('every digit appears in every position, about equally often', () => {
    const draws = 20_000;
    const counts = Array.from({ length: 6 }, () => new Array(10).fill(0));
    for (let i = 0; i < draws; i++) {
      [...generateCode(6)].forEach((digit, position) => counts[position][Number(digit)]++);
    }
    // Chi-square against the uniform distribution, 9 degrees of freedom. 46 is the critical value at p = 1e-6, so
    // six positions give a false alarm about once in 170,000 runs; a real bias (a digit never drawn) scores ~2,000.
    for (const position of counts) {
      expect(Math.min(...position)).toBeGreaterThan(0);
      const expected = draws / 10;
      const chiSquare = position.reduce((sum, seen) => sum + (seen - expected) ** 2 / expected, 0);
      expect(chiSquare).toBeLessThan(46);
    }
  });

  test('refuses lengths it cannot draw uniformly', () => {
    expect(() => generateCode(15)).toThrow(RangeError);
    expect(() => generateCode(0)).toThrow(RangeError);
  });
});

describe('code hashes', () => {
  const salt = newSalt();
  const key = identifierKey('us-east-1_Pool', 'user');
  const stored = { salt, purpose: 'sign-in', hash: hashCode(salt, 'sign-in', key, '123456') };

  test('the right answer matches', () => {
    expect(answerMatches('123456', 6, stored, key)).toBe(true);
  });

  test.each([
    ['a wrong code', '123457'],
    ['a leading space', ' 123456'],
    ['a trailing newline', '123456\n'],
    ['Arabic-Indic digits', '١٢٣٤٥٦'],
    ['full-width digits', '１２３４５６'],
    ['a JSON value', '{"code":"123456"}'],
    ['an empty answer', ''],
    ['one megabyte', '1'.repeat(1_000_000)],
  ])('%s does not match', (_name, answer) => {
    expect(answerMatches(answer, 6, stored, key)).toBe(false);
  });

  test('a code is bound to its identifier and purpose', () => {
    const otherKey = identifierKey('us-east-1_Pool', 'someone-else');
    expect(answerMatches('123456', 6, stored, otherKey)).toBe(false);
    expect(answerMatches('123456', 6, { ...stored, purpose: 'verify-attribute' }, key)).toBe(false);
  });

  test('the stored hash reveals neither the code nor the salt', () => {
    expect(stored.hash).not.toContain('123456');
    expect(stored.hash).not.toBe(hashCode(newSalt(), 'sign-in', key, '123456'));
  });
});

describe('identifierKey', () => {
  test('is case-insensitive and Unicode-normalized', () => {
    expect(identifierKey('p', 'Person@Example.COM')).toBe(identifierKey('p', 'person@example.com'));
    expect(identifierKey('p', 'ｐerson')).toBe(identifierKey('p', 'person'));
  });

  test('is bound to the user pool and holds no identifier', () => {
    expect(identifierKey('pool-a', 'person@example.com')).not.toBe(identifierKey('pool-b', 'person@example.com'));
    expect(identifierKey('pool-a', 'person@example.com')).not.toContain('person');
  });
});

test('the uniformity check catches a biased generator like one that never draws a 9', () => {
  const draws = 20_000;
  const counts = new Array(10).fill(0);
  for (let i = 0; i < draws; i++) counts[i % 9]++;
  const expected = draws / 10;
  const chiSquare = counts.reduce((sum, seen) => sum + (seen - expected) ** 2 / expected, 0);
  expect(chiSquare).toBeGreaterThan(46);
});
