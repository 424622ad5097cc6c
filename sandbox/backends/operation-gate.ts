/** An error a test wants a backend to answer with, in the service's own error format. */
export interface InjectedError {
  /** The AWS error code, e.g. `ThrottlingException`; the SDK names the thrown error after it. */
  readonly code: string;
  readonly message: string;
  /** @default 400 */
  readonly status?: number;
}

interface Fault {
  readonly error: InjectedError;
  /** Calls still to let through before this fault answers. */
  skip: number;
  remaining: number;
}

/** What every call passes through before a backend serves it: it is counted, and may be failed on purpose. */
export class OperationGate {
  private readonly counts: Record<string, number> = {};
  private readonly faults = new Map<string, Fault[]>();

  /** Counts one call of `operation` and returns the injected error to answer with instead, if any. */
  enter(operation: string): InjectedError | undefined {
    this.counts[operation] = (this.counts[operation] ?? 0) + 1;
    const queue = this.faults.get(operation);
    const fault = queue?.[0];
    if (!queue || !fault) return undefined;
    if (fault.skip > 0) {
      fault.skip--;
      return undefined;
    }
    if (--fault.remaining === 0) queue.shift();
    return fault.error;
  }

  /** Answers `times` calls of `operation` with `error`, after letting the next `after` calls through. */
  failNext(operation: string, error: InjectedError, times = 1, after = 0): void {
    if (!Number.isInteger(times) || times < 1) throw new Error(`times must be a positive integer (received: ${times})`);
    if (!Number.isInteger(after) || after < 0) throw new Error(`after must be a non-negative integer (received: ${after})`);
    const queue = this.faults.get(operation) ?? [];
    queue.push({ error, skip: after, remaining: times });
    this.faults.set(operation, queue);
  }

  calls(): Record<string, number> {
    return { ...this.counts };
  }
}
