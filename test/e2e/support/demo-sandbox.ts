import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { Browser } from 'playwright-core';
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
