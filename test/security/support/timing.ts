import { mannWhitneyU, median, type MannWhitneyResult } from '../../support/mann-whitney';

/**
 * Requests per group in the timing comparisons: R17 asks for n >= 200, so that a systematic difference of a
 * fraction of the spread is detected.
 */
export const TIMING_SAMPLES = 200;

/**
 * The p-value below which two groups count as told apart by their response times. 0.001, not 0.05: each file
 * compares several paths on a shared, busy machine (other suites run at the same time), and a threshold of 0.05
 * would fail about one run in twenty with no leak at all; at 0.001 a false alarm is rare (about 1 in 1000 per
 * comparison), while a real leak (existing and unknown identifiers taking different paths, e.g. a send that an
 * unknown identifier skips without a decoy wait) still gives p far below it at n = 200.
 */
export const TIMING_P_THRESHOLD = 0.001;

export interface TimingComparison {
  readonly path: string;
  readonly existing: readonly number[];
  readonly unknown: readonly number[];
  readonly test: MannWhitneyResult;
}

/**
 * Times `existing(i)` and `unknown(i)` for i = 0..n-1, one request at a time, interleaved (the order alternates
 * every pair, so neither group always runs first) to cancel drift, after `warmup` untimed pairs. Each callback
 * returns the milliseconds its request took (it times only the request, not its own preparation). Prints the
 * medians, U, z and p.
 */
export async function compareTimings(options: {
  readonly path: string;
  readonly n?: number;
  readonly warmup?: number;
  readonly existing: (index: number) => Promise<number>;
  readonly unknown: (index: number) => Promise<number>;
}): Promise<TimingComparison> {
  const n = options.n ?? TIMING_SAMPLES;
  for (let index = 0; index < (options.warmup ?? 0); index++) {
    await options.existing(-1 - index);
    await options.unknown(-1 - index);
  }
  const existing: number[] = [];
  const unknown: number[] = [];
  for (let index = 0; index < n; index++) {
    if (index % 2 === 0) {
      existing.push(await options.existing(index));
      unknown.push(await options.unknown(index));
    } else {
      unknown.push(await options.unknown(index));
      existing.push(await options.existing(index));
    }
  }
  const test = mannWhitneyU(existing, unknown);
  console.log(`${options.path} timing (n = ${n} per group): existing median ${median(existing).toFixed(2)} ms, `
    + `unknown median ${median(unknown).toFixed(2)} ms, Mann-Whitney U = ${test.u}, z = ${test.z.toFixed(2)}, p = ${test.p.toFixed(4)}`);
  return { path: options.path, existing, unknown, test };
}

/** Runs `request` and returns how long it took in milliseconds. */
export async function timed(request: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await request();
  return performance.now() - started;
}
