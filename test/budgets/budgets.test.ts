// The budgets of issue 7 that stay the same from run to run: bundle sizes, what a bundle loads at init, and
// what each flow costs in calls, counted by the sandbox. Times vary per machine: they are in `npm run bench`
// (docs/performance.md), never here. A budget that fails means a bundle grew or a flow got more expensive:
// either bring it back down or change the budget here on purpose, with the reason in the comment.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { lambdaEnvironment, loadInFreshProcess } from '../../bench/cold-init';
import { countFlow, FLOWS, type Flow, type FlowCounts } from '../../bench/flows';
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
    for (const flow of FLOWS) {
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

  test.each(['auto sign-up by email (new user)', 'sign-in through POST /sign-in (existing user)'] as const)(
    '%s: 1 POST /sign-in, then 1 Cognito call by the client, 8 Lambda invocations',
    (flow) => {
      // Given
      const { warm } = counted.get(flow)!;

      // Then: the function started the sign-in and chose the code, so the client only answers the code
      expect(warm.apiRequests).toEqual({ 'POST /sign-in': 1 });
      expect(warm.cognitoCalls).toEqual({ RespondToAuthChallenge: 1 });
      // The function's InitiateAuth: Define + Create; its "email-otp": Verify + Define + Create; the client's code: Verify + Define
      expect(warm.invocations).toEqual({
        'sign-in-api': 1, 'define-auth-challenge': 3, 'create-auth-challenge': 2, 'verify-auth-challenge': 2,
      });
    });

  test('auto sign-up by email (new user): 6 Cognito calls by the handlers, at most 14 AWS calls', () => {
    // Given
    const { first, warm } = counted.get('auto sign-up by email (new user)')!;

    // Then
    expect(cognitoCalls(warm.awsCalls)).toEqual({
      // POST /sign-in: look the address up (no user yet)...
      'cognito-idp.AdminGetUser': 1,
      // ...create the user with the address unverified and no invitation...
      'cognito-idp.AdminCreateUser': 1,
      // ...make it CONFIRMED with a random password nobody knows...
      'cognito-idp.AdminSetUserPassword': 1,
      // ...start the custom-auth sign-in and answer CHOOSE with "email-otp", so the code is sent before the client has the session.
      'cognito-idp.InitiateAuth': 1,
      'cognito-idp.RespondToAuthChallenge': 1,
      // Verify on the first right code: mark the address verified (the sign-up's completion).
      'cognito-idp.AdminUpdateUserAttributes': 1,
    });
    const budget = {
      ...cognitoCalls(warm.awsCalls),
      // The per-source-address counter and the pending sign-up marker (POST /sign-in); on CODE, count the attempt,
      // consume the code, and clear the marker once the address is verified.
      'dynamodb.UpdateItem': 5,
      // Verify on CHOOSE, as for any email code: read the state, store the code's hash, send it.
      'dynamodb.GetItem': 1,
      'dynamodb.PutItem': 1,
      'ses.SendEmail': 1,
    };
    expectWithin(warm.awsCalls, budget);
    expectWithin(first.awsCalls, budget);
    expect(total(warm.awsCalls)).toBeLessThanOrEqual(14);
  });

  test('sign-in through POST /sign-in (existing user): 3 Cognito calls by the handlers, at most 9 AWS calls', () => {
    // Given
    const { first, warm } = counted.get('sign-in through POST /sign-in (existing user)')!;

    // Then: the lookup finds the user, so nothing is created, marked or completed
    expect(cognitoCalls(warm.awsCalls)).toEqual({
      'cognito-idp.AdminGetUser': 1,
      'cognito-idp.InitiateAuth': 1,
      'cognito-idp.RespondToAuthChallenge': 1,
    });
    // The per-source-address counter; then Verify as in an email OTP sign-in (read, store, send; count the attempt, consume).
    const budget = { ...cognitoCalls(warm.awsCalls), 'dynamodb.UpdateItem': 3, 'dynamodb.GetItem': 1, 'dynamodb.PutItem': 1, 'ses.SendEmail': 1 };
    expectWithin(warm.awsCalls, budget);
    expectWithin(first.awsCalls, budget);
    expect(total(warm.awsCalls)).toBeLessThanOrEqual(9);
  });

  test('attribute change (add a phone number): no Cognito call by the client, 2 Lambda invocations, at most 11 AWS calls', () => {
    // Given
    const { first, warm } = counted.get('attribute change (add a phone number)')!;

    // Then: the client only POSTs to the two routes with its access token
    expect(warm.cognitoCalls).toEqual({});
    expect(warm.apiRequests).toEqual({ 'POST /attributes': 1, 'POST /attributes/verify': 1 });
    expect(warm.invocations).toEqual({ 'attribute-api': 2 });
    expect(cognitoCalls(warm.awsCalls)).toEqual({
      // Each route checks the access token with Cognito, which also refuses revoked tokens.
      'cognito-idp.GetUser': 2,
      // After the right code: who else holds the number (takeover refused)...
      'cognito-idp.AdminGetUser': 1,
      // ...then write it to the account, verified.
      'cognito-idp.AdminUpdateUserAttributes': 1,
    });
    const budget = {
      ...cognitoCalls(warm.awsCalls),
      // The per-source-address counter of each route; on verify, count the attempt, then consume the code.
      'dynamodb.UpdateItem': 4,
      // POST /attributes: read the account's change item (limits), store the code's hash conditionally, send it.
      'dynamodb.GetItem': 1,
      'dynamodb.PutItem': 1,
      'sns.Publish': 1,
    };
    expectWithin(warm.awsCalls, budget);
    expectWithin(first.awsCalls, budget);
    expect(total(warm.awsCalls)).toBeLessThanOrEqual(11);
  });
});

/** The handlers' Cognito calls (InitiateAuth, RespondToAuthChallenge and GetUser included, though unsigned: bench/flows.ts). */
function cognitoCalls(awsCalls: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(awsCalls).filter(([operation]) => operation.startsWith('cognito-idp.')));
}

function total(counts: Record<string, number>): number {
  return Object.values(counts).reduce((sum, count) => sum + count, 0);
}
