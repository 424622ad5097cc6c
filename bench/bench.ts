// `npm run bench`: what the handlers cost, measured on this machine. Prints a table and writes
// bench/results.json (`npm run bench -- --help` lists the options). docs/performance.md says what each
// figure means and how to read it.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import {
  lambdaEnvironment,
  measureColdInit,
  ratio,
  sdkModulesAtInit,
  writeReferenceBundles,
  type ColdInitResult,
} from './cold-init';
import {
  addPhoneNumber,
  countFlow,
  CountingCognitoClient,
  FLOWS,
  newEmail,
  newPhone,
  redeemMagicLink,
  requestMagicLink,
  seedUser,
  signInThroughApi,
  signInWithCode,
  type Flow,
  type FlowCounts,
  type Step,
} from './flows';
import {
  bundleFile,
  bundleSizes,
  handlerByFunctionName,
  HANDLERS,
  synthesizeExample,
  BUNDLE_BUDGET_BYTES,
  type Handler,
} from './handlers';
import { round, spread, total, type Spread } from './stats';
import { countsText, ms, table } from './table';
import { startSandbox, type Sandbox } from '../sandbox/start';

const { values: args } = parseArgs({
  options: {
    'cold-runs': { type: 'string', default: '21' },
    'sign-ins': { type: 'string', default: '40' },
    'clients': { type: 'string', default: '50' },
    'per-client': { type: 'string', default: '4' },
    'out': { type: 'string', default: path.join(__dirname, 'results.json') },
    'help': { type: 'boolean', default: false },
  },
});
if (args.help) {
  process.stdout.write([
    'Usage: npm run bench -- [options]',
    '  --cold-runs <n>   fresh Node.js processes per bundle for the cold init (default 21, at least 15)',
    '  --sign-ins <n>    sequential email OTP sign-ins for the latency (default 40, at least 30)',
    '  --clients <n>     concurrent clients for the throughput (default 50)',
    '  --per-client <n>  sign-ins per concurrent client (default 4)',
    '  --out <file>      where to write the results (default bench/results.json)',
    '',
  ].join('\n'));
  process.exit(0);
}
const COLD_RUNS = positive('cold-runs', 15);
const SIGN_INS = positive('sign-ins', 30);
const CLIENTS = positive('clients', 1);
const PER_CLIENT = positive('per-client', 1);
/** Steady-state runs of each flow whose counts must all agree. */
const FLOW_RUNS = 5;
/** Warm sign-ins by SMS, by magic link and through POST /sign-in, and attribute changes, for the other cases' timing. */
const OTHER_WARM_RUNS = 15;

/** Which case of a handler an invocation was, from what the client was doing when the function ran. */
function caseOf(handler: Handler, step: Step): string {
  const cases: Partial<Record<Handler, Partial<Record<Step, string>>>> = {
    'verify-auth-challenge': {
      'choose-email': 'CHOOSE -> email code',
      'choose-sms': 'CHOOSE -> SMS code',
      'answer-code': 'CODE check',
      'redeem-link': 'magic-link redemption',
      'sign-in-new': 'CHOOSE -> email code (POST /sign-in)',
      'sign-in-existing': 'CHOOSE -> email code (POST /sign-in)',
      'answer-sign-up-code': 'CODE check + sign-up completion',
    },
    'magic-link-api': { 'request-link': 'POST /magic-link' },
    'sign-in-api': { 'sign-in-new': 'POST /sign-in, new user', 'sign-in-existing': 'POST /sign-in, existing user' },
    'attribute-api': { 'request-attribute-code': 'POST /attributes', 'verify-attribute-code': 'POST /attributes/verify' },
  };
  const byStep = cases[handler];
  return byStep ? byStep[step] ?? step : 'all';
}

interface InvocationSample {
  readonly handler: Handler;
  readonly case: string;
  readonly durationMs: number;
}

async function main(): Promise<void> {
  log(`bench: ${os.availableParallelism()} CPUs (${os.cpus()[0]?.model ?? 'unknown'}), Node.js ${process.version}`);
  const sizes = bundleSizes();
  const example = synthesizeExample();
  const references = writeReferenceBundles();
  let sandbox: Sandbox | undefined;
  try {
    // 1. Cold init: fresh processes loading each bundle, the empty handler (the floor) and a DynamoDB-at-init reference.
    log(`bench: cold init, ${COLD_RUNS} fresh processes per bundle`);
    const floorEnv = lambdaEnvironment(example.functions['define-auth-challenge']);
    const cold = await measureColdInit([
      { name: 'empty handler (floor)', file: references.empty, env: floorEnv },
      ...HANDLERS.map((handler) => ({ name: handler, file: bundleFile(handler), env: lambdaEnvironment(example.functions[handler]) })),
      { name: 'reference: DynamoDB client at init', file: references.dynamodbAtInit, env: floorEnv },
    ], COLD_RUNS);
    const sdkAtInit = await sdkModulesAtInit(example.functions);

    // 2. The sandbox, with every invocation's duration recorded while `recording` is on.
    const handlerOf = handlerByFunctionName(example.functions);
    let step: Step = 'initiate';
    let recording = false;
    const samples: InvocationSample[] = [];
    const busyMs: Partial<Record<Handler, number>> = {};
    let countBusy = false;
    sandbox = await startSandbox({
      app: example.dir,
      onLog: () => undefined,
      // Every request comes from 127.0.0.1; the per-address limit (10 a minute by default) would refuse the benchmark's.
      functionEnvironment: { MAX_REQUESTS_PER_IP_PER_MINUTE: '1000' },
      onInvocation: ({ functionName, durationMs, coldStart, ok }) => {
        const handler = handlerOf[functionName];
        if (!handler) return;
        if (countBusy) busyMs[handler] = (busyMs[handler] ?? 0) + durationMs;
        if (recording && !coldStart && ok) samples.push({ handler, case: caseOf(handler, step), durationMs });
      },
    });
    const onStep = (next: Step) => {
      step = next;
    };

    // 3. Calls per flow: the first run (cold functions), then FLOW_RUNS runs that must agree.
    log('bench: counting the calls of each flow');
    const flows: FlowResult[] = [];
    for (const flow of FLOWS) flows.push(await countFlowRuns(sandbox, handlerOf, flow));

    // 4. Warm invocations and sign-in latency: sequential flows, fresh users, warm functions.
    log(`bench: ${SIGN_INS} sequential email OTP sign-ins; ${OTHER_WARM_RUNS} each of SMS OTP sign-ins, magic links, `
      + 'auto sign-ups, POST /sign-in sign-ins and phone numbers added');
    const client = new CountingCognitoClient(sandbox);
    const latencies: number[] = [];
    try {
      // Seeding users (AdminCreateUser) runs no function, so recording stays on throughout.
      recording = true;
      for (let index = 0; index < SIGN_INS; index++) {
        const email = newEmail();
        await seedUser(sandbox, client.client, { email });
        latencies.push((await signInWithCode(sandbox, client.client, email, 'email-otp', onStep)).cognitoMs);
      }
      for (let index = 0; index < OTHER_WARM_RUNS; index++) {
        const phone = newPhone();
        const email = newEmail();
        await seedUser(sandbox, client.client, { phone });
        await seedUser(sandbox, client.client, { email });
        await signInWithCode(sandbox, client.client, phone, 'sms-otp', onStep);
        const token = await requestMagicLink(sandbox, email, onStep);
        await redeemMagicLink(sandbox, client.client, email, token, onStep);
      }
      for (let index = 0; index < OTHER_WARM_RUNS; index++) {
        const existing = newEmail();
        await seedUser(sandbox, client.client, { email: existing });
        await signInThroughApi(sandbox, client.client, existing, false, onStep);
        const accessToken = await signInThroughApi(sandbox, client.client, newEmail(), true, onStep);
        await addPhoneNumber(sandbox, accessToken, newPhone(), onStep);
      }
    } finally {
      recording = false;
      client.destroy();
    }

    // 5. Throughput: CLIENTS concurrent clients, each signing in PER_CLIENT fresh users one after the other.
    log(`bench: ${CLIENTS} concurrent clients x ${PER_CLIENT} email OTP sign-ins`);
    const throughput = await measureThroughput(sandbox, () => {
      countBusy = true;
    });
    countBusy = false;

    const results = {
      machine: {
        cpus: os.availableParallelism(),
        cpuModel: os.cpus()[0]?.model ?? 'unknown',
        memoryGb: round(os.totalmem() / 2 ** 30, 1),
        os: `${os.type()} ${os.release()} ${os.arch()}`,
        node: process.version,
      },
      date: new Date().toISOString().slice(0, 10),
      bundles: HANDLERS.map((handler) => ({
        handler,
        bytes: sizes[handler],
        budgetBytes: BUNDLE_BUDGET_BYTES[handler],
      })),
      coldInit: coldInitResults(cold, sdkAtInit),
      warmInvocations: warmResults(samples),
      flows,
      signInLatency: { flow: 'email OTP sign-in', signIns: latencies.length, ms: spread(latencies) },
      throughput: {
        ...throughput,
        busyShare: Object.fromEntries(HANDLERS.filter((handler) => busyMs[handler]).map((handler) =>
          [handler, round(busyMs[handler]! / throughput.wallMs)])),
      },
    };
    fs.writeFileSync(args.out!, `${JSON.stringify(results, null, 2)}\n`);
    process.stdout.write(`${report(results)}\n\nWrote ${path.relative(process.cwd(), args.out!)}\n`);
    if (results.throughput.failures > 0) {
      process.stderr.write(`bench: ${results.throughput.failures} sign-ins failed under load (see throughput.failureSamples)\n`);
      process.exitCode = 1;
    }
  } finally {
    await sandbox?.stop();
    references.remove();
    example.remove();
  }
}

interface FlowResult {
  readonly flow: Flow;
  readonly cognitoCalls: Record<string, number>;
  readonly totalCognitoCalls: number;
  readonly apiRequests: Record<string, number>;
  readonly invocations: Partial<Record<Handler, number>>;
  readonly totalInvocations: number;
  readonly awsCalls: Record<string, number>;
  /** AWS calls the first run made on top of the steady ones (once per container, e.g. fetching a public key). */
  readonly firstRunExtraAwsCalls: Record<string, number>;
  readonly runs: number;
}

/** One cold run of `flow`, then FLOW_RUNS warm runs whose counts must be identical (they are the flow's cost). */
async function countFlowRuns(sandbox: Sandbox, handlerOf: Record<string, Handler>, flow: Flow): Promise<FlowResult> {
  const first = await countFlow(sandbox, handlerOf, flow);
  const steady: FlowCounts[] = [];
  for (let run = 0; run < FLOW_RUNS; run++) steady.push(await countFlow(sandbox, handlerOf, flow));
  const [counts] = steady;
  for (const other of steady) {
    if (JSON.stringify(other) !== JSON.stringify(counts)) {
      throw new Error(`The counts of ${flow} differ between runs: ${JSON.stringify(counts)} vs ${JSON.stringify(other)}`);
    }
  }
  const extra = Object.fromEntries(Object.entries(first.awsCalls)
    .map(([operation, count]) => [operation, count - (counts.awsCalls[operation] ?? 0)])
    .filter(([, count]) => count !== 0));
  return {
    flow,
    cognitoCalls: counts.cognitoCalls,
    totalCognitoCalls: total(counts.cognitoCalls),
    apiRequests: counts.apiRequests,
    invocations: counts.invocations,
    totalInvocations: total(counts.invocations),
    awsCalls: counts.awsCalls,
    firstRunExtraAwsCalls: extra,
    runs: FLOW_RUNS,
  };
}

async function measureThroughput(sandbox: Sandbox, onStart: () => void) {
  const admin = new CognitoIdentityProviderClient({
    region: sandbox.info.region,
    endpoint: sandbox.info.cognitoEndpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const users = Array.from({ length: CLIENTS }, () => Array.from({ length: PER_CLIENT }, () => newEmail()));
  try {
    const all = users.flat();
    for (let index = 0; index < all.length; index += 10) {
      await Promise.all(all.slice(index, index + 10).map((email) => seedUser(sandbox, admin, { email })));
    }
  } finally {
    admin.destroy();
  }
  const latencies: number[] = [];
  const failures: string[] = [];
  onStart();
  const started = performance.now();
  await Promise.all(users.map(async (emails) => {
    const client = new CountingCognitoClient(sandbox);
    try {
      for (const email of emails) {
        try {
          latencies.push((await signInWithCode(sandbox, client.client, email, 'email-otp')).cognitoMs);
        } catch (error) {
          failures.push(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
        }
      }
    } finally {
      client.destroy();
    }
  }));
  const wallMs = performance.now() - started;
  return {
    clients: CLIENTS,
    signIns: CLIENTS * PER_CLIENT,
    failures: failures.length,
    failureSamples: [...new Set(failures)].slice(0, 5),
    wallMs: round(wallMs),
    signInsPerSecond: round((latencies.length * 1000) / wallMs, 1),
    latencyMs: latencies.length > 0 ? spread(latencies) : null,
  };
}

function coldInitResults(cold: readonly ColdInitResult[], sdkAtInit: Record<Handler, string[]>) {
  const floor = cold[0];
  const row = (result: ColdInitResult) => ({
    initMs: result.initMs,
    loadMs: result.loadMs,
    ratioToFloor: ratio(result.initMs.median, floor.initMs.median),
  });
  return {
    runs: COLD_RUNS,
    floor: { name: floor.name, initMs: floor.initMs, loadMs: floor.loadMs },
    handlers: HANDLERS.map((handler) => ({
      handler,
      ...row(cold.find((result) => result.name === handler)!),
      sdkModulesAtInit: sdkAtInit[handler],
    })),
    reference: { name: cold[cold.length - 1].name, ...row(cold[cold.length - 1]) },
  };
}

function warmResults(samples: readonly InvocationSample[]) {
  const rows: { handler: Handler; case: string; ms: Spread }[] = [];
  for (const handler of HANDLERS) {
    const mine = samples.filter((sample) => sample.handler === handler);
    const cases = [...new Set(mine.map((sample) => sample.case))];
    for (const name of cases) {
      rows.push({ handler, case: name, ms: spread(mine.filter((sample) => sample.case === name).map((sample) => sample.durationMs)) });
    }
  }
  return rows;
}

type Results = {
  machine: { cpus: number; cpuModel: string; node: string };
  bundles: { handler: string; bytes: number; budgetBytes: number | null }[];
  coldInit: ReturnType<typeof coldInitResults>;
  warmInvocations: ReturnType<typeof warmResults>;
  flows: FlowResult[];
  signInLatency: { signIns: number; ms: Spread };
  throughput: Awaited<ReturnType<typeof measureThroughput>> & { busyShare: Record<string, number> };
};

function report(results: Results): string {
  const { coldInit, throughput } = results;
  const sections = [
    `Machine: ${results.machine.cpus} CPUs (${results.machine.cpuModel}), Node.js ${results.machine.node}`,
    table('Bundle sizes (minified)', ['handler', 'bytes', 'budget'], results.bundles.map((bundle) => [
      bundle.handler,
      String(bundle.bytes),
      bundle.budgetBytes === null ? '-' : `${bundle.budgetBytes} ${bundle.bytes < bundle.budgetBytes ? 'ok' : 'OVER'}`,
    ])),
    table(`Cold init (${coldInit.runs} fresh Node.js processes each; init = process start to handler loaded)`,
      ['bundle', 'init median', 'init p95', 'require median', 'x floor', 'AWS SDK at init'], [
        [coldInit.floor.name, ms(coldInit.floor.initMs.median), ms(coldInit.floor.initMs.p95), ms(coldInit.floor.loadMs.median), '1.00x', '-'],
        ...coldInit.handlers.map((row) => [
          row.handler, ms(row.initMs.median), ms(row.initMs.p95), ms(row.loadMs.median), `${row.ratioToFloor.toFixed(2)}x`,
          row.sdkModulesAtInit.length === 0 ? 'none' : row.sdkModulesAtInit.join(' '),
        ]),
        [coldInit.reference.name, ms(coldInit.reference.initMs.median), ms(coldInit.reference.initMs.p95),
          ms(coldInit.reference.loadMs.median), `${coldInit.reference.ratioToFloor.toFixed(2)}x`, '@aws-sdk/client-dynamodb'],
      ]),
    table('Warm invocations in the sandbox (ms; the event to the worker and back, local backends)',
      ['handler', 'case', 'n', 'median', 'p95'],
      results.warmInvocations.map((row) => [row.handler, row.case, String(row.ms.count), ms(row.ms.median), ms(row.ms.p95)])),
    table('Calls per flow (counted by the sandbox; same in every warm run)',
      ['flow', 'client calls', 'Lambda invocations', 'AWS calls by handlers', 'first run only'],
      results.flows.map((flow) => [
        flow.flow,
        `${total(flow.apiRequests) + flow.totalCognitoCalls} (${countsText({ ...flow.apiRequests, ...flow.cognitoCalls })})`,
        `${flow.totalInvocations} (${countsText(shortNames(flow.invocations))})`,
        `${total(flow.awsCalls)} (${countsText(flow.awsCalls)})`,
        countsText(flow.firstRunExtraAwsCalls),
      ])),
    table('Sign-in (email OTP, fresh users; ms the client waits on its 3 Cognito calls)',
      ['measure', 'sign-ins', 'median', 'p95', 'sign-ins/s', 'failures'], [
        ['one client, sequential', String(results.signInLatency.signIns), ms(results.signInLatency.ms.median), ms(results.signInLatency.ms.p95), '-', '0'],
        [`${throughput.clients} concurrent clients`, String(throughput.signIns),
          throughput.latencyMs ? ms(throughput.latencyMs.median) : '-', throughput.latencyMs ? ms(throughput.latencyMs.p95) : '-',
          String(throughput.signInsPerSecond), String(throughput.failures)],
      ]),
    `Under load, share of the wall time each function was busy (one container each): ${
      Object.entries(throughput.busyShare).map(([handler, share]) => `${handler} ${Math.round(share * 100)}%`).join(', ')}`,
  ];
  return sections.join('\n\n');
}

function shortNames(invocations: Partial<Record<Handler, number>>): Record<string, number> {
  return Object.fromEntries(Object.entries(invocations).map(([handler, count]) => [handler.replace(/-auth-challenge$/, ''), count]));
}

function positive(name: keyof typeof args, minimum: number): number {
  const value = Number(args[name]);
  if (!Number.isInteger(value) || value < minimum) throw new Error(`--${name} must be an integer >= ${minimum} (received: ${args[name]})`);
  return value;
}

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});
