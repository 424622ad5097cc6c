/** Median and 95th percentile of a sample, in the sample's unit, rounded to hundredths. */
export interface Spread {
  readonly count: number;
  readonly median: number;
  readonly p95: number;
}

/** The nearest-rank percentile (`fraction` in 0..1) of a non-empty sample. */
export function percentile(values: readonly number[], fraction: number): number {
  if (values.length === 0) throw new Error('percentile of an empty sample');
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))];
}

/** The median (mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of an empty sample');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function spread(values: readonly number[]): Spread {
  return { count: values.length, median: round(median(values)), p95: round(percentile(values, 0.95)) };
}

export function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** A copy of `counts` with its keys sorted and zero entries dropped, so that JSON output is stable. */
export function sortedCounts(counts: Readonly<Record<string, number>>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).filter(([, count]) => count !== 0).sort(([a], [b]) => a.localeCompare(b)));
}

/** `after - before` per key (keys missing from `before` count from zero), zero entries dropped, keys sorted. */
export function countsDelta(before: Readonly<Record<string, number>>, after: Readonly<Record<string, number>>): Record<string, number> {
  return sortedCounts(Object.fromEntries(Object.entries(after).map(([key, count]) => [key, count - (before[key] ?? 0)])));
}

export function total(counts: Readonly<Record<string, number>>): number {
  return Object.values(counts).reduce((sum, count) => sum + count, 0);
}
