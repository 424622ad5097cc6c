// Adversarial case 21 (R25): a link for account A opened in a browser that started no sign-in, such as a link an
// attacker sends to make the victim's browser sign in to the attacker's account (login CSRF). The demo page must not
// sign in silently: it shows which account the link is for and signs in only when the person clicks Continue.
import type { Page } from 'playwright-core';
import { browserStorage, claimsOf, cognitoOperations, letSettle, serverActivity, shownClaims, storedTokens, useChromium, userWithLink } from './support/link-landing';
import { useSecuritySandbox } from './support/security-sandbox';
import { openPage, type OpenedPage } from '../e2e/support/demo-sandbox';
import { latestCode, seedUser, uniqueEmail } from '../e2e/support/example-sandbox';

jest.setTimeout(120_000);

const context = useSecuritySandbox({ functionEnvironment: { MAX_REQUESTS_PER_IP_PER_MINUTE: '1000' } });

const browser = useChromium();

/** The tokens the page holds, kept as secrets; the ID token's claims. */
async function signedInAs(page: Page): Promise<Record<string, unknown>> {
  const tokens = await storedTokens(page);
  context.keepSecret(...tokens);
  const storage = await browserStorage(page);
  const idToken = Object.entries(storage).find(([key]) => /idToken$/.test(key))?.[1];
  expect(idToken).toBeDefined();
  return claimsOf(idToken!);
}

/** Signs `email` in on the demo page with an emailed code, as the person at this browser would. */
async function signInOnPage(opened: OpenedPage, email: string): Promise<void> {
  const { page } = opened;
  await page.locator('#identifier').waitFor({ state: 'visible' });
  await page.locator('#auto-sign-up').uncheck();
  await page.locator('#identifier').fill(email);
  await page.locator('#continue').click();
  await page.locator('button[data-method="email-otp"]').click();
  await page.locator('#code').waitFor({ state: 'visible' });
  await page.locator('#code').fill(await latestCode(context.sandbox, email));
  await page.locator('#submit-code').click();
  expect((await shownClaims(page)).email).toBe(email);
}

/** What the page shows and does while nobody acts, then what Continue does. */
async function expectConfirmationFirst(opened: OpenedPage, account: { email: string; username: string }, before: ReturnType<typeof serverActivity>) {
  const { page } = opened;
  await letSettle(page);

  // Then: it names the account and asks, and nothing has signed in
  expect(await page.locator('#link-heading').textContent()).toBe(`Sign in as ${account.email}?`);
  expect(await page.locator('#link-continue').isVisible()).toBe(true);
  expect(await page.locator('#link-cancel').isVisible()).toBe(true);
  expect(await page.locator('#claims').isVisible()).toBe(false);
  expect(cognitoOperations(opened)).toEqual([]);
  expect(serverActivity(context.sandbox)).toEqual(before);
  expect(opened.pageErrors).toEqual([]);
}

describe('a link opened in a browser that started no sign-in', () => {
  it('case 21: a fresh browser shows which account the link is for and asks; no token and no Cognito call before Continue, and Continue signs in', async () => {
    // Given: A's link, and a browser with no storage from any sign-in
    const account = await userWithLink(context);
    const before = serverActivity(context.sandbox);

    // When
    const opened = await openPage(browser, account.link);
    try {
      await expectConfirmationFirst(opened, account, before);
      expect(await browserStorage(opened.page)).toEqual({});

      // When the person clicks Continue
      await opened.page.locator('#link-continue').click();

      // Then: signed in as A, with exactly Cognito's two calls
      expect(await shownClaims(opened.page)).toMatchObject({ email: account.email, sub: account.username });
      expect(cognitoOperations(opened)).toEqual(['InitiateAuth', 'RespondToAuthChallenge']);
      expect(await signedInAs(opened.page)).toMatchObject({ email: account.email, sub: account.username });
    } finally {
      await opened.context.close();
    }
  });

  it("case 21: in a browser where another person is signed in, the attacker's link neither switches account nor signs in before Continue", async () => {
    // Given: the victim signed in on the page, and a link to the attacker's account
    const victimEmail = uniqueEmail();
    const victimUsername = await seedUser(context.sandbox, { email: victimEmail });
    const attacker = await userWithLink(context);
    const victim = await openPage(browser, context.sandbox.info.demoUrl);
    try {
      await signInOnPage(victim, victimEmail);
      const victimTokens = await storedTokens(victim.page);
      context.keepSecret(...victimTokens);
      expect(victimTokens.length).toBeGreaterThanOrEqual(3);
      const before = serverActivity(context.sandbox);

      // When: the link opens in a new tab of the victim's browser
      const tab = await victim.context.newPage();
      const landing: OpenedPage = { page: tab, context: victim.context, console: [], pageErrors: [], requests: [] };
      tab.on('pageerror', (error) => landing.pageErrors.push(String(error)));
      tab.on('request', (request) => landing.requests.push({
        method: request.method(), url: request.url(), target: request.headers()['x-amz-target'], referer: request.headers().referer,
      }));
      await tab.goto(attacker.link);

      // Then: it asks first; the victim is still the one signed in
      await expectConfirmationFirst(landing, attacker, before);
      expect((await storedTokens(tab)).sort()).toEqual([...victimTokens].sort());
      expect(await signedInAs(tab)).toMatchObject({ email: victimEmail, sub: victimUsername });

      // When the person cancels, nothing changes either
      await tab.locator('#link-cancel').click();
      await tab.locator('#identifier').waitFor({ state: 'visible' });
      expect(cognitoOperations(landing)).toEqual([]);
      expect(serverActivity(context.sandbox)).toEqual(before);
      expect(await signedInAs(tab)).toMatchObject({ sub: victimUsername });
    } finally {
      await victim.context.close();
    }
  });
});
