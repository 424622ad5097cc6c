/**
 * How long a real send (or user creation) takes in this container, as the recent durations themselves. When
 * nothing is sent (unknown user, unverified destination, a limit reached) the handler waits one of them,
 * drawn at random, so the waits have the same spread and skew as real sends and response times do not tell
 * the cases apart (R17). A mean with jitter would not do: real durations are skewed, so their median sits
 * below the mean, and a test of the two distributions sees it.
 */
export interface SendLatency {
  observe(durationMs: number): void;
  /** A recent real duration drawn at random; before any, the initial estimate with +-10% jitter. */
  decoyDelayMs(random?: () => number): number;
}

/** How many recent durations are kept: enough for the shape, few enough to follow a change (a warm container). */
const SAMPLES = 32;

export function createSendLatency(initialMs: number): SendLatency {
  const recent: number[] = [];
  let next = 0;
  return {
    observe: (durationMs) => {
      recent[next] = durationMs;
      next = (next + 1) % SAMPLES;
    },
    decoyDelayMs: (random = Math.random) => recent.length === 0
      ? initialMs * (0.9 + random() * 0.2)
      : recent[Math.min(recent.length - 1, Math.floor(random() * recent.length))],
  };
}
