import * as fs from 'node:fs';
import * as path from 'node:path';
import { removeTempDirs, tempDir } from './support/temp-assembly';
import { readAssembly } from '../../sandbox/assembly/read-assembly';
import { synthesize } from '../../sandbox/assembly/synthesize';

const REPO_ROOT = path.resolve(__dirname, '../..');
const DEFAULT_APP = 'npx ts-node --project test/tsconfig.json examples/app.ts';

/** A fake app: writes the CDK_* variables it got into $CDK_OUTDIR/manifest.json. */
const FAKE_APP = 'node -e "const fs = require(\'fs\'); const { CDK_OUTDIR, CDK_DEFAULT_REGION, CDK_DEFAULT_ACCOUNT, CDK_CONTEXT_JSON } = process.env;'
  + ' fs.writeFileSync(CDK_OUTDIR + \'/manifest.json\', JSON.stringify({ CDK_DEFAULT_REGION, CDK_DEFAULT_ACCOUNT, CDK_CONTEXT_JSON }))"';

const outdirs: string[] = [];
afterAll(() => {
  removeTempDirs();
  for (const dir of outdirs) fs.rmSync(dir, { recursive: true, force: true });
});

async function synthesized(app: string, cwd: string): Promise<string> {
  const dir = await synthesize(app, cwd);
  outdirs.push(dir);
  return dir;
}

test('an assembly directory is returned as is, relative to cwd', async () => {
  // Given
  const cwd = tempDir();
  fs.mkdirSync(path.join(cwd, 'cdk.out'));
  fs.writeFileSync(path.join(cwd, 'cdk.out', 'manifest.json'), '{}');

  // When
  const dir = await synthesize('cdk.out', cwd);

  // Then
  expect(dir).toBe(path.join(cwd, 'cdk.out'));
});

test('a command runs like the CDK CLI runs an app: a fresh CDK_OUTDIR, a default region and account, cdk.json context', async () => {
  // Given
  const cwd = tempDir();
  fs.writeFileSync(path.join(cwd, 'cdk.json'), JSON.stringify({ app: 'ignored', context: { '@aws-cdk/core:flag': true } }));
  const saved = { region: process.env.CDK_DEFAULT_REGION, account: process.env.CDK_DEFAULT_ACCOUNT };
  delete process.env.CDK_DEFAULT_REGION;
  delete process.env.CDK_DEFAULT_ACCOUNT;

  // When
  let dir: string;
  try {
    dir = await synthesized(FAKE_APP, cwd);
  } finally {
    if (saved.region !== undefined) process.env.CDK_DEFAULT_REGION = saved.region;
    if (saved.account !== undefined) process.env.CDK_DEFAULT_ACCOUNT = saved.account;
  }

  // Then
  expect(path.dirname(dir)).not.toBe(cwd);
  expect(JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf-8'))).toEqual({
    CDK_DEFAULT_REGION: 'us-east-1',
    CDK_DEFAULT_ACCOUNT: '000000000000',
    CDK_CONTEXT_JSON: JSON.stringify({ '@aws-cdk/core:flag': true }),
  });
});

test('the app\'s output goes to stderr, never to stdout', async () => {
  // Given
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  const stdout = jest.spyOn(process.stdout, 'write');

  // When
  let [stderrText, stdoutText] = ['', ''];
  try {
    await synthesized(`echo app-says-hello && ${FAKE_APP}`, tempDir());
  } finally {
    stderrText = stderr.mock.calls.map(([chunk]) => String(chunk)).join('');
    stdoutText = stdout.mock.calls.map(([chunk]) => String(chunk)).join('');
    stderr.mockRestore();
    stdout.mockRestore();
  }

  // Then
  expect(stderrText).toContain('app-says-hello');
  expect(stdoutText).not.toContain('app-says-hello');
});

test('a failing app is an error with its exit code', async () => {
  await expect(synthesize('exit 3', tempDir())).rejects.toThrow(/The CDK app "exit 3" failed with exit code 3/);
});

test('an app that writes no assembly is an error', async () => {
  await expect(synthesize('true', tempDir())).rejects.toThrow(/exited without writing a cloud assembly to \$CDK_OUTDIR/);
});

test('the default app (examples/app.ts) synthesizes into CDK_OUTDIR, not examples/cdk.out', async () => {
  // When
  const dir = await synthesized(DEFAULT_APP, REPO_ROOT);

  // Then
  expect(dir).not.toBe(path.join(REPO_ROOT, 'examples', 'cdk.out'));
  expect(fs.existsSync(path.join(dir, 'PasswordlessExample.template.json'))).toBe(true);
  expect(readAssembly(dir).userPools.map((pool) => pool.usesOurTriggers)).toEqual([true]);
}, 120_000);
