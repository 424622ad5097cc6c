import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_REGION, SANDBOX_ACCOUNT } from './local-ids';

/**
 * The cloud assembly directory of a CDK app. `app` is either an assembly directory (one with a
 * manifest.json, e.g. `cdk.out`), returned as is, or a shell command that synthesizes the app, run in
 * `cwd` the way the CDK CLI runs `--app`: with `CDK_OUTDIR` set to a fresh temporary directory (returned;
 * the caller removes it), `CDK_DEFAULT_REGION`/`CDK_DEFAULT_ACCOUNT` when unset (the sandbox's region and
 * account), and the `context` of `cwd/cdk.json` as `CDK_CONTEXT_JSON`. The app's output goes to stderr, so
 * that the sandbox's stdout stays its own.
 */
export async function synthesize(app: string, cwd: string): Promise<string> {
  const assemblyDir = path.resolve(cwd, app);
  if (fs.existsSync(path.join(assemblyDir, 'manifest.json'))) return assemblyDir;

  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-passwordless-assembly-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CDK_OUTDIR: outdir,
    CDK_DEFAULT_REGION: process.env.CDK_DEFAULT_REGION ?? DEFAULT_REGION,
    CDK_DEFAULT_ACCOUNT: process.env.CDK_DEFAULT_ACCOUNT ?? SANDBOX_ACCOUNT,
    ...cdkJsonContext(cwd),
  };
  try {
    await run(app, cwd, env);
    if (!fs.existsSync(path.join(outdir, 'manifest.json'))) {
      throw new Error(`The CDK app "${app}" exited without writing a cloud assembly to $CDK_OUTDIR (${outdir}); does it call app.synth() with the default outdir?`);
    }
    return outdir;
  } catch (error) {
    fs.rmSync(outdir, { recursive: true, force: true });
    throw error;
  }
}

function run(command: string, cwd: string, env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, { cwd, env, shell: true, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.pipe(process.stderr, { end: false });
    child.stderr.pipe(process.stderr, { end: false });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) return resolve();
      const status = signal ? `was killed by ${signal}` : `failed with exit code ${code}`;
      reject(new Error(`The CDK app "${command}" ${status} (run in ${cwd})`));
    });
  });
}

/** The CLI passes cdk.json's `context` (feature flags, most often) to the app; so does the sandbox. */
function cdkJsonContext(cwd: string): NodeJS.ProcessEnv {
  const file = path.join(cwd, 'cdk.json');
  if (process.env.CDK_CONTEXT_JSON !== undefined || !fs.existsSync(file)) return {};
  const context = JSON.parse(fs.readFileSync(file, 'utf-8')).context;
  return context ? { CDK_CONTEXT_JSON: JSON.stringify(context) } : {};
}
