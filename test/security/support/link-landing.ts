import type { Page } from 'playwright-core';
import type { Sandbox } from '../../../sandbox/start';
import type { OpenedPage } from '../../e2e/support/demo-sandbox';

/** How long a page that has settled is watched further for anything it might still do on its own. */
export const WATCH_MS = 2_000;

/** A JWT (Cognito's ID, access and, here, refresh tokens): a base64url JSON header, a dot, a base64url payload. */
export const JWT = /eyJ[\w-]+\.[\w-]+/;

/** The Cognito operations (X-Amz-Target) the page sent, in order. */
export function cognitoOperations(opened: OpenedPage): string[] {
  return opened.requests.flatMap((request) => request.target ? [request.target.replace('AWSCognitoIdentityProviderService.', '')] : []);
}

/**
 * Waits until the page has loaded and gone quiet on the network, then watches it for `WATCH_MS` more: what a mail
 * scanner that runs JavaScript but clicks nothing lets the page do.
 */
export async function letSettle(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle');
  await page.waitForTimeout(WATCH_MS);
}

/** Every entry of the page's localStorage and sessionStorage, as `local:<key>` / `session:<key>` → value. */
export async function browserStorage(page: Page): Promise<Record<string, string>> {
  return page.evaluate(() => {
    const entries: Record<string, string> = {};
    for (const [name, storage] of [['local', localStorage], ['session', sessionStorage]] as const) {
      for (let index = 0; index < storage.length; index++) {
        const key = storage.key(index)!;
        entries[`${name}:${key}`] = storage.getItem(key) ?? '';
      }
    }
    return entries;
  });
}

/** The tokens the page keeps (Amplify's `…accessToken`, `…idToken`, `…refreshToken` entries, or any JWT-like value). */
export async function storedTokens(page: Page): Promise<string[]> {
  const storage = await browserStorage(page);
  return Object.entries(storage)
    .filter(([key, value]) => /(access|id|refresh)Token$/i.test(key) || JWT.test(value))
    .map(([, value]) => value);
}

/** A snapshot of everything server-side a redemption would change: Lambda invocations, AWS calls and messages sent. */
export function serverActivity(sandbox: Sandbox): { invocations: Record<string, number>; awsCalls: Record<string, number>; messages: number } {
  return { invocations: sandbox.invocations(), awsCalls: sandbox.awsCalls(), messages: sandbox.outbox().length };
}

/** The ID token's claims (not verified: the caller got the token from Cognito itself). */
export function claimsOf(idToken: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(idToken.split('.')[1], 'base64url').toString('utf-8')) as Record<string, unknown>;
}
