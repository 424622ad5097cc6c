import { createServer, type Server } from 'node:http';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildDemoAssets } from '../../sandbox/demo/build-demo';
import { closeServer, listenLocal, localUrl } from '../../sandbox/net/listen';
import { launchChromium } from '../e2e/support/browser';

// The demo page in headless chromium, with a Cognito endpoint that refuses connections: proves that the
// bundle runs in a real browser and that a failure reaches the person at the keyboard.

jest.setTimeout(60_000);

let browser: Browser;
let server: Server;
let pageUrl: string;
let cognitoEndpoint: string;

/** A free port, closed again: connections to it are refused. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  const port = await listenLocal(probe);
  await closeServer(probe);
  return port;
}

beforeAll(async () => {
  const { html, script } = await buildDemoAssets();
  cognitoEndpoint = localUrl(await closedPort());
  const config = JSON.stringify({
    region: 'us-east-1',
    userPoolId: 'us-east-1_Sandbox01',
    userPoolClientId: 'abcdefghijklmnopqrstuvwxyz',
    cognitoEndpoint,
    apiUrl: null,
    redirectUris: [],
  });
  // A strict policy: the page must work with its own script only and no inline script.
  const csp = `default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; img-src data:; connect-src 'self' ${cognitoEndpoint}; base-uri 'none'; form-action 'none'`;
  const routes: Record<string, [string, string, number?]> = {
    '/demo/': ['text/html; charset=utf-8', html],
    '/demo/demo.js': ['text/javascript; charset=utf-8', script],
    '/demo/config.json': ['application/json', config],
    // The same page with its config missing, for the start-up error.
    '/broken/': ['text/html; charset=utf-8', html],
    '/broken/demo.js': ['text/javascript; charset=utf-8', script],
  };
  server = createServer((req, res) => {
    const [type, body, status] = routes[req.url ?? ''] ?? ['text/plain', 'not found', 404];
    res.writeHead(status ?? 200, { 'content-type': type, 'content-security-policy': csp, 'cache-control': 'no-store' });
    res.end(body);
  });
  pageUrl = `${localUrl(await listenLocal(server))}/demo/`;
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (server) await closeServer(server);
});

interface Watched {
  readonly page: Page;
  readonly context: BrowserContext;
  /** Console messages of type error, and uncaught exceptions. */
  readonly consoleErrors: string[];
  readonly pageErrors: string[];
  readonly requests: { url: string; target?: string }[];
}

async function openPage(): Promise<Watched> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const watched: Watched = { page, context, consoleErrors: [], pageErrors: [], requests: [] };
  page.on('console', (message) => {
    if (message.type() === 'error') watched.consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => watched.pageErrors.push(String(error)));
  page.on('request', (request) => watched.requests.push({ url: request.url(), target: request.headers()['x-amz-target'] }));
  return watched;
}

test('loads with no console errors and shows the identifier form', async () => {
  const { page, context, consoleErrors, pageErrors, requests } = await openPage();
  try {
    await page.goto(pageUrl);
    await page.locator('#identifier').waitFor({ state: 'visible' });

    expect(await page.locator('#continue').isEnabled()).toBe(true);
    expect(await page.locator('#error').isHidden()).toBe(true);
    for (const hidden of ['#code', '#claims', '#sign-out', '#methods', '#link-continue']) expect(await page.locator(hidden).isHidden()).toBe(true);
    // No magic-link API in this config: no button to request a link, no sign-up option, no attribute change.
    expect(await page.locator('#email-link').isHidden()).toBe(true);
    expect(await page.locator('#auto-sign-up').isHidden()).toBe(true);
    expect(await page.locator('#attributes').isHidden()).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('identifier');
    expect(consoleErrors).toEqual([]);
    expect(pageErrors).toEqual([]);
    // Nothing but the page's own files: no sign-in call before the person asks, no third-party host.
    expect(requests.map((request) => new URL(request.url).pathname)).toEqual(['/demo/', '/demo/demo.js', '/demo/config.json']);
  } finally {
    await context.close();
  }
});

test('an unreachable Cognito endpoint shows a clear error, and the form can be used again', async () => {
  const { page, context, consoleErrors, pageErrors, requests } = await openPage();
  try {
    await page.goto(pageUrl);
    await page.locator('#identifier').fill('person@example.com');
    await page.locator('#continue').click();
    await page.locator('#error').waitFor({ state: 'visible', timeout: 45_000 });

    expect(await page.locator('#error').textContent()).toMatch(/^Could not reach Cognito \(.+\)\. Is the sandbox running\?$/);
    expect(await page.locator('#identifier').isVisible()).toBe(true);
    expect(await page.locator('#continue').isEnabled()).toBe(true);
    expect(await page.locator('#identifier').inputValue()).toBe('person@example.com');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('identifier');
    // The attempt went to the configured endpoint, as InitiateAuth, and nowhere else.
    const cognitoCalls = requests.filter((request) => request.url.startsWith(cognitoEndpoint));
    expect(cognitoCalls.length).toBeGreaterThan(0);
    expect(new Set(cognitoCalls.map((request) => request.target))).toEqual(new Set(['AWSCognitoIdentityProviderService.InitiateAuth']));
    expect(requests.filter((request) => !request.url.startsWith(cognitoEndpoint) && !request.url.startsWith(pageUrl))).toEqual([]);
    // The refused connections are the only console errors; nothing was thrown uncaught.
    expect(consoleErrors.length).toBeGreaterThan(0);
    for (const message of consoleErrors) expect(message).toMatch(/net::ERR_CONNECTION_REFUSED/);
    expect(pageErrors).toEqual([]);
  } finally {
    await context.close();
  }
});

test('a missing config.json says the demo could not start', async () => {
  const { page, context, pageErrors } = await openPage();
  try {
    await page.goto(pageUrl.replace('/demo/', '/broken/'));
    await page.locator('#error').waitFor({ state: 'visible' });

    expect(await page.locator('#error').textContent()).toBe('The demo could not start: Error: config.json: HTTP 404');
    expect(await page.locator('#identifier').isHidden()).toBe(true);
    expect(pageErrors).toEqual([]);
  } finally {
    await context.close();
  }
});

/** A token shaped like a magic link's (version 1, expiry, nonce, email, 64-byte signature); nothing can verify it. */
function linkShapedToken(email: string): string {
  const header = Buffer.alloc(21);
  header.writeUInt8(1, 0);
  header.writeUInt32BE(Math.floor(Date.now() / 1000) + 600, 1);
  return `${Buffer.concat([header, Buffer.from(email, 'utf-8')]).toString('base64url')}.${Buffer.alloc(64, 7).toString('base64url')}`;
}

test('a link opened on the page: the fragment leaves the address bar, the page asks first, and Cancel uses nothing', async () => {
  const { page, context, pageErrors, requests } = await openPage();
  try {
    const token = linkShapedToken('person@example.com');
    await page.goto(`${pageUrl}#${token}`);
    await page.locator('#link-continue').waitFor({ state: 'visible' });

    expect(await page.locator('#link-heading').textContent()).toBe('Sign in as person@example.com?');
    expect(page.url()).toBe(pageUrl);
    expect(await page.evaluate(() => location.hash)).toBe('');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('link-heading');
    expect(await page.locator('#identifier').isHidden()).toBe(true);

    await page.locator('#link-cancel').click();
    await page.locator('#identifier').waitFor({ state: 'visible' });
    expect(await page.locator('#identifier').inputValue()).toBe('person@example.com');
    expect(await page.locator('#status').textContent()).toBe('The link was not used.');
    // Opening and cancelling never called Cognito: no sign-in starts without Continue.
    expect(requests.filter((request) => request.url.startsWith(cognitoEndpoint))).toEqual([]);
    expect(requests.some((request) => request.url.includes(token))).toBe(false);
    expect(pageErrors).toEqual([]);
  } finally {
    await context.close();
  }
});

test.each([
  ['not a token', 'not-a-token'],
  ['a payload of another version', linkShapedToken('person@example.com').replace(/^A/, 'B')],
])('a fragment that is %s says the link is invalid, and calls nothing', async (_case, fragment) => {
  const { page, context, pageErrors, requests } = await openPage();
  try {
    await page.goto(`${pageUrl}#${fragment}`);
    await page.locator('#error').waitFor({ state: 'visible' });

    expect(await page.locator('#error').textContent()).toBe('This link is invalid, used or expired. Request a new one.');
    expect(page.url()).toBe(pageUrl);
    expect(await page.locator('#identifier').isVisible()).toBe(true);
    expect(requests.filter((request) => request.url.startsWith(cognitoEndpoint))).toEqual([]);
    expect(pageErrors).toEqual([]);
  } finally {
    await context.close();
  }
});
