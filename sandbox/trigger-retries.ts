import type { TriggerName } from './model';

/** The triggers of a custom-auth sign-in, the ones the sandbox runs. */
export type ChallengeTrigger = 'DefineAuthChallenge' | 'CreateAuthChallenge' | 'VerifyAuthChallengeResponse';

/**
 * Retries Cognito will make, as asked by a test: Cognito invokes a trigger again with the same event when the
 * first invocation timed out (after doing its work) or failed with a retryable error, and uses only the last result.
 */
export class TriggerRetries {
  private readonly pending = new Map<TriggerName, number>();

  /** The next `times` invocations of `trigger` each run twice with the same event, the first result discarded. */
  retryNext(trigger: ChallengeTrigger, times = 1): void {
    if (!Number.isInteger(times) || times < 1) throw new Error(`times must be a positive integer (received: ${times})`);
    this.pending.set(trigger, (this.pending.get(trigger) ?? 0) + times);
  }

  /** Whether this invocation of `trigger` is one to run twice; each retry asked for is taken once. */
  take(trigger: TriggerName): boolean {
    const left = this.pending.get(trigger) ?? 0;
    if (left === 0) return false;
    this.pending.set(trigger, left - 1);
    return true;
  }
}
