// The budgets of issue 7 that stay the same from run to run: bundle sizes, what a bundle loads at init, and
// what each flow costs in calls, counted by the sandbox. Times vary per machine: they are in `npm run bench`
// (docs/performance.md), never here. A budget that fails means a bundle grew or a flow got more expensive:
// either bring it back down or change the budget here on purpose, with the reason in the comment.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { lambdaEnvironment, loadInFreshProcess } from '../../bench/cold-init';
import { countFlow, type Flow, type FlowCounts } from '../../bench/flows';
import {
  bundleFile,
  bundleSizes,
  handlerByFunctionName,
  HANDLERS,
  synthesizeExample,
  BUNDLE_BUDGET_BYTES,
  TRIGGER_BUNDLE_TARGET_BYTES,
  type ExampleAssembly,
  type Handler,
} from '../../bench/handlers';
import { startSandbox, type Sandbox } from '../../sandbox/start';

jest.setTimeout(120_000);

let example: ExampleAssembly;
beforeAll(() => {
  example = synthesizeExample();
});
afterAll(() => example?.remove());

describe('bundle sizes', () => {
  test.each(HANDLERS)('the %s bundle stays within its budget', (handler) => {
    // Given the bundles the `bundle` task built (test runs after it)
    const sizes = bundleSizes();

    // Then
    expect(sizes[handler]).toBeLessThan(BUNDLE_BUDGET_BYTES[handler]);
  });

  test.each(['define-auth-challenge', 'create-auth-challenge'] as const)('the %s bundle meets the 10 KiB trigger target', (handler) => {
    expect(bundleSizes()[handler]).toBeLessThan(TRIGGER_BUNDLE_TARGET_BYTES);
  });
});

describe('AWS SDK modules loaded at init (a fresh Node.js process with the function environment of the example app)', () => {
  test('the check sees a bundle that loads the SDK at init, by require() or by import()', async () => {
    // Given
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'budget-probe-'));
    const file = path.join(dir, 'index.js');
    fs.writeFileSync(file, `"use strict";
      require("@aws-sdk/client-dynamodb");
      import("@aws-sdk/client-sns").catch(() => undefined);
      exports.handler = async (event) => event;`);

    // When
    let loaded;
    try {
      loaded = await loadInFreshProcess(file, lambdaEnvironment(example.functions['define-auth-challenge']), { detectSdk: true });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }

    // Then
    expect(loaded.sdkModules).toEqual(expect.arrayContaining(['@aws-sdk/client-dynamodb', '@aws-sdk/client-sns']));
  });

  test('define-auth-challenge loads no AWS SDK module', async () => {
    // When
    const loaded = await loadInFreshProcess(
      bundleFile('define-auth-challenge'), lambdaEnvironment(example.functions['define-auth-challenge']), { detectSdk: true });

    // Then
    expect(loaded.sdkModules).toEqual([]);
  });

  test.each(HANDLERS.filter((handler) => handler !== 'define-auth-challenge'))(
    '%s loads no AWS SDK module before an invocation needs a client',
    async (handler) => {
      // When
      const loaded = await loadInFreshProcess(bundleFile(handler), lambdaEnvironment(example.functions[handler]), { detectSdk: true });

      // Then
      expect(loaded.sdkModules).toEqual([]);
    });
});

describe('calls per flow, through the sandbox with the example app', () => {
  let sandbox: Sandbox;
  let handlerOf: Record<string, Handler>;
  /** What each flow cost on its first run (cold functions) and on a second run (warm). */
  const counted = new Map<Flow, { first: FlowCounts; warm: FlowCounts }>();

  beforeAll(async () => {
    sandbox = await startSandbox({ app: example.dir, onLog: () => undefined });
    handlerOf = handlerByFunctionName(example.functions);
    for (const flow of ['email OTP sign-in', 'SMS OTP sign-in', 'magic-link request', 'magic-link redemption'] as const) {
      const first = await countFlow(sandbox, handlerOf, flow);
      counted.set(flow, { first, warm: await countFlow(sandbox, handlerOf, flow) });
    }
  }, 120_000);
  afterAll(() => sandbox?.stop());

  /** Every operation within its budget, and no operation without one: the ones over budget, with their counts, must be none. */
  function expectWithin(actual: Record<string, number>, budget: Record<string, number>): void {
    const over = Object.fromEntries(Object.entries(actual).filter(([operation, count]) => count > (budget[operation] ?? 0)));
    expect(over).toEqual({});
  }

  test.each(['email OTP sign-in', 'SMS OTP sign-in'] as const)('%s: at most 3 Cognito calls and 7 Lambda invocations', (flow) => {
    // Given
    const { warm } = counted.get(flow)!;

    // Then: InitiateAuth, RespondToAuthChallenge with the method, RespondToAuthChallenge with the code
    expect(total(warm.cognitoCalls)).toBeLessThanOrEqual(3);
    // InitiateAuth: Define + Create; the method: Verify + Define + Create; the code: Verify + Define
    expect(warm.invocations).toEqual({ 'define-auth-challenge': 3, 'create-auth-challenge': 2, 'verify-auth-challenge': 2 });
  });

  test('email OTP sign-in: at most 5 AWS calls by the handlers', () => {
    // Given
    const { first, warm } = counted.get('email OTP sign-in')!;

    // Then
    const budget = {
      // Verify on CHOOSE: read the identifier's state (send cooldown, hourly quota, lock-out, version)...
      'dynamodb.GetItem': 1,
      // ...store the new code's salted hash, conditional on that version (voids any older code or link)...
      'dynamodb.PutItem': 1,
      // ...and send the code. Define and Create make no AWS call.
      'ses.SendEmail': 1,
      // Verify on CODE: count the attempt (conditional update), then consume the code once (conditional update).
      'dynamodb.UpdateItem': 2,
    };
    expectWithin(warm.awsCalls, budget);
    expectWithin(first.awsCalls, budget);
    expect(total(warm.awsCalls)).toBeLessThanOrEqual(5);
  });

  test('SMS OTP sign-in: at most 5 AWS calls by the handlers', () => {
    // Given
    const { first, warm } = counted.get('SMS OTP sign-in')!;

    // Then: as by email, with the code sent by SNS
    const budget = { 'dynamodb.GetItem': 1, 'dynamodb.PutItem': 1, 'sns.Publish': 1, 'dynamodb.UpdateItem': 2 };
    expectWithin(warm.awsCalls, budget);
    expectWithin(first.awsCalls, budget);
    expect(total(warm.awsCalls)).toBeLessThanOrEqual(5);
  });

  test('magic-link request: no Cognito call by the client, 1 Lambda invocation, at most 6 AWS calls', () => {
    // Given
    const { first, warm } = counted.get('magic-link request')!;

    // Then: the client only POSTs to the API, and the handler's own Cognito call is counted as an AWS call
    expect(warm.cognitoCalls).toEqual({});
    expect(warm.invocations).toEqual({ 'magic-link-api': 1 });
    expect(warm.awsCalls['cognito-idp.AdminGetUser']).toBe(1);
    const budget = {
      // The per-source-address counter of this minute (one conditional update).
      'dynamodb.UpdateItem': 1,
      // Find the user by email: the API has no trigger event, so Cognito is the only source of the username
      // and of whether the address is verified.
      'cognito-idp.AdminGetUser': 1,
      // Read the identifier's state (cooldown, quota, lock-out), then store the new link's nonce hash, conditionally.
      'dynamodb.GetItem': 1,
      'dynamodb.PutItem': 1,
      // Sign the link inside KMS (the private key never leaves it), then send it.
      'kms.Sign': 1,
      'ses.SendEmail': 1,
    };
    expectWithin(warm.awsCalls, budget);
    expectWithin(first.awsCalls, budget);
    expect(total(warm.awsCalls)).toBeLessThanOrEqual(6);
  });

  test('magic-link redemption: 2 Cognito calls, 4 Lambda invocations, 1 AWS call (and the public key once per container)', () => {
    // Given
    const { first, warm } = counted.get('magic-link redemption')!;

    // Then: InitiateAuth (Define + Create), then the token as the answer (Verify + Define)
    expect(total(warm.cognitoCalls)).toBe(2);
    expect(warm.invocations).toEqual({ 'define-auth-challenge': 2, 'create-auth-challenge': 1, 'verify-auth-challenge': 1 });
    // The signature is checked locally; consuming the link is one conditional update. (The client's own
    // Cognito calls are not AWS calls of the handlers.)
    expectWithin(warm.awsCalls, { 'dynamodb.UpdateItem': 1 });
    // The first redemption in a container also fetches the key's public half, which is then cached.
    expectWithin(first.awsCalls, { 'dynamodb.UpdateItem': 1, 'kms.GetPublicKey': 1 });
    expect(sandbox.awsCalls()['kms.GetPublicKey'] ?? 0).toBeLessThanOrEqual(1);
  });
});

function total(counts: Record<string, number>): number {
  return Object.values(counts).reduce((sum, count) => sum + count, 0);
}
