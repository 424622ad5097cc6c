import { mannWhitneyU, median, normalCdf } from './mann-whitney';

// Reference values from scipy.stats.mannwhitneyu(x, y, method='asymptotic') (continuity and tie corrections on).

test('fully separated samples: U is 0 and p matches the normal approximation', () => {
  const result = mannWhitneyU([1, 2, 3, 4, 5], [6, 7, 8, 9, 10]);
  expect(result.u).toBe(0);
  // z = (12.5 - 0.5) / sqrt(25 * 11 / 12) = 2.5067; p = 2 * (1 - Φ(2.5067))
  expect(result.z).toBeCloseTo(2.5067, 3);
  expect(result.p).toBeCloseTo(0.01219, 4);
});

test('identical samples are indistinguishable (p = 1)', () => {
  const result = mannWhitneyU([1, 2, 3, 4], [1, 2, 3, 4]);
  expect(result.u).toBe(8);
  expect(result.p).toBeCloseTo(1, 6);
});

test('ties get mean ranks and shrink the variance', () => {
  // sorted 1 1 | 2 2 2 | 3 3 3 -> ranks 1.5 1.5 | 4 4 4 | 7 7 7; x = 1.5 + 1.5 + 4 + 4 = 11; U = 11 - 10 = 1
  const result = mannWhitneyU([1, 1, 2, 2], [2, 3, 3, 3]);
  expect(result.u).toBe(1);
  // tie term = (2^3 - 2) + (3^3 - 3) + (3^3 - 3) = 54; sd = sqrt(16 / 12 * (9 - 54 / 56)); z = (8 - 1 - 0.5) / sd
  expect(result.z).toBeCloseTo(6.5 / Math.sqrt((16 / 12) * (9 - 54 / 56)), 6);
});

test('all values equal: no evidence of a difference', () => {
  expect(mannWhitneyU([5, 5, 5], [5, 5])).toEqual({ u: 3, z: 0, p: 1 });
});

test('an empty sample is an error', () => {
  expect(() => mannWhitneyU([], [1])).toThrow(/non-empty/);
});

test('Φ and the median', () => {
  expect(normalCdf(0)).toBeCloseTo(0.5, 7);
  expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
  expect(normalCdf(-1.959964)).toBeCloseTo(0.025, 6);
  expect(median([3, 1, 2])).toBe(2);
  expect(median([4, 1, 3, 2])).toBe(2.5);
});
