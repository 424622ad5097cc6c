import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { PasswordlessExample } from '../examples/passwordless-example';
import { readAssembly } from '../sandbox/assembly/read-assembly';
import type { AppModel, FunctionModel } from '../sandbox/model';

/** The repository root. */
export const REPO_ROOT = path.resolve(__dirname, '..');
/** Where the `bundle` task writes each handler's minified bundle (`<handler>.lambda/index.js`). */
export const ASSETS_DIR = path.join(REPO_ROOT, 'assets', 'lambda');

/** The handlers this library ships, in the order of a sign-in; the first three are the Cognito challenge triggers. */
export const HANDLERS = [
  'define-auth-challenge', 'create-auth-challenge', 'verify-auth-challenge',
  'magic-link-api', 'sign-in-api', 'attribute-api',
] as const;
export type Handler = (typeof HANDLERS)[number];
export const TRIGGERS: readonly Handler[] = ['define-auth-challenge', 'create-auth-challenge', 'verify-auth-challenge'];

/** Issue 7's target for every Cognito trigger bundle: under 10 KiB minified. */
export const TRIGGER_BUNDLE_TARGET_BYTES = 10_240;

/**
 * What CI enforces per bundle. Define and Create meet the target. Verify serves OTP, magic links and
 * the completion of auto sign-ups (14.8 KB); 10 KiB would mean dropping a feature from it
 * (docs/performance.md), so it has a ratchet budget just above its size until that target is decided.
 * The API functions are no triggers; their budgets are ratchets too.
 */
export const BUNDLE_BUDGET_BYTES: Record<Handler, number> = {
  'define-auth-challenge': TRIGGER_BUNDLE_TARGET_BYTES,
  'create-auth-challenge': TRIGGER_BUNDLE_TARGET_BYTES,
  'verify-auth-challenge': 16_384,
  'magic-link-api': 18_432,
  'sign-in-api': 13_824,
  'attribute-api': 20_480,
};

export function bundleFile(handler: Handler): string {
  return path.join(ASSETS_DIR, `${handler}.lambda`, 'index.js');
}

/** Size in bytes of each handler's minified bundle, as shipped in the package. */
export function bundleSizes(): Record<Handler, number> {
  return Object.fromEntries(HANDLERS.map((handler) => {
    const file = bundleFile(handler);
    if (!fs.existsSync(file)) throw new Error(`No bundle at ${file}: run \`npx projen bundle\` first.`);
    return [handler, fs.statSync(file).size];
  })) as Record<Handler, number>;
}

/** The example app (examples/), synthesized into a temporary cloud assembly and read as the sandbox reads it. */
export interface ExampleAssembly {
  readonly dir: string;
  readonly app: AppModel;
  /** Each handler's function in the example app: its name, environment and asset directory. */
  readonly functions: Record<Handler, FunctionModel>;
  /** Removes the assembly directory. */
  remove(): void;
}

/** Synthesizes the example app in-process (faster than its command), as test/e2e does. */
export function synthesizeExample(): ExampleAssembly {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'passwordless-bench-'));
  const cdkApp = new App({ outdir: dir });
  new PasswordlessExample(cdkApp, 'PasswordlessExample', { env: { region: 'us-east-1' } });
  cdkApp.synth();
  const app = readAssembly(dir);
  return { dir, app, functions: functionsByHandler(app), remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Which of the app's functions runs which handler: the challenge triggers of the pool that uses ours, and the
 * REST API functions: the one with `REDIRECT_URIS` (the magic-link API), with `CLIENT_ID` (POST /sign-in) and with
 * `CODE_LENGTH` (the attribute API). Each function's asset must hold the same bytes
 * as the handler's bundle in assets/, so that what is measured is what ships.
 */
export function functionsByHandler(app: AppModel): Record<Handler, FunctionModel> {
  const pool = app.userPools.find((candidate) => candidate.usesOurTriggers);
  const routes = app.apis.flatMap((candidate) => candidate.routes);
  const route = (variable: string) => routes.find((candidate) => candidate.function.environment[variable] !== undefined);
  const found: Partial<Record<Handler, FunctionModel>> = {
    'define-auth-challenge': pool?.triggers.DefineAuthChallenge,
    'create-auth-challenge': pool?.triggers.CreateAuthChallenge,
    'verify-auth-challenge': pool?.triggers.VerifyAuthChallengeResponse,
    'magic-link-api': route('REDIRECT_URIS')?.function,
    'sign-in-api': route('CLIENT_ID')?.function,
    'attribute-api': route('CODE_LENGTH')?.function,
  };
  for (const handler of HANDLERS) {
    const fn = found[handler];
    if (!fn) throw new Error(`The app has no ${handler} function`);
    const assetFile = path.join(fn.codeDir, 'index.js');
    if (!fs.readFileSync(assetFile).equals(fs.readFileSync(bundleFile(handler)))) {
      throw new Error(`${assetFile} differs from ${bundleFile(handler)}`);
    }
  }
  return found as Record<Handler, FunctionModel>;
}

/** Function name → handler, to read the sandbox's per-function counts by handler. */
export function handlerByFunctionName(functions: Record<Handler, FunctionModel>): Record<string, Handler> {
  return Object.fromEntries(HANDLERS.map((handler) => [functions[handler].name, handler]));
}
