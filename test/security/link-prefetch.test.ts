// Adversarial case 10 (R14, R15): mail scanners and link previewers open magic links by GET and HEAD, and some
// run the page's JavaScript in a headless browser. None of that may consume the link: the state is unchanged and
// the person can still sign in with that same link afterwards.
import { request as httpRequest } from 'node:http';
import { claimsOf, cognitoOperations, letSettle, serverActivity, storedTokens, useChromium, userWithLink } from './support/link-landing';
import { useSecuritySandbox } from './support/security-sandbox';
import { openPage } from '../e2e/support/demo-sandbox';
import { redeemLink } from '../e2e/support/magic-links';

jest.setTimeout(120_000);

const context = useSecuritySandbox({ functionEnvironment: { MAX_REQUESTS_PER_IP_PER_MINUTE: '1000' } });

const browser = useChromium();

/** Signs in with the link's token as a client does after the person's click; the tokens must be the user's. */
async function expectLinkStillSignsIn(email: string, username: string, token: string): Promise<void> {
  const done = await redeemLink(context.sandbox, context.cognito, email, token);
  const result = done.AuthenticationResult;
  context.keepSecret(result?.AccessToken, result?.IdToken, result?.RefreshToken, done.Session);
  expect(result?.IdToken).toBeDefined();
  expect(claimsOf(result!.IdToken!)).toMatchObject({ 'sub': username, email, 'cognito:username': username });
}

/** A raw GET whose request line carries the fragment, as a careless scanner might send it; status and headers. */
function getWithFragmentInRequestLine(link: string): Promise<{ status: number; headers: Record<string, unknown> }> {
  const url = new URL(link);
  return new Promise((resolve, reject) => {
    const sent = httpRequest({ host: url.hostname, port: url.port, method: 'GET', path: `${url.pathname}${url.hash}` }, (response) => {
      response.resume();
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers }));
    });
    sent.on('error', reject);
    sent.end();
  });
}

describe('a magic link opened without the person acting', () => {
  it('case 10: GET and HEAD of the link (and a GET that sends the fragment) consume nothing; the landing page says Referrer-Policy: no-referrer; the link then signs in', async () => {
    // Given
    const { email, username, link, token } = await userWithLink(context);
    const before = serverActivity(context.sandbox);

    // When: a scanner fetches the link every way it might
    const got = await fetch(link, { redirect: 'manual' });
    const page = await got.text();
    const head = await fetch(link, { method: 'HEAD', redirect: 'manual' });
    const withFragment = await getWithFragmentInRequestLine(link);

    // Then: the landing page was served, with no referrer sent from it (R14) ...
    expect([got.status, head.status, withFragment.status]).toEqual([200, 200, 200]);
    expect(got.headers.get('referrer-policy')).toBe('no-referrer');
    expect(head.headers.get('referrer-policy')).toBe('no-referrer');
    expect(withFragment.headers['referrer-policy']).toBe('no-referrer');
    expect(page).toMatch(/<meta name="referrer" content="no-referrer">/);
    expect(page).not.toContain(token);
    // ... and nothing ran: no function, no AWS call, no message (R15)
    expect(serverActivity(context.sandbox)).toEqual(before);

    // Then: the person can still sign in with that same link
    await expectLinkStillSignsIn(email, username, token);
  });

  it('case 10: headless Chromium that opens the link and lets the page settle, clicking nothing, consumes nothing; the link then signs in', async () => {
    // Given
    const { email, username, link, token } = await userWithLink(context);
    const before = serverActivity(context.sandbox);

    // When: a scanner with JavaScript opens the link and waits, without any user action
    const opened = await openPage(browser, link);
    let tokensInBrowser: string[];
    let shownFor: string | null;
    try {
      await letSettle(opened.page);
      shownFor = await opened.page.locator('#link-email').textContent();
      tokensInBrowser = await storedTokens(opened.page);
      // Then: the page only asks, with the fragment already out of the address bar and out of every request it made
      expect(await opened.page.locator('#link-continue').isVisible()).toBe(true);
      expect(await opened.page.evaluate(() => location.hash)).toBe('');
      expect(opened.requests.filter((made) => made.url.includes(token) || Boolean(made.referer))).toEqual([]);
      expect(cognitoOperations(opened)).toEqual([]);
      expect(opened.pageErrors).toEqual([]);
    } finally {
      await opened.context.close();
    }

    // Then: no tokens were obtained, and nothing ran on the server
    expect(shownFor).toBe(email);
    expect(tokensInBrowser).toEqual([]);
    expect(serverActivity(context.sandbox)).toEqual(before);

    // Then: the person can still sign in with that same link
    await expectLinkStillSignsIn(email, username, token);
  });

  it('case 10: several scanners in a row (GET, HEAD, Chromium twice) leave the link usable, and it still works only once', async () => {
    // Given
    const { email, username, link, token } = await userWithLink(context);
    const before = serverActivity(context.sandbox);

    // When
    await (await fetch(link)).text();
    await fetch(link, { method: 'HEAD' });
    for (let visit = 0; visit < 2; visit++) {
      const opened = await openPage(browser, link);
      try {
        await letSettle(opened.page);
        expect(cognitoOperations(opened)).toEqual([]);
      } finally {
        await opened.context.close();
      }
    }

    // Then
    expect(serverActivity(context.sandbox)).toEqual(before);
    await expectLinkStillSignsIn(email, username, token);
    const again = await redeemLink(context.sandbox, context.cognito, email, token).catch((error: Error) => error);
    expect(again).toMatchObject({ name: 'NotAuthorizedException' });
  });
});
