import type { Browser, Page } from 'playwright-core';
import { useFileResource } from './file-resource';
import type { SecurityContext } from './security-sandbox';
import type { Sandbox } from '../../../sandbox/start';
import { launchChromium } from '../../e2e/support/browser';
import type { OpenedPage } from '../../e2e/support/demo-sandbox';
import { seedUser, uniqueEmail } from '../../e2e/support/example-sandbox';
import { newLink, tokenOf } from '../../e2e/support/magic-links';

/** How long a page that has settled is watched further for anything it might still do on its own. */
export const WATCH_MS = 2_000;

/** A JWT (Cognito's ID, access and, here, refresh tokens): a base64url JSON header, a dot, a base64url payload. */
export const JWT = /eyJ[\w-]+\.[\w-]+/;

/** Headless chromium for the test file: launched in a beforeAll, closed after. */
export function useChromium(): Browser {
  return useFileResource(launchChromium, (browser) => browser.close(), 60_000);
}

/** A user with a verified email address and a fresh link for it; the link's token is kept as a secret. */
export async function userWithLink(context: SecurityContext): Promise<{ email: string; username: string; link: string; token: string }> {
  const email = uniqueEmail();
  const username = await seedUser(context.sandbox, { email });
  const link = await newLink(context.sandbox, email);
  context.keepSecret(tokenOf(link));
  return { email, username, link, token: tokenOf(link) };
}

/** The demo page's claims table as name → value, once the page shows it. */
export async function shownClaims(page: Page): Promise<Record<string, string>> {
  await page.locator('#claims').waitFor({ state: 'visible' });
  const rows = await page.locator('#claims tbody tr').evaluateAll((trs) =>
    trs.map((tr) => [tr.querySelector('th')?.textContent ?? '', tr.querySelector('td')?.textContent ?? '']));
  return Object.fromEntries(rows);
}

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
