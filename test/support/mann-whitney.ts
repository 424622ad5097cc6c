/** The result of a two-sided Mann-Whitney U test (normal approximation with tie and continuity corrections). */
export interface MannWhitneyResult {
  /** U of the first sample. */
  readonly u: number;
  readonly z: number;
  /** Two-sided p-value: how likely samples this different are if both come from one distribution. */
  readonly p: number;
}

/**
 * Mann-Whitney U test of two independent samples, as scipy.stats.mannwhitneyu(x, y, method='asymptotic')
 * computes it. Used to check that response times do not tell two groups of requests apart (R17).
 */
export function mannWhitneyU(x: readonly number[], y: readonly number[]): MannWhitneyResult {
  const n1 = x.length;
  const n2 = y.length;
  if (n1 === 0 || n2 === 0) throw new Error('mannWhitneyU needs two non-empty samples');
  const all = [...x.map((value) => ({ value, first: true })), ...y.map((value) => ({ value, first: false }))]
    .sort((a, b) => a.value - b.value);
  let rankSumX = 0;
  let tieTerm = 0;
  for (let start = 0; start < all.length;) {
    let end = start;
    while (end + 1 < all.length && all[end + 1].value === all[start].value) end++;
    const rank = (start + end) / 2 + 1; // mean rank of the tied run, 1-based
    const ties = end - start + 1;
    tieTerm += ties ** 3 - ties;
    for (let i = start; i <= end; i++) if (all[i].first) rankSumX += rank;
    start = end + 1;
  }
  const u = rankSumX - (n1 * (n1 + 1)) / 2;
  const n = n1 + n2;
  const mean = (n1 * n2) / 2;
  const sd = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1))));
  if (sd === 0) return { u, z: 0, p: 1 };
  const z = (Math.abs(u - mean) - 0.5) / sd;
  return { u, z: Math.max(z, 0), p: Math.min(1, 2 * (1 - normalCdf(Math.max(z, 0)))) };
}

/** Φ(z), with the Abramowitz-Stegun 7.1.26 approximation of erf (error below 1.5e-7). */
export function normalCdf(z: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(z) / Math.SQRT2);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-(z * z) / 2);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/** The median of a sample. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
