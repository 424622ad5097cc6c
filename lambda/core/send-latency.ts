/**
 * A running estimate of how long a real send takes in this container. When nothing is sent (unknown
 * user, unverified destination, a limit reached) the handler waits about as long, so response times do
 * not tell those cases apart from a real send (R17).
 */
export class SendLatency {
  private estimateMs: number;

  constructor(initialMs: number, private readonly weight = 0.2) {
    this.estimateMs = initialMs;
  }

  observe(durationMs: number): void {
    this.estimateMs += (durationMs - this.estimateMs) * this.weight;
  }

  /** The estimate with +-10% jitter, so a fixed decoy delay is not a fingerprint either. */
  decoyDelayMs(random: () => number = Math.random): number {
    return Math.max(0, this.estimateMs * (0.9 + random() * 0.2));
  }
}
