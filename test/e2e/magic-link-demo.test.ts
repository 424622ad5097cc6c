// Magic links through the demo page in headless chromium, against the sandbox running the example app:
// the link is requested from the page, opened in another browser context, and redeemed only on Continue.
import type { Page } from 'playwright-core';
import { openPage, type OpenedPage, useDemoSandbox } from './support/demo-sandbox';
import { seedUser, uniqueEmail } from './support/example-sandbox';
import { countingCognitoClient, emailsTo, latestLink, newLink, redeemLink, sleep, tokenOf, totalInvocations } from './support/magic-links';

jest.setTimeout(120_000);

const LINK_SENT = 'If that address can sign in, a link is on its way.';
const LINK_REFUSED = 'This link is invalid, used or expired. Request a new one.';

const harness = useDemoSandbox({ functionEnvironment: { MAX_REQUESTS_PER_IP_PER_MINUTE: '1000' } }, (sandbox) => countingCognitoClient(sandbox).client);

type Opened = OpenedPage;

const open = (url: string) => openPage(harness.browser, url);

function cognitoOperations(opened: Opened): string[] {
  return opened.requests.flatMap((request) => request.target ? [request.target.replace('AWSCognitoIdentityProviderService.', '')] : []);
}

/** The claims table as name → value. */
async function shownClaims(page: Page): Promise<Record<string, string>> {
  await page.locator('#claims').waitFor({ state: 'visible' });
  const rows = await page.locator('#claims tbody tr').evaluateAll((trs) =>
    trs.map((tr) => [tr.querySelector('th')?.textContent ?? '', tr.querySelector('td')?.textContent ?? '']));
  return Object.fromEntries(rows);
}

/** Opens a link and waits for the page to ask "Sign in as …?". */
async function openLink(link: string): Promise<Opened> {
  const opened = await open(link);
  await opened.page.locator('#link-continue').waitFor({ state: 'visible' });
  return opened;
}

test('request a link on the page; opened elsewhere it asks first, clears the fragment, and Continue signs in', async () => {
  // Given: the page, where a person asks for a link
  const email = uniqueEmail();
  await seedUser(harness.sandbox, { email });
  const requester = await open(harness.sandbox.info.demoUrl);
  let link: string;
  try {
    await requester.page.locator('#identifier').fill(email);
    const button = requester.page.locator('#email-link');
    expect(await button.textContent()).toBe('Email me a sign-in link');
    await button.click();
    await requester.page.waitForFunction((text) => document.getElementById('status')?.textContent === text, LINK_SENT);
    expect(await requester.page.locator('#error').isHidden()).toBe(true);
    expect(await emailsTo(harness.sandbox, email)).toHaveLength(1);
    link = await latestLink(harness.sandbox, email);
    expect(link.startsWith(`${harness.sandbox.info.demoUrl}#`)).toBe(true);
  } finally {
    await requester.context.close();
  }

  // When: the link is opened in a fresh browser context
  const before = totalInvocations(harness.sandbox);
  const landing = await openLink(link);
  try {
    const { page } = landing;

    // Then: it names the account, the fragment is gone, and nothing happens before Continue
    expect(await page.locator('#link-heading').textContent()).toBe(`Sign in as ${email}?`);
    expect(page.url()).toBe(harness.sandbox.info.demoUrl);
    expect(await page.evaluate(() => location.href)).not.toContain('#');
    await sleep(1_000);
    expect(cognitoOperations(landing)).toEqual([]);
    expect(totalInvocations(harness.sandbox)).toBe(before);
    expect(await page.locator('#claims').isHidden()).toBe(true);

    await page.locator('#link-continue').click();
    const claims = await shownClaims(page);
    expect(claims).toMatchObject({ email, email_verified: 'true', token_use: 'id', aud: harness.sandbox.info.userPoolClientId });
    expect(cognitoOperations(landing)).toEqual(['InitiateAuth', 'RespondToAuthChallenge']);
    expect(totalInvocations(harness.sandbox)).toBe(before + 4);
    expect(await page.locator('#error').isHidden()).toBe(true);

    // The token went nowhere but Cognito's answer: no URL and no Referer carried it, and nothing logged it.
    const token = tokenOf(link);
    expect(landing.requests.filter((request) => request.url.includes(token) || request.referer?.includes(token))).toEqual([]);
    expect(landing.console.filter((line) => line.includes(token) || /eyJ[\w-]+\.eyJ/.test(line))).toEqual([]);
    expect(landing.pageErrors).toEqual([]);
  } finally {
    await landing.context.close();
  }
});

test('a link opened but not continued stays usable: closed, or cancelled, it then signs in with the SDK', async () => {
  // Given
  const email = uniqueEmail();
  await seedUser(harness.sandbox, { email });
  const link = await newLink(harness.sandbox, email);

  // When: opened and left alone, then opened and cancelled
  const ignored = await openLink(link);
  await sleep(500);
  await ignored.context.close();
  const cancelled = await openLink(link);
  try {
    await cancelled.page.locator('#link-cancel').click();
    await cancelled.page.locator('#identifier').waitFor({ state: 'visible' });
    expect(await cancelled.page.locator('#identifier').inputValue()).toBe(email);
    expect(await cancelled.page.locator('#status').textContent()).toBe('The link was not used.');
    expect(cognitoOperations(ignored)).toEqual([]);
    expect(cognitoOperations(cancelled)).toEqual([]);
  } finally {
    await cancelled.context.close();
  }

  // Then
  expect((await redeemLink(harness.sandbox, harness.cognito, email, tokenOf(link))).AuthenticationResult?.IdToken).toBeDefined();
});

test('a used link says so clearly and offers to start again', async () => {
  // Given: a link already redeemed
  const email = uniqueEmail();
  await seedUser(harness.sandbox, { email });
  const link = await newLink(harness.sandbox, email);
  await redeemLink(harness.sandbox, harness.cognito, email, tokenOf(link));

  // When
  const opened = await openLink(link);
  try {
    await opened.page.locator('#link-continue').click();
    await opened.page.locator('#error').waitFor({ state: 'visible' });

    // Then
    expect(await opened.page.locator('#error').textContent()).toBe(LINK_REFUSED);
    expect(await opened.page.locator('#identifier').isVisible()).toBe(true);
    expect(await opened.page.locator('#identifier').inputValue()).toBe(email);
    expect(await opened.page.locator('#claims').isHidden()).toBe(true);
    expect(opened.pageErrors).toEqual([]);
  } finally {
    await opened.context.close();
  }
});

test('the page asks for an email address before requesting a link', async () => {
  const opened = await open(harness.sandbox.info.demoUrl);
  try {
    await opened.page.locator('#identifier').fill('+14155550100');
    await opened.page.locator('#email-link').click();
    await opened.page.locator('#error').waitFor({ state: 'visible' });

    expect(await opened.page.locator('#error').textContent()).toBe('Enter your email address to get a sign-in link.');
    expect(opened.requests.filter((request) => request.url.startsWith(harness.sandbox.info.apiUrl!))).toEqual([]);
  } finally {
    await opened.context.close();
  }
});
