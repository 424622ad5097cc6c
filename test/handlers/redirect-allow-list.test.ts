import { allowedRedirect } from '../../lambda/core/redirect-allow-list';

const APP = 'https://app.example.com/auth/callback';
const ALLOW_LIST = [
  APP,
  'https://app.example.com:8443/other',
  'http://127.0.0.1:3000/callback',
  'http://[::1]:3000/callback',
  'http://localhost/cb',
];

describe('allowed', () => {
  test.each([
    [APP],
    ['https://app.example.com:8443/other'],
    ['http://127.0.0.1:3000/callback'],
    ['http://[::1]:3000/callback'],
    ['http://localhost/cb'],
  ])('%s, exactly as listed', (uri) => {
    expect(allowedRedirect(uri, ALLOW_LIST)).toBe(uri);
  });

  test.each([
    ['http://127.0.0.1:49152/callback'],
    ['http://127.0.0.1/callback'],
    ['http://[::1]:8080/callback'],
    ['http://localhost:5173/cb'],
  ])('a loopback entry matches on any port (RFC 8252): %s', (uri) => {
    expect(allowedRedirect(uri, ALLOW_LIST)).toBe(uri);
  });

  test('an origin-only entry matches its canonical spelling, with or without the slash', () => {
    expect(allowedRedirect('https://app.example.com/', ['https://app.example.com'])).toBe('https://app.example.com/');
    expect(allowedRedirect('https://app.example.com', ['https://app.example.com/'])).toBe('https://app.example.com/');
  });
});

describe('refused (R16, adversarial case 11)', () => {
  test.each([
    ['another port on a non-loopback host', 'https://app.example.com:8444/other'],
    ['the default port written out', 'https://app.example.com:443/auth/callback'],
    ['a port added to a non-loopback entry', 'https://app.example.com:8443/auth/callback'],
    ['http on a non-loopback host', 'http://app.example.com/auth/callback'],
    ['https on a loopback http entry', 'https://127.0.0.1:3000/callback'],
    ['another path', 'https://app.example.com/auth/other'],
    ['a path prefix', 'https://app.example.com/auth'],
    ['a longer path', 'https://app.example.com/auth/callback/evil'],
    ['a trailing slash', 'https://app.example.com/auth/callback/'],
    ['a doubled slash', 'https://app.example.com//auth/callback'],
    ['another path case', 'https://app.example.com/Auth/Callback'],
    ['another host case', 'https://APP.example.com/auth/callback'],
    ['another scheme case', 'HTTPS://app.example.com/auth/callback'],
    ['a loopback host in capitals', 'http://LOCALHOST:3000/cb'],
    ['a query', `${APP}?next=https://evil.com`],
    ['an empty query', `${APP}?`],
    ['a fragment', `${APP}#x`],
    ['an empty fragment', `${APP}#`],
    ['userinfo that looks like the host', 'https://app.example.com@evil.com/auth/callback'],
    ['userinfo before the host', 'https://evil.com@app.example.com/auth/callback'],
    ['a password', 'https://user:pass@app.example.com/auth/callback'],
    ['a backslash', 'https://app.example.com\\@evil.com/auth/callback'],
    ['a backslash path', 'https://app.example.com\\auth\\callback'],
    ['a missing double slash', 'https:app.example.com/auth/callback'],
    ['a single slash', 'https:/app.example.com/auth/callback'],
    ['a protocol-relative URL', '//app.example.com/auth/callback'],
    ['a relative path', '/auth/callback'],
    ['a percent-encoded path letter', 'https://app.example.com/auth/%63allback'],
    ['a percent-encoded slash', 'https://app.example.com/auth%2Fcallback'],
    ['encoded dot segments', 'https://app.example.com/auth/%2e%2e/auth/callback'],
    ['plain dot segments', 'https://app.example.com/x/../auth/callback'],
    ['a percent-encoded host', 'https://%61pp.example.com/auth/callback'],
    ['a trailing dot on the host', 'https://app.example.com./auth/callback'],
    ['fullwidth letters in the host (IDNA maps them)', 'https://\uff41pp.example.com/auth/callback'],
    ['a Cyrillic lookalike host', 'https://\u0430pp.example.com/auth/callback'],
    ['its punycode', 'https://xn--pp-6kc.example.com/auth/callback'],
    ['a lookalike subdomain', 'https://app.example.com.evil.com/auth/callback'],
    ['a shortened loopback address', 'http://127.1:3000/callback'],
    ['a hex loopback address', 'http://0x7f000001:3000/callback'],
    ['a long-form IPv6 loopback', 'http://[0:0:0:0:0:0:0:1]:3000/callback'],
    ['another loopback address', 'http://127.0.0.2:3000/callback'],
    ['a loopback host not on the list', 'http://localhost:3000/callback'],
    ['a javascript: URL', 'javascript:alert(document.domain)//https://app.example.com/auth/callback'],
    ['a data: URL', 'data:text/html,<script>alert(1)</script>'],
    ['a file: URL', 'file:///etc/passwd'],
    ['a tab inside (URL parsers drop it)', 'https://app.example.com/auth/call\tback'],
    ['a newline inside', 'https://app.example.com/auth/call\nback'],
    ['a leading space', ` ${APP}`],
    ['not a URL', 'app.example.com/auth/callback'],
    ['an empty string', ''],
  ])('%s: %j', (_, uri) => {
    expect(allowedRedirect(uri, ALLOW_LIST)).toBeUndefined();
  });

  test('over 2048 characters is refused, even when listed', () => {
    const long = `https://app.example.com/${'a'.repeat(2048)}`;
    expect(allowedRedirect(long, [long])).toBeUndefined();
  });

  test('nothing is allowed by an empty list, or by entries that are not valid redirect URLs', () => {
    expect(allowedRedirect(APP, [])).toBeUndefined();
    expect(allowedRedirect(`${APP}?a=1`, [`${APP}?a=1`])).toBeUndefined();
    expect(allowedRedirect('http://app.example.com/cb', ['http://app.example.com/cb'])).toBeUndefined();
  });
});
