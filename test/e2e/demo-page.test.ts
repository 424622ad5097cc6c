// The OTP sign-in through the demo page, in headless chromium, against the sandbox (Cognito emulator,
// real handlers, local SES outbox).
import { randomUUID } from 'node:crypto';
import { AdminCreateUserCommand, CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from './support/browser';
import type { OutboxMessage } from '../../sandbox/backends/outbox';
import { startSandbox, type Sandbox } from '../../sandbox/start';

jest.setTimeout(120_000);

let sandbox: Sandbox;
let browser: Browser;
let cognito: CognitoIdentityProviderClient;

beforeAll(async () => {
  sandbox = await startSandbox({ onLog: () => undefined });
  browser = await launchChromium();
  cognito = new CognitoIdentityProviderClient({
    region: sandbox.info.region,
    endpoint: sandbox.info.cognitoEndpoint,
    credentials: { accessKeyId: 'sandbox', secretAccessKey: 'sandbox' },
  });
}, 300_000);

afterAll(async () => {
  cognito?.destroy();
  await browser?.close();
  await sandbox?.stop();
});

/** A new user with a verified email address, one per test: the send cooldown and attempt counts are per user. */
async function seedUser(): Promise<string> {
  const email = `person-${randomUUID().slice(0, 8)}@example.com`;
  await cognito.send(new AdminCreateUserCommand({
    UserPoolId: sandbox.info.userPoolId,
    Username: email,
    MessageAction: 'SUPPRESS',
    UserAttributes: [{ Name: 'email', Value: email }, { Name: 'email_verified', Value: 'true' }],
  }));
  return email;
}

/** The 6-digit code of the newest email to `email` sent after `since`, waiting for it to arrive. */
async function codeSentTo(email: string, since: number): Promise<string> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const messages = (await (await fetch(sandbox.info.outboxUrl)).json()) as OutboxMessage[];
    const mine = messages.filter((message) =>
      message.channel === 'email' && message.to.includes(email) && Date.parse(message.time) >= since);
    const code = mine.length ? /\b(\d{6})\b/.exec(mine[mine.length - 1].text)?.[1] : undefined;
    if (code) return code;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`No email with a code reached ${email} in the outbox`);
}

/** A code that is certainly not `code`. */
function wrongCodeFor(code: string): string {
  return `${(Number(code[0]) + 1) % 10}${code.slice(1)}`;
}

interface DemoPage {
  readonly page: Page;
  readonly context: BrowserContext;
  /** Every console message and uncaught exception, to check that nothing secret is logged. */
  readonly console: string[];
  readonly pageErrors: string[];
}

async function openDemo(): Promise<DemoPage> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const opened: DemoPage = { page, context, console: [], pageErrors: [] };
  page.on('console', (message) => opened.console.push(`${message.type()}: ${message.text()}`));
  page.on('pageerror', (error) => opened.pageErrors.push(String(error)));
  await page.goto(sandbox.info.demoUrl);
  await page.locator('#identifier').waitFor({ state: 'visible' });
  // The example app has POST /sign-in, so the page offers to create the account, checked by default. These tests sign
  // in existing users by the methods the CHOOSE challenge lists: without that option (demo-sign-up.test.ts has it).
  expect(await page.locator('#auto-sign-up').isChecked()).toBe(true);
  await page.locator('#auto-sign-up').uncheck();
  return opened;
}

/** Identifier → Continue → "Email me a code": resolves to the code from the outbox once the code form shows. */
async function requestEmailCode(page: Page, email: string): Promise<string> {
  await page.locator('#identifier').fill(email);
  await page.locator('#continue').click();
  const emailButton = page.locator('button[data-method="email-otp"]');
  await emailButton.waitFor({ state: 'visible' });
  expect(await emailButton.textContent()).toBe('Email me a code');
  const since = Date.now() - 1_000; // the outbox's clock is this machine's; a second of slack for rounding
  await emailButton.click();
  await page.locator('#code').waitFor({ state: 'visible' });
  return codeSentTo(email, since);
}

async function submitCode(page: Page, code: string): Promise<void> {
  await page.locator('#code').fill(code);
  await page.locator('#submit-code').click();
}

/** The claims table as name → value. */
async function shownClaims(page: Page): Promise<Record<string, string>> {
  await page.locator('#claims').waitFor({ state: 'visible' });
  const rows = await page.locator('#claims tbody tr').evaluateAll((trs) =>
    trs.map((tr) => [tr.querySelector('th')?.textContent ?? '', tr.querySelector('td')?.textContent ?? '']));
  return Object.fromEntries(rows);
}

test('signs in with an emailed code, shows the ID token claims, stays signed in on reload, and signs out', async () => {
  const email = await seedUser();
  const demo = await openDemo();
  try {
    const { page } = demo;
    expect(await page.locator('[data-method]').count()).toBe(0);

    const code = await requestEmailCode(page, email);
    expect(await page.locator('#status').textContent()).toMatch(/code is on its way/);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('code');
    await submitCode(page, code);

    const claims = await shownClaims(page);
    expect(claims).toMatchObject({ email, email_verified: 'true', token_use: 'id', aud: sandbox.info.userPoolClientId });
    expect(claims.iss).toBe(sandbox.info.issuer);
    expect(await page.locator('#error').isHidden()).toBe(true);

    await page.reload();
    expect((await shownClaims(page)).email).toBe(email);

    await page.locator('#sign-out').click();
    await page.locator('#identifier').waitFor({ state: 'visible' });
    const tokensLeft = await page.evaluate(() => Object.keys(localStorage).filter((key) => /Token$/.test(key)));
    expect(tokensLeft).toEqual([]);

    // Neither the code nor anything token-like reached the console.
    expect(demo.console.filter((line) => line.includes(code) || /eyJ[\w-]+\.eyJ/.test(line))).toEqual([]);
    expect(demo.pageErrors).toEqual([]);
  } finally {
    await demo.context.close();
  }
});

test('offers the methods the CHOOSE challenge lists', async () => {
  const email = await seedUser();
  const demo = await openDemo();
  try {
    await demo.page.locator('#identifier').fill(email);
    await demo.page.locator('#continue').click();
    await demo.page.locator('[data-method]').first().waitFor({ state: 'visible' });

    const methods = await demo.page.locator('[data-method]').evaluateAll((buttons) => buttons.map((button) => button.getAttribute('data-method')));
    // The example app enables both channels and magic links (docs/protocol.md: methods=email-otp,sms-otp,magic-link).
    // A link is requested from the identifier form, so the page offers only the code methods here.
    expect(methods).toEqual(['email-otp', 'sms-otp']);
    expect(await demo.page.locator('button[data-method="sms-otp"]').textContent()).toBe('Text me a code');
  } finally {
    await demo.context.close();
  }
});

test('a wrong code says so and keeps the code form; the right code then signs in', async () => {
  const email = await seedUser();
  const demo = await openDemo();
  try {
    const { page } = demo;
    const code = await requestEmailCode(page, email);

    await submitCode(page, wrongCodeFor(code));
    expect(await textWhenIdle(page, '#error')).toBe('Wrong code, try again.');
    expect(await page.locator('#error').isVisible()).toBe(true);
    expect(await page.locator('#code').isVisible()).toBe(true);
    expect(await page.locator('#code').inputValue()).toBe('');

    await submitCode(page, code);
    expect((await shownClaims(page)).email).toBe(email);
    expect(await page.locator('#error').isHidden()).toBe(true);
  } finally {
    await demo.context.close();
  }
});

test('after the attempt limit (3 wrong codes) the sign-in fails and the page starts again', async () => {
  const email = await seedUser();
  const demo = await openDemo();
  try {
    const { page } = demo;
    const code = await requestEmailCode(page, email);

    for (let attempt = 1; attempt <= 2; attempt++) {
      await submitCode(page, wrongCodeFor(code));
      expect(await textWhenIdle(page, '#error')).toBe('Wrong code, try again.');
    }
    await submitCode(page, wrongCodeFor(code));
    expect(await textWhenIdle(page, '#error')).toBe('Sign-in failed: start again.');
    expect(await page.locator('#error').isVisible()).toBe(true);
    expect(await page.locator('#identifier').isVisible()).toBe(true);
    expect(await page.locator('#code').isHidden()).toBe(true);
  } finally {
    await demo.context.close();
  }
});

/**
 * The element's text once the page is idle again. Submitting disables every button synchronously until
 * Cognito answers, so "no disabled button" after a click means the answer has been shown.
 */
async function textWhenIdle(page: Page, selector: string): Promise<string | null> {
  await page.waitForFunction(() => !document.querySelector('button:disabled'));
  return page.locator(selector).textContent();
}
