import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import type { DefineAuthChallengeTriggerEvent } from 'aws-lambda';
import { functionModel } from './support/function-model';
import { handlerDir, removeTempDirs, tempDir } from './support/temp-assembly';
import { FunctionError, FunctionRunner, FunctionRunnerOptions, type InvocationRecord } from '../../sandbox/lambda/function-runner';
import type { FunctionModel } from '../../sandbox/model';
import { closeServer, listenLocal, localUrl } from '../../sandbox/net/listen';

const DEFINE_AUTH_CHALLENGE_DIR = path.resolve(__dirname, '../../assets/lambda/define-auth-challenge.lambda');

const runners: FunctionRunner[] = [];
afterEach(async () => {
  await Promise.all(runners.splice(0).map((runner) => runner.stop()));
});
afterAll(removeTempDirs);

/** A runner whose logs are kept, not printed; stopped after each test. */
function startRunner(fn: FunctionModel, options: Partial<FunctionRunnerOptions> = {}): FunctionRunner {
  const created = new FunctionRunner(fn, { extraEnv: {}, onLog: () => undefined, ...options });
  runners.push(created);
  return created;
}

function defineAuthChallengeEvent(session: DefineAuthChallengeTriggerEvent['request']['session']): DefineAuthChallengeTriggerEvent {
  return {
    version: '1',
    region: 'us-east-1',
    userPoolId: 'us-east-1_example01',
    userName: 'a1b2c3',
    callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: 'client' },
    triggerSource: 'DefineAuthChallenge_Authentication',
    request: { userAttributes: { sub: 'a1b2c3', email: 'user@example.com' }, session },
    response: { challengeName: '', issueTokens: false, failAuthentication: false },
  };
}

async function failure(promise: Promise<unknown>): Promise<FunctionError> {
  const error = await promise.then(() => undefined, (rejected: unknown) => rejected);
  expect(error).toBeInstanceOf(FunctionError);
  return error as FunctionError;
}

describe('the real define-auth-challenge bundle', () => {
  test('answers a first round with a custom challenge, and tokens after a right code', async () => {
    // Given
    const define = startRunner(functionModel(DEFINE_AUTH_CHALLENGE_DIR, { environment: { MAX_ATTEMPTS: '3', LOG_LEVEL: 'info' } }));

    // When
    const first = await define.invoke(defineAuthChallengeEvent([]));
    const last = await define.invoke(defineAuthChallengeEvent([
      { challengeName: 'CUSTOM_CHALLENGE', challengeResult: true, challengeMetadata: 'CHOOSE' },
      { challengeName: 'CUSTOM_CHALLENGE', challengeResult: true, challengeMetadata: 'CODE' },
    ]));

    // Then
    expect(first).toMatchObject({ response: { challengeName: 'CUSTOM_CHALLENGE', issueTokens: false, failAuthentication: false } });
    expect(last).toMatchObject({ response: { issueTokens: true, failAuthentication: false } });
    expect(define.stats).toEqual({ invocations: 2, coldStarts: 1 });
  });

  test('logs JSON lines, each given to onLog and kept by logs()', async () => {
    // Given
    const lines: string[] = [];
    const define = startRunner(functionModel(DEFINE_AUTH_CHALLENGE_DIR, { environment: { MAX_ATTEMPTS: '3', LOG_LEVEL: 'info' } }), {
      extraEnv: { LOG_LEVEL: 'debug' },
      onLog: (line) => lines.push(line),
    });

    // When
    await define.invoke(defineAuthChallengeEvent([]));

    // Then
    expect(lines.map((line) => JSON.parse(line))).toContainEqual(expect.objectContaining({ level: 'debug', message: 'define auth challenge' }));
    expect(define.logs()).toEqual(lines);
  });
});

describe('the AWS SDK, which the Lambda runtime provides', () => {
  let server: http.Server;
  let endpoint: string;
  const requests: { target?: string; authorization?: string }[] = [];
  beforeAll(async () => {
    server = http.createServer((request, response) => {
      requests.push({ target: request.headers['x-amz-target'] as string, authorization: request.headers.authorization });
      request.resume().on('end', () => {
        response.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' }).end(JSON.stringify({ TableNames: ['local-table'] }));
      });
    });
    endpoint = localUrl(await listenLocal(server));
  });
  afterAll(() => closeServer(server));

  test('loads with import() from a bundle outside the repository, and calls the endpoint it is given with dummy credentials', async () => {
    // Given
    const codeDir = handlerDir(`exports.handler = async () => {
      const { DynamoDBClient, ListTablesCommand } = await import('@aws-sdk/client-dynamodb');
      return new DynamoDBClient({}).send(new ListTablesCommand({}));
    };`);
    const fn = startRunner(functionModel(codeDir), { extraEnv: { AWS_ENDPOINT_URL_DYNAMODB: endpoint } });

    // When
    const result = await fn.invoke({});

    // Then
    expect(codeDir.startsWith(path.resolve(__dirname, '../..'))).toBe(false);
    expect(result).toMatchObject({ TableNames: ['local-table'] });
    expect(requests.at(-1)?.target).toBe('DynamoDB_20120810.ListTables');
    expect(requests.at(-1)?.authorization).toMatch(/Credential=ASIASANDBOXLOCAL0000\/\d{8}\/eu-west-1\/dynamodb\//);
  }, 20_000);

  test('loads with require() from a bundle outside the repository', async () => {
    // Given
    const codeDir = handlerDir(`const { DynamoDBClient } = require('@aws-sdk/client-dynamodb');
      exports.handler = async () => typeof DynamoDBClient;`);

    // When
    const result = await startRunner(functionModel(codeDir)).invoke({});

    // Then
    expect(result).toBe('function');
  }, 20_000);

  test('is the only package provided: anything else a bundle leaves out fails as it would in AWS', async () => {
    // Given
    const codeDir = handlerDir('exports.handler = async () => import(\'zod\');');

    // When
    const error = await failure(startRunner(functionModel(codeDir)).invoke({}));

    // Then
    expect(error.kind).toBe('handler');
    expect(error.errorMessage).toMatch(/Cannot find package 'zod'/);
  });
});

test('the function sees its own environment and the runtime\'s, never the sandbox process\'s', async () => {
  // Given
  const codeDir = handlerDir(`exports.handler = async () => ({
    parentOnly: process.env.PARENT_ONLY_VARIABLE ?? null,
    accessKeyId: process.env.AWS_ACCESS_KEY_ID,
    profile: process.env.AWS_PROFILE ?? null,
    region: process.env.AWS_REGION,
    fromTemplate: process.env.FROM_TEMPLATE,
    extra: process.env.EXTRA,
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    memory: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
  });`);
  const saved = { ...process.env };
  Object.assign(process.env, { PARENT_ONLY_VARIABLE: 'leaked', AWS_ACCESS_KEY_ID: 'AKIAREALDEVELOPERKEY', AWS_PROFILE: 'prod', AWS_REGION: 'ap-south-1' });

  // When
  let result: unknown;
  try {
    result = await startRunner(functionModel(codeDir, { name: 'env-check', memoryMb: 256, environment: { FROM_TEMPLATE: 'template' } }), {
      extraEnv: { EXTRA: 'extra' },
    }).invoke({});
  } finally {
    process.env = saved;
  }

  // Then
  expect(result).toEqual({
    parentOnly: null,
    accessKeyId: 'ASIASANDBOXLOCAL0000',
    profile: null,
    region: 'eu-west-1',
    fromTemplate: 'template',
    extra: 'extra',
    functionName: 'env-check',
    memory: '256',
  });
});

test('an invocation past its timeout fails, and the next one starts a fresh worker', async () => {
  // Given
  const codeDir = handlerDir(`let invocations = 0;
    exports.handler = async (event) => {
      invocations++;
      if (event.spin) for (;;) {}
      return invocations;
    };`);
  const fn = startRunner(functionModel(codeDir), { timeoutMs: 300 });

  // When
  const timedOut = await failure(fn.invoke({ spin: true }));
  const next = await fn.invoke({});

  // Then
  expect(timedOut).toMatchObject({ kind: 'timeout', errorType: 'Sandbox.Timedout', errorMessage: 'Task timed out after 0.30 seconds' });
  expect(next).toBe(1);
  expect(fn.stats).toEqual({ invocations: 2, coldStarts: 2 });
});

test('the function\'s own Timeout applies when no timeout is given', async () => {
  // Given
  const codeDir = handlerDir('exports.handler = () => new Promise(() => undefined);');
  const fn = startRunner(functionModel(codeDir, { timeoutSeconds: 1 }));

  // When
  const started = Date.now();
  const error = await failure(fn.invoke({}));

  // Then
  expect(error.errorMessage).toBe('Task timed out after 1.00 seconds');
  expect(Date.now() - started).toBeGreaterThanOrEqual(950);
});

test('a handler that throws fails with the errorType and errorMessage Lambda reports, and its worker lives on', async () => {
  // Given
  const codeDir = handlerDir(`class CodeMismatchError extends Error { name = 'CodeMismatchError'; }
    exports.handler = async (event) => {
      if (event.fail) throw new CodeMismatchError('Wrong code');
      return 'fine';
    };`);
  const fn = startRunner(functionModel(codeDir));

  // When
  const error = await failure(fn.invoke({ fail: true }));
  const next = await fn.invoke({});

  // Then
  expect(error).toMatchObject({ kind: 'handler', functionName: 'test-function', errorType: 'CodeMismatchError', errorMessage: 'Wrong code' });
  expect(error.message).toBe('test-function failed (handler): CodeMismatchError: Wrong code');
  expect(next).toBe('fine');
  expect(fn.stats.coldStarts).toBe(1);
});

test('a handler that ends its process fails like a runtime exit, and the next invocation starts a fresh worker', async () => {
  // Given
  const codeDir = handlerDir('exports.handler = async (event) => (event.exit ? process.exit(7) : "alive");');
  const fn = startRunner(functionModel(codeDir));

  // When
  const error = await failure(fn.invoke({ exit: true }));
  const next = await fn.invoke({});

  // Then
  expect(error).toMatchObject({ kind: 'handler', errorType: 'Runtime.ExitError' });
  expect(error.errorMessage).toMatch(/Runtime exited with error: exit status 7/);
  expect(next).toBe('alive');
  expect(fn.stats.coldStarts).toBe(2);
});

describe('a bundle that does not load fails the invocation as an init error', () => {
  test.each([
    ['throws at load', 'throw new TypeError("MAX_ATTEMPTS must be a number");', 'index.handler', 'TypeError', /MAX_ATTEMPTS must be a number/],
    ['has a syntax error', 'exports.handler = async () => {', 'index.handler', 'Runtime.UserCodeSyntaxError', /SyntaxError/],
    ['does not export the handler', 'exports.other = async () => null;', 'index.handler', 'Runtime.HandlerNotFound', /index.handler is undefined or not exported/],
    ['is not there', 'exports.handler = async () => null;', 'missing.handler', 'Runtime.ImportModuleError', /Cannot find module 'missing'/],
  ])('a bundle that %s', async (_case, source, handler, errorType, errorMessage) => {
    // Given
    const fn = startRunner(functionModel(handlerDir(source), { handler }));

    // When
    const first = await failure(fn.invoke({}));
    const second = await failure(fn.invoke({}));

    // Then
    expect(first).toMatchObject({ kind: 'init', errorType });
    expect(first.errorMessage).toMatch(errorMessage);
    expect(second.kind).toBe('init');
    expect(fn.stats.coldStarts).toBe(2);
  });
});

test('an ES module bundle (index.mjs) loads too', async () => {
  // Given
  const codeDir = tempDir();
  fs.writeFileSync(path.join(codeDir, 'index.mjs'), `export const handler = async (event) => {
    const { DynamoDBClient } = await import('@aws-sdk/client-dynamodb');
    return { doubled: event.n * 2, sdk: typeof DynamoDBClient };
  };`);

  // When
  const result = await startRunner(functionModel(codeDir)).invoke({ n: 21 });

  // Then
  expect(result).toEqual({ doubled: 42, sdk: 'function' });
});

test('a callback-style handler gets the Lambda context', async () => {
  // Given
  const codeDir = handlerDir(`exports.handler = (event, context, callback) => {
    setTimeout(() => callback(null, {
      functionName: context.functionName,
      arn: context.invokedFunctionArn,
      memory: context.memoryLimitInMB,
      requestId: context.awsRequestId,
      remaining: context.getRemainingTimeInMillis(),
      logGroupName: context.logGroupName,
    }), 10);
  };`);

  // When
  const result = await startRunner(functionModel(codeDir, { timeoutSeconds: 3 })).invoke({}) as Record<string, unknown>;

  // Then
  expect(result).toMatchObject({
    functionName: 'test-function',
    arn: 'arn:aws:lambda:eu-west-1:000000000000:function:test-function',
    memory: '128',
    logGroupName: '/aws/lambda/test-function',
  });
  expect(result.requestId).toMatch(/^[0-9a-f-]{36}$/);
  expect(result.remaining).toBeGreaterThan(2000);
  expect(result.remaining).toBeLessThanOrEqual(3000);
});

test('invocations run one at a time, like one Lambda execution environment', async () => {
  // Given
  const codeDir = handlerDir(`let running = 0;
    exports.handler = async () => {
      running++;
      const seen = running;
      await new Promise((resolve) => setTimeout(resolve, 30));
      running--;
      return seen;
    };`);
  const fn = startRunner(functionModel(codeDir));

  // When
  const results = await Promise.all([fn.invoke({}), fn.invoke({}), fn.invoke({})]);

  // Then
  expect(results).toEqual([1, 1, 1]);
  expect(fn.stats).toEqual({ invocations: 3, coldStarts: 1 });
});

test('the event and the result go through JSON, as in Lambda', async () => {
  // Given
  const codeDir = handlerDir('exports.handler = async (event) => (event.none ? undefined : { when: event.when, type: typeof event.when });');
  const fn = startRunner(functionModel(codeDir));

  // When
  const result = await fn.invoke({ when: new Date('2026-01-02T03:04:05Z') });
  const nothing = await fn.invoke({ none: true });

  // Then
  expect(result).toEqual({ when: '2026-01-02T03:04:05.000Z', type: 'string' });
  expect(nothing).toBeNull();
});

test('without onLog, each line goes to stderr prefixed with the function name; logs() keeps the last lines', async () => {
  // Given
  const codeDir = handlerDir('exports.handler = async () => { console.log("one"); console.error("two"); process.stdout.write("three"); };');
  const fn = new FunctionRunner(functionModel(codeDir, { name: 'noisy' }), { extraEnv: {}, logLimit: 2 });
  runners.push(fn);
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);

  // When
  let written = '';
  try {
    await fn.invoke({});
  } finally {
    written = stderr.mock.calls.map(([chunk]) => String(chunk)).join('');
    stderr.mockRestore();
  }

  // Then
  expect(written).toBe('[noisy] one\n[noisy] two\n[noisy] three\n');
  expect(fn.logs()).toEqual(['two', 'three']);
});

test('stop() terminates the worker, and the runner takes no more invocations', async () => {
  // Given
  const marker = path.join(tempDir(), 'ticks');
  const codeDir = handlerDir(`const fs = require('fs');
    setInterval(() => fs.appendFileSync(${JSON.stringify(marker)}, 'x'), 5);
    exports.handler = async () => 'started';`);
  const fn = startRunner(functionModel(codeDir));
  await fn.invoke({});
  while (!fs.existsSync(marker)) await new Promise((resolve) => setTimeout(resolve, 5));

  // When
  await fn.stop();
  const ticksAtStop = fs.readFileSync(marker, 'utf-8').length;
  await new Promise((resolve) => setTimeout(resolve, 100));

  // Then
  expect(fs.readFileSync(marker, 'utf-8').length).toBe(ticksAtStop);
  await expect(fn.invoke({})).rejects.toThrow(/The runner of test-function is stopped/);
});

test('a runtime other than Node.js is refused', () => {
  expect(() => new FunctionRunner(functionModel(tempDir(), { runtime: 'python3.12' }), { extraEnv: {} }))
    .toThrow(/has runtime python3.12; the sandbox runs only Node.js functions/);
});

test('onInvoked reports how long each invocation ran, whether it started the worker, and whether it succeeded', async () => {
  // Given
  const codeDir = handlerDir(`exports.handler = async (event) => {
    if (event.fail) throw new Error('refused');
    await new Promise((resolve) => setTimeout(resolve, event.waitMs));
    return 'done';
  };`);
  const records: InvocationRecord[] = [];
  const fn = startRunner(functionModel(codeDir), { onInvoked: (record) => records.push(record) });

  // When
  await fn.invoke({ waitMs: 0 });
  await fn.invoke({ waitMs: 50 });
  await failure(fn.invoke({ fail: true }));

  // Then
  expect(records.map(({ coldStart, ok }) => ({ coldStart, ok }))).toEqual([
    { coldStart: true, ok: true },
    { coldStart: false, ok: true },
    { coldStart: false, ok: false },
  ]);
  expect(records[1].durationMs).toBeGreaterThanOrEqual(45);
  expect(records[1].durationMs).toBeLessThan(1000);
});
