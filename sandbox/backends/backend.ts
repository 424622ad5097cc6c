import type { InjectedError } from './operation-gate';

/** What every local AWS endpoint offers: where it listens, how to stop it, and how often each operation was called. */
export interface LocalBackend {
  /** `http://127.0.0.1:<port>`, the value for `AWS_ENDPOINT_URL_<SERVICE>`. */
  readonly endpoint: string;
  /** Closes the server and every connection; the port is free when this resolves. */
  stop(): Promise<void>;
  /** Calls per operation name (e.g. `{ Publish: 2 }`), failed ones included: the AWS calls a flow costs. */
  calls(): Record<string, number>;
}

/** A backend whose next calls of an operation can be made to fail, for tests of error handling. */
export interface FaultInjectable {
  /**
   * Answers the next `times` calls of `operation` with `error` instead of serving them; with `after`, the next
   * `after` calls of it are served first (e.g. `after: 1` fails the second UpdateItem of a flow).
   * The SDK retries 5xx and throttling errors, each retry taking one of the `times`.
   */
  failNext(operation: string, error: InjectedError, times?: number, after?: number): void;
}
