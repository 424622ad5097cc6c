import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { bundleFile, HANDLERS, REPO_ROOT, type Handler } from './handlers';
import { spread, round, type Spread } from './stats';
import { functionEnvironment } from '../sandbox/lambda/function-environment';
import type { FunctionModel } from '../sandbox/model';

const run = promisify(execFile);
const LOADER = path.join(__dirname, 'load-bundle.js');

/** What one fresh Node.js process measured while loading a bundle (see bench/load-bundle.js). */
export interface LoadResult {
  /** Time since the process began, right after the bundle was required (Node's start included). */
  readonly initMs: number;
  /** The require of the bundle alone. */
  readonly loadMs: number;
  /** `@aws-sdk/*` packages resolved during init (only with `detectSdk`). */
  readonly sdkModules?: string[];
}

/**
 * The environment of a Lambda execution environment for `fn`: the template's variables and the ones Lambda
 * sets (sandbox/lambda/function-environment.ts), plus `NODE_PATH` to this repository's `@aws-sdk/*`, as the
 * runtime puts its own SDK on `NODE_PATH`. Nothing from this process's environment leaks in.
 */
export function lambdaEnvironment(fn: FunctionModel): Record<string, string> {
  return { ...functionEnvironment(fn, 'bench', {}), NODE_PATH: path.join(REPO_ROOT, 'node_modules') };
}

/** Loads `file` in a fresh `node` process (no ts-node, no flags of ours) with `env` and the bundle's directory as cwd. */
export async function loadInFreshProcess(file: string, env: Record<string, string>, options: { detectSdk?: boolean } = {}): Promise<LoadResult> {
  const args = [LOADER, file, ...(options.detectSdk ? ['--detect-sdk'] : [])];
  const { stdout } = await run(process.execPath, args, { env, cwd: path.dirname(file), timeout: 30_000 });
  return JSON.parse(stdout.trim().split('\n').pop()!) as LoadResult;
}

export interface ColdInitSubject {
  readonly name: string;
  readonly file: string;
  readonly env: Record<string, string>;
}

export interface ColdInitResult {
  readonly name: string;
  readonly initMs: Spread;
  readonly loadMs: Spread;
}

/**
 * Cold init of each subject: `runs` fresh processes each, interleaved round by round (subject order rotated
 * every round) so that drift of the machine spreads evenly over all subjects.
 */
export async function measureColdInit(subjects: readonly ColdInitSubject[], runs: number): Promise<ColdInitResult[]> {
  const samples = subjects.map(() => ({ init: [] as number[], load: [] as number[] }));
  // One unrecorded round first: it warms the OS file cache for node and the bundles.
  for (let pass = -1; pass < runs; pass++) {
    for (let step = 0; step < subjects.length; step++) {
      const index = (step + Math.max(pass, 0)) % subjects.length;
      const result = await loadInFreshProcess(subjects[index].file, subjects[index].env);
      if (pass < 0) continue;
      samples[index].init.push(result.initMs);
      samples[index].load.push(result.loadMs);
    }
  }
  return subjects.map((subject, index) => ({ name: subject.name, initMs: spread(samples[index].init), loadMs: spread(samples[index].load) }));
}

/** `@aws-sdk/*` packages each bundle resolves while it loads (none is the target: clients load on first use). */
export async function sdkModulesAtInit(functions: Record<Handler, FunctionModel>): Promise<Record<Handler, string[]>> {
  const entries = await Promise.all(HANDLERS.map(async (handler) => {
    const result = await loadInFreshProcess(bundleFile(handler), lambdaEnvironment(functions[handler]), { detectSdk: true });
    return [handler, result.sdkModules ?? []] as const;
  }));
  return Object.fromEntries(entries) as Record<Handler, string[]>;
}

/** A temporary directory with reference bundles measured next to ours; removed by `remove()`. */
export interface ReferenceBundles {
  /** The floor: a handler that does nothing (`exports.handler = async (event) => event`). */
  readonly empty: string;
  /** The empty handler plus what loading the DynamoDB client at init costs: require and `new DynamoDBClient({})`. */
  readonly dynamodbAtInit: string;
  remove(): void;
}

export function writeReferenceBundles(): ReferenceBundles {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'passwordless-bench-ref-'));
  const write = (name: string, source: string) => {
    fs.mkdirSync(path.join(dir, name));
    const file = path.join(dir, name, 'index.js');
    fs.writeFileSync(file, source);
    return file;
  };
  return {
    empty: write('empty', '"use strict";exports.handler=async(event)=>event;\n'),
    dynamodbAtInit: write('dynamodb-at-init',
      '"use strict";const{DynamoDBClient}=require("@aws-sdk/client-dynamodb");const client=new DynamoDBClient({});exports.handler=async(event)=>event;\n'),
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** `value / floor`, rounded to hundredths. */
export function ratio(value: number, floor: number): number {
  return round(value / floor);
}
