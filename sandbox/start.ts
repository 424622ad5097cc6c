import { existsSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { magicLinkApiInfo, magicLinkApiRoutes } from './apigateway/magic-link-api';
import { RestApiGateway } from './apigateway/rest-api-gateway';
import { readAssembly } from './assembly/read-assembly';
import { synthesize } from './assembly/synthesize';
import type { FaultInjectable } from './backends/backend';
import { startDynamoDb } from './backends/dynamodb';
import { startKms } from './backends/kms';
import { mergeOutboxes, type OutboxMessage } from './backends/outbox';
import { startSes } from './backends/ses';
import { startSns } from './backends/sns';
import { CognitoService } from './cognito/cognito-service';
import { FunctionCognitoCalls } from './cognito/function-calls';
import { FunctionRunner, type InvocationRecord } from './lambda/function-runner';
import type { AppModel, FunctionModel, PoolModel } from './model';
import { closeServer, listenLocal, localUrl } from './net/listen';
import { createSandboxServer } from './sandbox-server';
import { TRIGGER_TIMEOUT_MS, triggerInvoker, type TriggerCall } from './trigger-invoker';
import { type ChallengeTrigger, TriggerRetries } from './trigger-retries';

/** The repository root: the default app and the SDK the handlers load are resolved from here. */
export const REPO_ROOT = path.resolve(__dirname, '..');
/** The example app (examples/app.ts), run the way the CDK CLI runs an app. */
export const DEFAULT_APP = 'npx ts-node --transpile-only --project test/tsconfig.json examples/app.ts';

export interface SandboxOptions {
  /** A CDK app command, or a cloud assembly directory (cdk.out). @default the example app */
  readonly app?: string;
  /** Where the app command runs. @default the repository root */
  readonly cwd?: string;
  /** The port of the Cognito endpoint and the other routes. @default a free port */
  readonly port?: number;
  /** Every log line of every function (JSON lines from the handlers). @default written to stderr */
  readonly onLog?: (functionName: string, line: string) => void;
  /** Every trigger invocation, with the event sent and the event returned. */
  readonly onTriggerCall?: (call: TriggerCall) => void;
  /** Every finished Lambda invocation (triggers and API functions), with how long the function ran it. */
  readonly onInvocation?: (invocation: InvocationRecord & { readonly functionName: string }) => void;
  /** Extra environment for every function (e.g. LOG_LEVEL=debug), over the template's. */
  readonly functionEnvironment?: Record<string, string>;
  /** How long the REST APIs wait for a function before answering 504. @default 29 seconds, as API Gateway */
  readonly integrationTimeoutMs?: number;
}

/** The one JSON line the sandbox prints on start. */
export interface SandboxInfo {
  readonly region: string;
  readonly userPoolId: string;
  readonly userPoolClientId: string;
  readonly cognitoEndpoint: string;
  /** The magic-link REST API's local base URL, `<cognitoEndpoint>/apis/<restApiId>/<stage>/`; null without an API. */
  readonly apiUrl: string | null;
  /** The redirect URIs its links may lead to (loopback entries on the sandbox's port). */
  readonly redirectUris: string[];
  readonly issuer: string;
  readonly jwksUri: string;
  readonly outboxUrl: string;
  readonly demoUrl: string;
}

export interface Sandbox {
  readonly info: SandboxInfo;
  readonly app: AppModel;
  readonly cognito: CognitoService;
  /**
   * The local AWS backends, and the Cognito endpoint as the functions call it (`cognito`: AdminGetUser,
   * InitiateAuth, GetUser...; a client's calls are never failed), to make their next calls fail in tests of error handling.
   */
  readonly faults: Record<'dynamodb' | 'ses' | 'sns' | 'kms' | 'cognito', FaultInjectable>;
  /**
   * Makes Cognito retry a trigger: its next `times` invocations each run twice with the same event, and only the
   * second result counts, as when Cognito retries an invocation that timed out after doing its work.
   */
  retryNextTrigger(trigger: ChallengeTrigger, times?: number): void;
  /** Every item of a table (the app's first table by default), read without counting or failing a call. */
  tableItems(tableName?: string): Promise<Record<string, AttributeValue>[]>;
  /** Every email and SMS sent, oldest first. */
  outbox(): OutboxMessage[];
  /**
   * AWS API calls the handlers made, per service and operation, e.g. `{ "dynamodb.GetItem": 3 }`; their calls
   * to the sandbox's Cognito endpoint count as `cognito-idp.<Operation>` (a client's calls do not).
   */
  awsCalls(): Record<string, number>;
  /** Lambda invocations per function name (triggers and API functions). */
  invocations(): Record<string, number>;
  /** Stops the functions, the backends and the server; no port or worker is left. */
  stop(): Promise<void>;
}

/** Synthesizes (or reads) the app, starts the local backends, runners and the Cognito endpoint. */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const appOption = options.app ?? DEFAULT_APP;
  const cwd = options.cwd ?? REPO_ROOT;
  const givenAssembly = existsSync(path.join(path.resolve(cwd, appOption), 'manifest.json'));
  const assemblyDir = await synthesize(appOption, cwd);

  const stoppers: (() => Promise<void>)[] = [];
  // A synthesized assembly lives in a temp dir of ours; a given cdk.out stays.
  if (!givenAssembly) stoppers.push(async () => rmSync(assemblyDir, { recursive: true, force: true }));
  const stop = async () => {
    for (const stopOne of stoppers.reverse()) await stopOne().catch(() => undefined);
  };
  try {
    const app = readAssembly(assemblyDir);
    const pool = mainPool(app);
    const client = pool.clients[0];
    if (!client) throw new Error(`User pool ${pool.id} has no app client: add one (PasswordlessUserPool creates one).`);

    const dynamodb = await startDynamoDb(app.tables);
    stoppers.push(() => dynamodb.stop());
    const ses = await startSes();
    stoppers.push(() => ses.stop());
    const sns = await startSns();
    stoppers.push(() => sns.stop());
    const kms = await startKms(app.keys);
    stoppers.push(() => kms.stop());

    const endpoints = {
      AWS_ENDPOINT_URL_DYNAMODB: dynamodb.endpoint,
      AWS_ENDPOINT_URL_SESV2: ses.endpoint,
      AWS_ENDPOINT_URL_SNS: sns.endpoint,
      AWS_ENDPOINT_URL_KMS: kms.endpoint,
    };
    // The functions reach the sandbox's own Cognito endpoint (e.g. AdminGetUser) once it listens.
    let cognitoEndpoint: Record<string, string> = {};
    const runners = new Map<string, FunctionRunner>();
    stoppers.push(async () => {
      await Promise.all([...runners.values()].map((runner) => runner.stop()));
    });
    const runnerOf = (fn: FunctionModel) => {
      let runner = runners.get(fn.id);
      if (!runner) {
        runner = new FunctionRunner(fn, {
          extraEnv: { ...endpoints, ...cognitoEndpoint, ...options.functionEnvironment },
          timeoutMs: TRIGGER_TIMEOUT_MS,
          onLog: (line) => (options.onLog ? options.onLog(fn.name, line) : process.stderr.write(`[${fn.name}] ${line}\n`)),
          onInvoked: options.onInvocation && ((record) => options.onInvocation!({ ...record, functionName: fn.name })),
        });
        runners.set(fn.id, runner);
      }
      return runner;
    };

    warnAboutOtherTriggers(app);
    const retries = new TriggerRetries();
    const cognito = new CognitoService(app, triggerInvoker((fn, event) => runnerOf(fn).invoke(event), options.onTriggerCall, retries));
    const outbox = () => mergeOutboxes(ses.emails(), sns.messages(), cognito.messages.all());
    const apis = new RestApiGateway({
      apis: app.apis,
      account: app.account,
      invoke: (fn, event, timeoutMs) => runnerOf(fn).invoke(event, { timeoutMs }),
      integrationTimeoutMs: options.integrationTimeoutMs,
    });
    let info: SandboxInfo | undefined;
    let apiRoutes = magicLinkApiRoutes(undefined);
    const functionCalls = new FunctionCognitoCalls();
    const server = createSandboxServer({
      cognito,
      onCognitoCall: (operation, request) => functionCalls.enter(operation, request),
      apis,
      outbox: async () => outbox(),
      demoConfig: () => ({
        region: app.region,
        userPoolId: info!.userPoolId,
        userPoolClientId: info!.userPoolClientId,
        cognitoEndpoint: info!.cognitoEndpoint,
        apiUrl: info!.apiUrl,
        redirectUris: info!.redirectUris,
        // What the page offers besides code and link sign-in: read from the API's routes, so an app without them shows neither.
        signInRoute: apiRoutes.signIn,
        attributeRoutes: apiRoutes.attributes,
      }),
    });
    const port = await listenLocal(server, options.port ?? 0);
    stoppers.push(() => closeServer(server));

    const base = localUrl(port);
    cognitoEndpoint = { AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: base };
    const localPool = cognito.pool(pool.userPoolId);
    const magicLinks = magicLinkApiInfo(app.apis, pool, port);
    apiRoutes = magicLinkApiRoutes(magicLinks.api);
    info = {
      region: app.region,
      userPoolId: pool.userPoolId,
      userPoolClientId: client.clientId,
      cognitoEndpoint: base,
      apiUrl: magicLinks.api ? RestApiGateway.baseUrl(base, magicLinks.api) : null,
      redirectUris: magicLinks.redirectUris,
      issuer: localPool.tokens.issuer,
      jwksUri: `${base}${localPool.tokens.jwksPath}`,
      outboxUrl: `${base}/outbox`,
      demoUrl: `${base}/demo/`,
    };
    const backends = { dynamodb, ses, sns, kms };
    return {
      info,
      app,
      cognito,
      outbox,
      awsCalls: () => Object.fromEntries([
        ...Object.entries(backends).flatMap(([service, backend]) =>
          Object.entries(backend.calls()).map(([operation, count]) => [`${service}.${operation}`, count])),
        ...Object.entries(functionCalls.calls()).map(([operation, count]) => [`cognito-idp.${operation}`, count]),
      ]),
      faults: { ...backends, cognito: functionCalls },
      retryNextTrigger: (trigger, times) => retries.retryNext(trigger, times),
      tableItems: async (tableName = app.tables[0]?.name) => {
        if (!tableName) throw new Error('The app has no DynamoDB table.');
        return dynamodb.items(tableName);
      },
      invocations: () => Object.fromEntries([...runners.values()].map((runner) => [runner.functionName, runner.stats.invocations])),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Triggers other than the three challenge triggers are read but not run: say so rather than ignore them. */
function warnAboutOtherTriggers(app: AppModel): void {
  const challenge = ['DefineAuthChallenge', 'CreateAuthChallenge', 'VerifyAuthChallengeResponse'];
  for (const pool of app.userPools) {
    const others = Object.keys(pool.triggers).filter((name) => !challenge.includes(name));
    if (others.length > 0) {
      process.stderr.write(`sandbox: user pool ${pool.id} has triggers the sandbox does not run: ${others.join(', ')} (see docs/sandbox.md)\n`);
    }
  }
}

/** The pool the sandbox reports: the first whose challenge triggers are this library's. */
function mainPool(app: AppModel): PoolModel {
  const ours = app.userPools.filter((pool) => pool.usesOurTriggers);
  if (ours.length === 0) {
    const found = app.userPools.map((pool) => pool.id).join(', ') || 'none';
    throw new Error(`No user pool in the app uses the cdk-passwordless triggers (user pools found: ${found}).`);
  }
  return ours[0];
}
