import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { createInterface } from 'node:readline';
import { REPO_ROOT, type SandboxInfo } from '../../sandbox/start';

jest.setTimeout(180_000);

/** The README's main command, started in its own process group the way a terminal runs it. */
function startCommand(): ChildProcess {
  return spawn('npm', ['run', '--silent', 'sandbox', '--', '--stop-after', '170'], {
    cwd: REPO_ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, CI: 'true' },
  });
}

function firstJsonLine(child: ChildProcess, stderr: string[]): Promise<SandboxInfo> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      if (line.startsWith('{')) resolve(JSON.parse(line));
    });
    child.once('exit', (code) => reject(new Error(`the sandbox exited (${code}) before printing its JSON line:\n${stderr.join('')}`)));
  });
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function waitFor(condition: () => boolean | Promise<boolean>, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return condition();
}

test('npm run sandbox prints the JSON line, serves the demo page, and Ctrl-C leaves no process or port behind', async () => {
  const child = startCommand();
  const stderr: string[] = [];
  child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  try {
    const info = await firstJsonLine(child, stderr);

    expect(Object.keys(info).sort()).toEqual([
      'apiUrl', 'cognitoEndpoint', 'demoUrl', 'issuer', 'jwksUri', 'outboxUrl', 'redirectUris', 'region', 'userPoolClientId', 'userPoolId',
    ]);
    expect(info.region).toBe('us-east-1');
    expect(info.userPoolId).toMatch(/^us-east-1_[0-9A-Za-z]{9}$/);
    expect(info.userPoolClientId).toMatch(/^[0-9a-z]{26}$/);
    expect(info.cognitoEndpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(info.issuer).toBe(`https://cognito-idp.us-east-1.amazonaws.com/${info.userPoolId}`);
    // The example's MagicLinkApi, served by the sandbox; its loopback redirect URL on the sandbox's port.
    expect(info.apiUrl).toMatch(new RegExp(`^${info.cognitoEndpoint}/apis/[0-9a-z]{10}/v1/$`));
    expect(info.redirectUris).toEqual([`${info.cognitoEndpoint}/demo/`]);
    expect(info.jwksUri).toBe(`${info.cognitoEndpoint}/${info.userPoolId}/.well-known/jwks.json`);

    const demo = await fetch(info.demoUrl);
    expect(demo.status).toBe(200);
    expect(await demo.text()).toContain('<script src="demo.js"');
    expect(await (await fetch(new URL('config.json', info.demoUrl))).json()).toMatchObject({ apiUrl: info.apiUrl, redirectUris: info.redirectUris });
    const preflight = await fetch(`${info.apiUrl}magic-link`, { method: 'OPTIONS', headers: { 'Origin': new URL(info.demoUrl).origin, 'Access-Control-Request-Method': 'POST' } });
    expect(preflight.status).toBe(204);
    expect(await (await fetch(info.outboxUrl)).json()).toEqual([]);
    expect((await (await fetch(info.jwksUri)).json()).keys.length).toBeGreaterThan(0);

    // Ctrl-C in a terminal sends SIGINT to the whole foreground process group.
    const port = Number(new URL(info.cognitoEndpoint).port);
    process.kill(-child.pid!, 'SIGINT');
    expect(await waitFor(() => !groupAlive(child.pid!), 15_000)).toBe(true);
    expect(await portOpen(port)).toBe(false);
  } finally {
    if (groupAlive(child.pid!)) process.kill(-child.pid!, 'SIGKILL');
  }
});
