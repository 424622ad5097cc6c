import type { SendLatency } from './send-latency';

/**
 * Runs `work` so that its outcomes take alike times (R17): a `real` outcome (a user created, a message sent) is
 * timed and its duration kept; any other waits, after its own work, until it took as long as a kept one.
 */
export async function withAlikeTiming<T>(
  latency: SendLatency,
  sleep: (ms: number) => Promise<void>,
  work: () => Promise<{ readonly value: T; readonly real: boolean }>,
): Promise<T> {
  const started = performance.now();
  const { value, real } = await work();
  const elapsed = performance.now() - started;
  if (real) latency.observe(elapsed);
  else await sleep(Math.max(0, latency.decoyDelayMs() - elapsed));
  return value;
}
