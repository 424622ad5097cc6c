/**
 * How an invocation failed: the bundle did not load (`init`), the handler threw or rejected (`handler`),
 * or it ran past its timeout (`timeout`).
 */
export type FunctionErrorKind = 'init' | 'handler' | 'timeout';

/** A failed invocation, with the `errorType` and `errorMessage` Lambda would report. */
export class FunctionError extends Error {
  constructor(
    readonly kind: FunctionErrorKind,
    readonly functionName: string,
    /** e.g. `Error`, `Runtime.ImportModuleError`, `Sandbox.Timedout`. */
    readonly errorType: string,
    readonly errorMessage: string,
  ) {
    super(`${functionName} failed (${kind}): ${errorType}: ${errorMessage}`);
    this.name = 'FunctionError';
  }
}
