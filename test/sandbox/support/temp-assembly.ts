import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';

const tempDirs: string[] = [];

/** A fresh temporary directory, removed by `removeTempDirs()`. */
export function tempDir(prefix = 'sandbox-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of tempDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** Synthesizes one stack, built by `build`, into a temporary cloud assembly directory; returns the directory. */
export function synthesizeStack(build: (stack: Stack) => void, stackName = 'TestStack', region = 'eu-west-1'): string {
  const outdir = tempDir('sandbox-assembly-');
  const app = new App({ outdir });
  build(new Stack(app, stackName, { env: { region } }));
  app.synth();
  return outdir;
}

/** A directory holding `index.js` with this source. */
export function handlerDir(source: string): string {
  const dir = tempDir('sandbox-handler-');
  fs.writeFileSync(path.join(dir, 'index.js'), source);
  return dir;
}

/** A Node.js function whose code is a directory asset holding `index.js` with this source. */
export function assetFunction(scope: Construct, id: string, source: string, props: Partial<lambda.FunctionProps> = {}): lambda.Function {
  return new lambda.Function(scope, id, {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromAsset(handlerDir(source)),
    ...props,
  });
}
