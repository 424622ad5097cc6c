/**
 * A running estimate of how long a real send takes in this container. When nothing is sent (unknown
 * user, unverified destination, a limit reached) the handler waits about as long, so response times do
 * not tell those cases apart from a real send (R17).
 */
export interface SendLatency {
  observe(durationMs: number): void;
  /** The estimate with +-10% jitter, so a fixed decoy delay is not a fingerprint either. */
  decoyDelayMs(random?: () => number): number;
}

/** How much one observed send moves the estimate (an exponential moving average). */
const WEIGHT = 0.2;

export function createSendLatency(initialMs: number): SendLatency {
  let estimateMs = initialMs;
  return {
    observe: (durationMs) => void (estimateMs += (durationMs - estimateMs) * WEIGHT),
    decoyDelayMs: (random = Math.random) => Math.max(0, estimateMs * (0.9 + random() * 0.2)),
  };
}
