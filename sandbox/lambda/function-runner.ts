import { randomBytes, randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { Worker } from 'node:worker_threads';
import { FunctionModel } from '../model';
import { functionEnvironment, logGroupName } from './function-environment';
import { FunctionError } from './function-error';

export { FunctionError } from './function-error';
export type { FunctionErrorKind } from './function-error';

const WORKER_FILE = path.join(__dirname, 'function-worker.js');

export interface FunctionRunnerOptions {
  /** Variables over the function's own (e.g. `AWS_ENDPOINT_URL_DYNAMODB`); they win over everything else. */
  readonly extraEnv: Record<string, string>;
  /** How long an invocation may run, cold start included. @default the function's Timeout */
  readonly timeoutMs?: number;
  /** Receives every line the function writes. @default each line goes to stderr, prefixed with the function name */
  readonly onLog?: (line: string) => void;
  /** How many of the most recent lines `logs()` keeps. @default 1000 */
  readonly logLimit?: number;
  /** Called when an invocation ends, with how long the function ran it (for benchmarks). */
  readonly onInvoked?: (record: InvocationRecord) => void;
}

/** One finished invocation, as `onInvoked` reports it. */
export interface InvocationRecord {
  /**
   * From posting the event to the worker until its result (or failure) arrived: the handler's run plus the
   * worker round trip (well under a millisecond), not the wait behind earlier invocations. For a cold start
   * it includes starting the worker and loading the bundle, as Lambda's init plus the first invocation.
   */
  readonly durationMs: number;
  /** This invocation started a fresh worker. */
  readonly coldStart: boolean;
  readonly ok: boolean;
}

export interface FunctionRunnerStats {
  readonly invocations: number;
  /** How many times a fresh worker loaded the bundle (the first invocation, and after a timeout or crash). */
  readonly coldStarts: number;
}

type WorkerMessage =
  | { readonly type: 'log'; readonly line: string }
  | { readonly type: 'ready' }
  | { readonly type: 'init-error'; readonly errorType: string; readonly errorMessage: string }
  | { readonly type: 'result'; readonly id: number; readonly payload: string }
  | { readonly type: 'error'; readonly id: number; readonly errorType: string; readonly errorMessage: string };

interface Invocation {
  readonly id: number;
  readonly requestId: string;
  readonly resolve: (result: unknown) => void;
  readonly reject: (error: Error) => void;
}

/** One execution environment: a worker that loaded the bundle, and the invocation it is running. */
interface Container {
  readonly worker: Worker;
  ready: boolean;
  current?: Invocation;
}

/**
 * Runs a function's bundle like one Lambda execution environment: in a worker thread whose environment is
 * only the function's (see functionEnvironment), loaded once and reused, one invocation at a time; after a
 * timeout or a crash the next invocation gets a fresh worker (a cold start). The event and the result go
 * through JSON, as they do in Lambda.
 */
export class FunctionRunner {
  readonly functionName: string;
  private container?: Container;
  private queue: Promise<unknown> = Promise.resolve();
  private stopped = false;
  private nextId = 0;
  private readonly counts = { invocations: 0, coldStarts: 0 };
  private readonly recentLogs: string[] = [];

  constructor(private readonly fn: FunctionModel, private readonly options: FunctionRunnerOptions) {
    this.functionName = fn.name;
    if (!fn.runtime.startsWith('nodejs')) {
      throw new Error(`Function ${fn.id} has runtime ${fn.runtime}; the sandbox runs only Node.js functions`);
    }
  }

  get stats(): FunctionRunnerStats {
    return { ...this.counts };
  }

  /** The most recent lines the function wrote, oldest first. */
  logs(): string[] {
    return [...this.recentLogs];
  }

  /**
   * Invokes the function after the invocations already queued, and resolves to its result; rejects with a
   * {@link FunctionError} when the bundle does not load, the handler fails or the invocation times out.
   * `timeoutMs` overrides the runner's timeout for this invocation.
   */
  invoke(event: unknown, options: { readonly timeoutMs?: number } = {}): Promise<unknown> {
    const invocation = this.queue.then(() => this.run(event, options.timeoutMs));
    this.queue = invocation.catch(() => undefined);
    return invocation;
  }

  /** Terminates the worker; the running invocation and any later one are rejected. */
  async stop(): Promise<void> {
    this.stopped = true;
    const container = this.container;
    if (!container) return;
    this.settle(container, (invocation) => invocation.reject(new Error(`${this.functionName} was stopped during invocation ${invocation.requestId}`)));
    await this.discard(container);
  }

  private run(event: unknown, invocationTimeoutMs?: number): Promise<unknown> {
    if (this.stopped) return Promise.reject(new Error(`The runner of ${this.functionName} is stopped`));
    const coldStart = this.container === undefined;
    const started = performance.now();
    const container = this.container ?? this.startContainer();
    const timeoutMs = invocationTimeoutMs ?? this.options.timeoutMs ?? this.fn.timeoutSeconds * 1000;
    this.counts.invocations++;
    const report = (ok: boolean) => this.options.onInvoked?.({ durationMs: performance.now() - started, coldStart, ok });
    return new Promise((resolve, reject) => {
      const invocation: Invocation = { id: ++this.nextId, requestId: randomUUID(), resolve, reject };
      const timer = setTimeout(() => {
        const message = `Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`;
        this.settle(container, (current) => current.reject(new FunctionError('timeout', this.functionName, 'Sandbox.Timedout', message)));
        void this.discard(container);
      }, timeoutMs);
      container.current = {
        ...invocation,
        resolve: (result) => { clearTimeout(timer); report(true); resolve(result); },
        reject: (error) => { clearTimeout(timer); report(false); reject(error); },
      };
      container.worker.ref();
      container.worker.postMessage({
        id: invocation.id,
        requestId: invocation.requestId,
        event: JSON.stringify(event) ?? 'null',
        deadline: Date.now() + timeoutMs,
      });
    });
  }

  private startContainer(): Container {
    const logStreamName = `${new Date().toISOString().slice(0, 10).replace(/-/g, '/')}/[$LATEST]${randomBytes(16).toString('hex')}`;
    const worker = new Worker(WORKER_FILE, {
      workerData: {
        codeDir: this.fn.codeDir,
        handler: this.fn.handler,
        functionName: this.fn.name,
        functionArn: this.fn.arn,
        memoryMb: this.fn.memoryMb,
        logGroupName: logGroupName(this.fn),
        logStreamName,
      },
      env: functionEnvironment(this.fn, logStreamName, this.options.extraEnv),
      // Not the sandbox's own flags (e.g. ts-node's --require): the bundle runs on plain Node.js.
      execArgv: [],
      // The worker forwards its output as messages; whatever still reaches its streams is logged too, never
      // mixed into the sandbox's stdout.
      stdout: true,
      stderr: true,
    });
    const container: Container = { worker, ready: false };
    for (const stream of [worker.stdout, worker.stderr]) createInterface({ input: stream }).on('line', (line) => this.log(line));
    worker.on('message', (message: WorkerMessage) => this.receive(container, message));
    worker.on('error', (error: unknown) => {
      const { name, message } = error instanceof Error ? error : { name: 'Error', message: String(error) };
      this.settle(container, (invocation) => invocation.reject(
        new FunctionError(container.ready ? 'handler' : 'init', this.functionName, name, message)));
      void this.discard(container);
    });
    worker.on('exit', (code) => {
      this.settle(container, (invocation) => invocation.reject(new FunctionError(container.ready ? 'handler' : 'init', this.functionName,
        'Runtime.ExitError', `RequestId: ${invocation.requestId} Error: Runtime exited with error: exit status ${code}`)));
      if (this.container === container) this.container = undefined;
    });
    worker.unref();
    this.container = container;
    this.counts.coldStarts++;
    return container;
  }

  private receive(container: Container, message: WorkerMessage): void {
    switch (message.type) {
      case 'log':
        return this.log(message.line);
      case 'ready':
        container.ready = true;
        return;
      case 'init-error':
        this.settle(container, (invocation) => invocation.reject(
          new FunctionError('init', this.functionName, message.errorType, message.errorMessage)));
        void this.discard(container);
        return;
      case 'result':
        if (container.current?.id !== message.id) return;
        return this.settle(container, (invocation) => invocation.resolve(JSON.parse(message.payload)));
      case 'error':
        if (container.current?.id !== message.id) return;
        return this.settle(container, (invocation) => invocation.reject(
          new FunctionError('handler', this.functionName, message.errorType, message.errorMessage)));
    }
  }

  /** Ends the container's running invocation, if any, with `outcome`. */
  private settle(container: Container, outcome: (invocation: Invocation) => void): void {
    const invocation = container.current;
    if (!invocation) return;
    container.current = undefined;
    container.worker.unref();
    outcome(invocation);
  }

  /** Terminates the container's worker; the next invocation starts a fresh one. */
  private async discard(container: Container): Promise<void> {
    if (this.container === container) this.container = undefined;
    await container.worker.terminate();
  }

  private log(line: string): void {
    this.recentLogs.push(line);
    if (this.recentLogs.length > (this.options.logLimit ?? 1000)) this.recentLogs.shift();
    if (this.options.onLog) this.options.onLog(line);
    else process.stderr.write(`[${this.functionName}] ${line}\n`);
  }
}
