import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from './browser';
import { cognitoClient, type ExampleSandboxOptions, startExampleSandbox } from './example-sandbox';
import type { Sandbox } from '../../../sandbox/start';

/** What a demo-page test file works with; filled in by `useDemoSandbox`'s beforeAll. */
export interface DemoSandbox {
  sandbox: Sandbox;
  browser: Browser;
  cognito: CognitoIdentityProviderClient;
}

/**
 * Starts the example app's sandbox and headless chromium for the test file, and stops both after.
 * `client` makes the test's own Cognito client (default: a plain one for the sandbox).
 */
export function useDemoSandbox(
  options: ExampleSandboxOptions,
  client: (sandbox: Sandbox) => CognitoIdentityProviderClient = cognitoClient,
): DemoSandbox {
  const demo = {} as DemoSandbox;
  beforeAll(async () => {
    demo.sandbox = await startExampleSandbox(options);
    demo.browser = await launchChromium();
    demo.cognito = client(demo.sandbox);
  }, 300_000);
  afterAll(async () => {
    demo.cognito?.destroy();
    await demo.browser?.close();
    await demo.sandbox?.stop();
  });
  return demo;
}

/** A page in its own browser context, with what it logged, threw and requested recorded from the start. */
export interface OpenedPage {
  readonly page: Page;
  readonly context: BrowserContext;
  readonly console: string[];
  readonly pageErrors: string[];
  /** Every request the page made: method, URL, Cognito operation, Authorization and Referer headers. */
  readonly requests: { method: string; url: string; target?: string; authorization?: string; referer?: string }[];
}

/** A new browser context (no cookies, no storage: another browser, as far as the sandbox can tell) on `url`. */
export async function openPage(browser: Browser, url: string): Promise<OpenedPage> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const opened: OpenedPage = { page, context, console: [], pageErrors: [], requests: [] };
  page.on('console', (message) => opened.console.push(`${message.type()}: ${message.text()}`));
  page.on('pageerror', (error) => opened.pageErrors.push(String(error)));
  page.on('request', (request) => opened.requests.push({
    method: request.method(),
    url: request.url(),
    target: request.headers()['x-amz-target'],
    authorization: request.headers().authorization,
    referer: request.headers().referer,
  }));
  await page.goto(url);
  return opened;
}
