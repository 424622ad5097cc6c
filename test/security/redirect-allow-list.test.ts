// Case 11: redirect URLs not on the allow-list, in their many spellings (R16). POST /magic-link answers 400 and sends
// nothing (no signature either); and request headers (Host, X-Forwarded-Host, Origin...) never shape the link.
import { freshEmail, messageOf, postApi, rawPost, redeemToken, type RawResponse } from './support/adversary';
import { useSecuritySandbox } from './support/security-sandbox';
import { seedUser } from '../e2e/support/example-sandbox';

jest.setTimeout(120_000);

/** An https entry as a real deployment has one (besides the example's loopback entry, which matches any port). */
const HTTPS_ENTRY = 'https://app.example.com/auth/callback';

const context = useSecuritySandbox({
  functionEnvironment: {
    SEND_COOLDOWN_SECONDS: '10',
    MAX_REQUESTS_PER_IP_PER_MINUTE: '1000',
    // The allow-list a deployment with `redirectUrls: [HTTPS_ENTRY, 'http://127.0.0.1/demo/']` gives the function.
    REDIRECT_URIS: `${HTTPS_ENTRY},http://127.0.0.1/demo/`,
  },
});

/** The sandbox's loopback entry on its own port, e.g. http://127.0.0.1:41234/demo/. */
const loopback = () => context.sandbox.info.redirectUris[0];
const port = () => new URL(loopback()).port;

/** Spellings of a URL that is not on the allow-list; a function gets the sandbox's port. */
const NOT_ALLOWED: [string, string | ((port: string) => string)][] = [
  // Other hosts, schemes and ports
  ['another host', 'https://evil.example/auth/callback'],
  ['http instead of https', 'http://app.example.com/auth/callback'],
  ['another port', 'https://app.example.com:8443/auth/callback'],
  ['the default port written out', 'https://app.example.com:443/auth/callback'],
  ['the allowed host as a subdomain of another', 'https://app.example.com.evil.example/auth/callback'],
  ['a subdomain of the allowed host', 'https://evil.app.example.com/auth/callback'],
  ['the parent domain', 'https://example.com/auth/callback'],
  ['a trailing dot on the host', 'https://app.example.com./auth/callback'],
  ['https to the loopback entry', (p) => `https://127.0.0.1:${p}/demo/`],
  ['localhost for 127.0.0.1', (p) => `http://localhost:${p}/demo/`],
  ['[::1] for 127.0.0.1', (p) => `http://[::1]:${p}/demo/`],
  ['127.0.0.2', (p) => `http://127.0.0.2:${p}/demo/`],
  ['127.1 shorthand', (p) => `http://127.1:${p}/demo/`],
  ['127.0.0.1 as one decimal number', (p) => `http://2130706433:${p}/demo/`],
  ['127.0.0.1 in hexadecimal', (p) => `http://0x7f.0.0.1:${p}/demo/`],
  ['127.0.0.1 in octal', (p) => `http://0177.0.0.1:${p}/demo/`],
  ['a DNS name that resolves to 127.0.0.1', (p) => `http://127.0.0.1.nip.io:${p}/demo/`],
  // Userinfo
  ['userinfo before the allowed host', 'https://good@app.example.com/auth/callback'],
  ['the allowed host as userinfo of another', 'https://app.example.com@evil.example/auth/callback'],
  ['the allowed host and a password as userinfo', 'https://app.example.com:443@evil.example/auth/callback'],
  ['the loopback entry as userinfo of another host', (p) => `http://127.0.0.1:${p}@evil.example/demo/`],
  // Case
  ['an upper-case scheme and host', 'HTTPS://APP.EXAMPLE.COM/auth/callback'],
  ['an upper-case host', 'https://App.Example.com/auth/callback'],
  ['an upper-case path', 'https://app.example.com/AUTH/CALLBACK'],
  // Paths
  ['a path traversal after the path', 'https://app.example.com/auth/callback/../../evil'],
  ['a path traversal back to the path', 'https://app.example.com/evil/../auth/callback'],
  ['a dot segment', 'https://app.example.com/auth/./callback'],
  ['an encoded path traversal', 'https://app.example.com/auth/callback/%2e%2e/%2e%2e/evil'],
  ['encoded slashes', 'https://app.example.com/auth/callback%2F..%2F..%2Fevil'],
  ['a trailing slash', 'https://app.example.com/auth/callback/'],
  ['a longer path', 'https://app.example.com/auth/callback/more'],
  ['a path prefix', 'https://app.example.com/auth/callbackx'],
  ['a path parameter', 'https://app.example.com/auth/callback;jsessionid=x'],
  ['a shorter path', 'https://app.example.com/auth'],
  ['a double slash in the path', 'https://app.example.com//auth/callback'],
  ['another path on the sandbox', (p) => `http://127.0.0.1:${p}/outbox`],
  ['a traversal out of the demo page', (p) => `http://127.0.0.1:${p}/demo/../outbox`],
  ['the demo path without its slash', (p) => `http://127.0.0.1:${p}/demo`],
  // Scheme-relative and malformed authority
  ['a scheme-relative URL to another host', '//evil.example/auth/callback'],
  ['a scheme-relative URL to the allowed host', '//app.example.com/auth/callback'],
  ['a single slash after the scheme', 'https:/app.example.com/auth/callback'],
  ['no slash after the scheme', 'https:app.example.com/auth/callback'],
  ['three slashes after the scheme', 'https:///app.example.com/auth/callback'],
  // Backslashes
  ['backslashes for slashes', 'https:\\\\app.example.com\\auth\\callback'],
  ['a backslash before @', 'https://app.example.com\\@evil.example/auth/callback'],
  ['a backslash in the userinfo of the allowed host', 'https://evil.example\\@app.example.com/auth/callback'],
  ['a backslash in the path', 'https://app.example.com/auth\\callback'],
  // Encoded characters
  ['an encoded letter in the path', 'https://app.example.com/auth/%63allback'],
  ['an encoded letter in the host', 'https://%61pp.example.com/auth/callback'],
  ['an encoded dot in the host', 'https://app%2Eexample.com/auth/callback'],
  ['an encoded @ after the host', 'https://app.example.com%40evil.example/auth/callback'],
  ['an encoded slash after the host', 'https://app.example.com%2F@evil.example/auth/callback'],
  ['an encoded line break', 'https://app.example.com/auth/callback%0d%0aLocation:%20https://evil.example'],
  // Query and fragment additions
  ['an empty query', 'https://app.example.com/auth/callback?'],
  ['a query', 'https://app.example.com/auth/callback?next=https://evil.example'],
  ['an empty fragment', 'https://app.example.com/auth/callback#'],
  ['a fragment', 'https://app.example.com/auth/callback#https://evil.example'],
  ['a fragment that hides another host', (p) => `https://evil.example#@127.0.0.1:${p}/demo/`],
  ['a query on the loopback entry', (p) => `http://127.0.0.1:${p}/demo/?x=1`],
  // Other schemes
  ['javascript:', 'javascript:alert(document.domain)//https://app.example.com/auth/callback'],
  ['javascript: with the allowed URL as its authority', 'javascript://app.example.com/auth/callback%0aalert(1)'],
  ['data:', 'data:text/html,<script>location="https://evil.example/"+location.hash</script>'],
  ['data: in base64', 'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=='],
  ['vbscript:', 'vbscript:msgbox(1)'],
  ['file:', 'file:///etc/passwd'],
  ['ftp:', 'ftp://app.example.com/auth/callback'],
  ['wss:', 'wss://app.example.com/auth/callback'],
  ['blob:', 'blob:https://app.example.com/0d7f3e3e-0000-4000-8000-000000000000'],
  // Unicode lookalikes
  ['a Cyrillic a in the host', 'https://\u0430pp.example.com/auth/callback'],
  ['the punycode of a lookalike host', 'https://xn--pp-8kc.example.com/auth/callback'],
  ['fullwidth letters in the host', 'https://\uff41\uff50\uff50.example.com/auth/callback'],
  ['ideographic full stops in the host', 'https://app\u3002example\u3002com/auth/callback'],
  ['a fullwidth solidus after the host', 'https://app.example.com\uff0fauth/callback'],
  ['a Cyrillic letter in the path', 'https://app.example.com/auth/callb\u0430ck'],
  ['fullwidth digits for the loopback address', (p) => `http://\uff11\uff12\uff17.\uff10.\uff10.\uff11:${p}/demo/`],
  // Whitespace and invisible characters
  ['a leading space', ' https://app.example.com/auth/callback'],
  ['a trailing space', 'https://app.example.com/auth/callback '],
  ['a leading tab', '\thttps://app.example.com/auth/callback'],
  ['a trailing line break', 'https://app.example.com/auth/callback\n'],
  ['a line break inside', 'https://app.example.com/auth/\ncallback'],
  ['a line break inside the host', 'https://app.exam\nple.com/auth/callback'],
  ['an encoded trailing space', 'https://app.example.com/auth/callback%20'],
  ['a zero-width space', 'https://app.example.com/auth/callback\u200b'],
  ['a NUL character', 'https://app.example.com/auth/callback\u0000'],
  // Sizes the model refuses
  ['nothing', ''],
  ['the allowed URL with 3,000 more characters', `https://app.example.com/auth/callback${'a'.repeat(3000)}`],
];

async function requestLink(email: string, redirectUri: unknown, headers: Record<string, string> = {}): Promise<RawResponse> {
  return postApi(context.sandbox, 'magic-link', { email, redirectUri }, headers);
}

function kmsSigns(): number {
  return context.sandbox.awsCalls()['kms.Sign'] ?? 0;
}

/** The one email a request sent, and its link. */
function onlyNewEmail(before: number) {
  const sent = context.sandbox.outbox().slice(before);
  expect(sent).toHaveLength(1);
  const link = /(\S+)#([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)/.exec(sent[0].text)!;
  return { message: sent[0], before: link[1], token: link[2] };
}

describe('redirect URLs and the allow-list', () => {
  it.each([
    ['the https entry', () => HTTPS_ENTRY],
    ['the loopback entry, on the sandbox port', loopback],
  ])('case 11: %s is allowed: 202, the link leads exactly there and signs in (the control for the refusals below)', async (_case, allowed) => {
    // Given
    const email = freshEmail();
    await seedUser(context.sandbox, { email });
    const before = context.sandbox.outbox().length;

    // When
    const response = await requestLink(email, allowed());

    // Then
    expect(response.status).toBe(202);
    const link = onlyNewEmail(before);
    expect(link.before).toBe(allowed());
    const done = await redeemToken(context, email, link.token);
    expect(done.AuthenticationResult?.AccessToken).toBeDefined();
  });

  it.each(NOT_ALLOWED)('case 11: a redirect URL with %s is a 400, and nothing is signed or sent', async (_case, spelling) => {
    // Given
    const email = freshEmail();
    await seedUser(context.sandbox, { email });
    const redirectUri = typeof spelling === 'string' ? spelling : spelling(port());
    const [sent, signed] = [context.sandbox.outbox().length, kmsSigns()];

    // When
    const response = await requestLink(email, redirectUri);

    // Then
    expect(response.status).toBe(400);
    expect(messageOf(response)).toMatch(/^Invalid request/);
    expect(context.sandbox.outbox().length).toBe(sent);
    expect(kmsSigns()).toBe(signed);
  });

  it.each([
    ['a number', 443],
    ['an array of the allowed URL', [HTTPS_ENTRY]],
    ['an object', { href: HTTPS_ENTRY }],
    ['null', null],
  ])('case 11: a redirect URL that is %s is a 400, and nothing is sent', async (_case, redirectUri) => {
    // Given
    const email = freshEmail();
    await seedUser(context.sandbox, { email });
    const sent = context.sandbox.outbox().length;

    // When
    const response = await requestLink(email, redirectUri);

    // Then
    expect(response.status).toBe(400);
    expect(messageOf(response)).toMatch(/^Invalid request/);
    expect(context.sandbox.outbox().length).toBe(sent);
  });

  it('case 11: Host, X-Forwarded-Host, X-Forwarded-Proto, Forwarded, Origin and Referer never shape the link', async () => {
    // Given
    const headers = {
      'Host': 'evil.example',
      'X-Forwarded-Host': 'evil.example',
      'X-Forwarded-Proto': 'http',
      'X-Forwarded-Port': '8443',
      'X-Original-URL': '/evil',
      'X-Rewrite-URL': '/evil',
      'Forwarded': 'for=203.0.113.7;host=evil.example;proto=http',
      'Origin': 'https://evil.example',
      'Referer': 'https://evil.example/phish',
    };
    for (const allowed of [HTTPS_ENTRY, loopback()]) {
      const email = freshEmail();
      await seedUser(context.sandbox, { email });
      const before = context.sandbox.outbox().length;

      // When
      const response = await requestLink(email, allowed, headers);

      // Then: the link is the requested allowed URL, and nothing in the message names the attacker's host
      expect(response.status).toBe(202);
      const { message, before: target } = onlyNewEmail(before);
      expect(target).toBe(allowed);
      expect(`${message.text}\n${message.html ?? ''}`).not.toMatch(/evil|8443/);
      expect(response.headers['access-control-allow-origin']).not.toBe('https://evil.example');
    }
  });

  it('case 11: without a redirect URL, headers do not supply one: the request is a 400 and nothing is sent', async () => {
    // Given
    const email = freshEmail();
    await seedUser(context.sandbox, { email });
    const sent = context.sandbox.outbox().length;

    // When
    const response = await rawPost(`${context.sandbox.info.apiUrl}magic-link`, JSON.stringify({ email }), {
      Host: 'app.example.com',
      Origin: 'https://app.example.com',
      Referer: HTTPS_ENTRY,
    });

    // Then
    expect(response.status).toBe(400);
    expect(messageOf(response)).toMatch(/^Invalid request/);
    expect(context.sandbox.outbox().length).toBe(sent);
  });
});
