import { TestUser } from './support/custom-auth-session';
import {
  countingStore,
  linkIn,
  LINK_TTL_MS,
  MagicLinkFlow,
  POOL,
  REDIRECT,
  tokenOf,
} from './support/magic-link-flow';
import { LinkDeliveryError, MagicLinkRequestDeps, requestMagicLink } from '../../lambda/core/magic-link-request';
import { nonceHash, parseToken, signedMessage } from '../../lambda/core/magic-link-token';

const flow = new MagicLinkFlow();
const CODE_CHALLENGE = { kind: 'challenge', parameters: { challenge: 'CODE', codeLength: '6' } };

function emailOf(user: TestUser): string {
  return user.attributes!.email;
}

/** Deps whose table work, decoy waits, signatures and user lookups are counted. */
function countedDeps(overrides: Partial<MagicLinkRequestDeps> = {}) {
  const base = flow.requestDeps(overrides);
  const store = countingStore(base.store);
  const sleep = jest.fn(async (_ms: number) => undefined);
  const sign = jest.fn(base.sign);
  const findUser = jest.fn(base.findUser);
  return { deps: { ...base, store, sleep, sign, findUser }, store, sleep, sign, findUser };
}

describe('a known user with a verified email', () => {
  test('gets one email, at the stored address, whose link is the redirect URL with the token in its fragment', async () => {
    const user = flow.newUser();
    const result = await flow.requestLink(emailOf(user));
    expect(result).toEqual({ kind: 'accepted' });
    expect(flow.linkEmails).toHaveLength(1);
    const message = flow.linkEmails[0];
    expect(message).toMatchObject({ from: 'no-reply@example.com', to: emailOf(user), subject: 'Your sign-in link' });
    const link = linkIn(message);
    expect(link.slice(0, link.indexOf('#'))).toBe(REDIRECT); // nothing secret before the fragment
    expect(message.text).toBe(`Sign in: ${link} (valid for 10 minutes)`);
    expect(message.html).toBe(`<a href="${link}">Sign in</a>`);
  });

  test('the token verifies for this pool and user, and names the address and the expiry', async () => {
    const user = flow.newUser();
    await flow.requestLink(emailOf(user));
    const parsed = parseToken(tokenOf(linkIn(flow.linkEmails[0])))!;
    expect(parsed).toBeDefined();
    expect(flow.key.verifyRaw(signedMessage(POOL, user.userName, parsed.encodedPayload), parsed.signature)).toBe(true);
    expect(parsed.claims.email).toBe(emailOf(user));
    expect(parsed.claims.expiresAt).toBe(Math.floor((Date.now() + LINK_TTL_MS) / 1000));
  });

  test('the table keeps only the hash of the nonce, never the token', async () => {
    const user = flow.newUser();
    await flow.requestLink(emailOf(user));
    const token = flow.lastToken();
    const item = await flow.storedItem(user.userName);
    expect(item?.linkHash?.S).toBe(nonceHash(parseToken(token)!.claims.nonce));
    expect(item?.linkExpiresAt?.N).toBe(String(Date.now() + LINK_TTL_MS));
    const stored = JSON.stringify(item);
    expect(stored).not.toContain(token.split('.')[0]);
    expect(stored).not.toContain(token.split('.')[1]);
    expect(stored).not.toContain(emailOf(user));
  });

  test('the address is matched case-insensitively and the link goes to it exactly as the pool stores it', async () => {
    const user = flow.newUser({ email: 'Mixed.Case@Example.com' });
    expect(await flow.requestLink('  mixed.case@EXAMPLE.com ')).toEqual({ kind: 'accepted' });
    expect(flow.linkEmails.map((message) => message.to)).toEqual(['Mixed.Case@Example.com']);
    expect(user.userName).toMatch(/^user-/);
  });

  test('a loopback redirect on another port is used as requested', async () => {
    const user = flow.newUser();
    const deps = flow.requestDeps();
    await requestMagicLink(deps, { email: emailOf(user), redirectUri: 'http://localhost:49152/callback', sourceIp: flow.nextIp() });
    expect(linkIn(flow.linkEmails[0])).toMatch(/^http:\/\/localhost:49152\/callback#[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{86}$/);
  });
});

describe('requests that send nothing look the same (R17)', () => {
  const cases: Array<[string, () => string]> = [
    ['an unknown user', () => `nobody-${Date.now()}@example.com`],
    ['a user whose email is not verified', () => emailOf(flow.newUser({ email_verified: 'false' }))],
    ['a disabled user', () => emailOf(flow.newUser({}, false))],
    ['a user found by that name whose email is another address', () => {
      const user = flow.newUser();
      flow.users.set(`alias-${user.userName}@example.com`, flow.users.get(emailOf(user))!);
      return `alias-${user.userName}@example.com`;
    }],
  ];

  test.each(cases)('%s: accepted, nothing signed or sent, one load and one save, and a decoy wait', async (_, email) => {
    const known = countedDeps();
    const knownResult = await requestMagicLink(known.deps, { email: emailOf(flow.newUser()), redirectUri: REDIRECT, sourceIp: flow.nextIp() });
    expect(flow.linkEmails).toHaveLength(1);

    const other = countedDeps();
    const result = await requestMagicLink(other.deps, { email: email(), redirectUri: REDIRECT, sourceIp: flow.nextIp() });
    expect(result).toEqual(knownResult);
    expect(flow.linkEmails).toHaveLength(1);
    expect(other.sign).not.toHaveBeenCalled();
    expect(other.sleep).toHaveBeenCalledTimes(1);
    expect(known.sleep).not.toHaveBeenCalled();
    expect(other.store.calls).toEqual(known.store.calls);
    expect(other.store.calls).toMatchObject({ countRequest: 1, load: 1, save: 1, withdrawLink: 0 });
  });

  test('the decoy waits about as long as recent real sends took', async () => {
    const took: number[] = [];
    const slow = countedDeps({
      sendEmail: async () => {
        const started = performance.now();
        await new Promise((resolve) => setTimeout(resolve, 30));
        took.push(performance.now() - started);
      },
    });
    for (let i = 0; i < 15; i++) {
      await requestMagicLink(slow.deps, { email: emailOf(flow.newUser()), redirectUri: REDIRECT, sourceIp: flow.nextIp() });
    }
    await requestMagicLink(slow.deps, { email: 'nobody@example.com', redirectUri: REDIRECT, sourceIp: flow.nextIp() });
    const recent = took.slice(-5).reduce((sum, ms) => sum + ms, 0) / 5;
    const waited = slow.sleep.mock.calls[0][0];
    expect(waited).toBeGreaterThan(recent * 0.6); // without the decoy estimate it would be ~0
    expect(waited).toBeLessThan(recent * 1.4);
  });
});

describe('limits shared with codes', () => {
  test('a link asked for within the cooldown of a code is not sent; after it, it is', async () => {
    const user = flow.newUser();
    await flow.askForCode(user);
    expect(flow.codeEmails).toHaveLength(1);
    expect(await flow.requestLink(emailOf(user))).toEqual({ kind: 'accepted' });
    expect(flow.linkEmails).toHaveLength(0);
    flow.advance(61_000);
    await flow.requestLink(emailOf(user));
    expect(flow.linkEmails).toHaveLength(1);
  });

  test('a code asked for within the cooldown of a link is not sent', async () => {
    const user = flow.newUser();
    await flow.requestLink(emailOf(user));
    await flow.askForCode(user);
    expect(flow.codeEmails).toHaveLength(0);
  });

  test('codes and links share one hourly quota', async () => {
    const user = flow.newUser();
    for (let i = 0; i < 5; i++) {
      if (i % 2 === 0) await flow.askForCode(user);
      else await flow.requestLink(emailOf(user));
      flow.advance(61_000);
    }
    expect(flow.codeEmails.length + flow.linkEmails.length).toBe(5);
    await flow.requestLink(emailOf(user));
    await flow.askForCode(user);
    expect(flow.codeEmails.length + flow.linkEmails.length).toBe(5);
    flow.advance(3_600_000);
    await flow.requestLink(emailOf(user));
    expect(flow.linkEmails).toHaveLength(3);
  });

  test('a failure lock (wrong codes and refused links) stops links until the window passes', async () => {
    const user = flow.newUser();
    for (let i = 0; i < 5; i++) {
      const session = flow.session(user);
      await session.start();
      expect(await session.respond(`not-a-token-${i}`)).toEqual(CODE_CHALLENGE);
    }
    for (const wrongAnswers of [3, 2]) {
      const session = await flow.askForCode(user);
      const wrong = flow.lastCode() === '000000' ? '000001' : '000000';
      for (let i = 0; i < wrongAnswers; i++) await session.respond(wrong);
      flow.advance(61_000);
    }
    expect(await flow.failuresOf(user.userName)).toBe(10);
    await flow.requestLink(emailOf(user));
    expect(flow.linkEmails).toHaveLength(0);
    flow.advance(3_600_001);
    await flow.requestLink(emailOf(user));
    expect(flow.linkEmails).toHaveLength(1);
  });
});

describe('only the latest secret works (R7)', () => {
  test('a new link voids the code', async () => {
    const user = flow.newUser();
    const session = await flow.askForCode(user);
    const code = flow.lastCode();
    flow.advance(61_000);
    await flow.requestLink(emailOf(user));
    expect(flow.linkEmails).toHaveLength(1);
    expect(await session.respond(code)).toEqual(CODE_CHALLENGE);
  });

  test('a new code voids the link', async () => {
    const user = flow.newUser();
    await flow.requestLink(emailOf(user));
    const token = flow.lastToken();
    flow.advance(61_000);
    const session = await flow.askForCode(user);
    expect(flow.codeEmails).toHaveLength(1);
    expect(await flow.redeem(user, token)).toEqual({ kind: 'failed' });
    expect(await session.respond(flow.lastCode())).toEqual({ kind: 'tokens' });
  });

  test('a request that sends nothing leaves the current link working', async () => {
    const user = flow.newUser();
    await flow.requestLink(emailOf(user));
    const token = flow.lastToken();
    await flow.requestLink(emailOf(user)); // inside the cooldown
    expect(flow.linkEmails).toHaveLength(1);
    expect(await flow.redeem(user, token)).toEqual({ kind: 'tokens' });
  });

  test('concurrent requests for one user send one link', async () => {
    const user = flow.newUser();
    const results = await Promise.all(Array.from({ length: 10 }, () => flow.requestLink(emailOf(user))));
    expect(results.every((result) => result.kind === 'accepted')).toBe(true);
    expect(flow.linkEmails).toHaveLength(1);
    expect(await flow.redeem(user, flow.lastToken())).toEqual({ kind: 'tokens' });
  });
});

describe('invalid requests', () => {
  test.each([
    ['a list of addresses', 'jane@example.com,eve@evil.com', REDIRECT, /^email must contain exactly one @/],
    ['a display name', 'Jane <jane@example.com>', REDIRECT, /^email /],
    ['a header injection', 'jane@example.com\r\nBcc: eve@evil.com', REDIRECT, /^email /],
    ['no domain', 'jane@', REDIRECT, /^email must end in a domain name/],
    ['an email that is not a string', 42, REDIRECT, /^email must be a string$/],
    ['a missing email', undefined, REDIRECT, /^email must be a string$/],
    ['a redirect that is not listed', 'jane@example.com', 'https://evil.com/auth/callback', /^redirectUri is not one of the allowed redirect URLs$/],
    ['a listed redirect with a query', 'jane@example.com', `${REDIRECT}?next=/`, /^redirectUri is not one of the allowed redirect URLs$/],
    ['a redirect that is not a string', 'jane@example.com', ['https://app.example.com/auth/callback'], /^redirectUri must be a string$/],
  ])('%s: invalid with a clear message, and no table access or lookup', async (_, email, redirectUri, message) => {
    const { deps, store, findUser, sleep } = countedDeps();
    const result = await requestMagicLink(deps, { email, redirectUri, sourceIp: flow.nextIp() });
    expect(result).toEqual({ kind: 'invalid', message: expect.stringMatching(message) });
    expect(Object.values(store.calls).every((count) => count === 0)).toBe(true);
    expect(findUser).not.toHaveBeenCalled();
    expect(sleep).not.toHaveBeenCalled();
    expect(flow.linkEmails).toHaveLength(0);
  });
});

describe('per-network limit (R9)', () => {
  const ask = (sourceIp: string, email = `someone-${Math.random()}@example.com`) =>
    requestMagicLink(flow.requestDeps(), { email, redirectUri: REDIRECT, sourceIp });

  test('the 11th request in a minute from one IPv4 address is refused, whatever it asks for', async () => {
    for (let i = 0; i < 10; i++) expect(await ask('203.0.113.7')).toEqual({ kind: 'accepted' });
    const { deps, findUser, store } = countedDeps();
    const user = flow.newUser();
    expect(await requestMagicLink(deps, { email: emailOf(user), redirectUri: REDIRECT, sourceIp: '203.0.113.7' }))
      .toEqual({ kind: 'too-many-requests' });
    expect(findUser).not.toHaveBeenCalled();
    expect(store.calls).toMatchObject({ countRequest: 1, load: 0, save: 0 });
    expect(flow.linkEmails).toHaveLength(0);
    expect(await ask('203.0.113.8')).toEqual({ kind: 'accepted' });
  });

  test('the limit is per minute', async () => {
    flow.advance(60_000 - (Date.now() % 60_000)); // the start of a minute
    for (let i = 0; i < 10; i++) await ask('203.0.113.9');
    expect(await ask('203.0.113.9')).toEqual({ kind: 'too-many-requests' });
    flow.advance(60_000);
    expect(await ask('203.0.113.9')).toEqual({ kind: 'accepted' });
  });

  test('addresses in one IPv6 /64 share the limit; another /64 does not', async () => {
    for (let i = 1; i <= 10; i++) expect(await ask(`2001:db8:5:6::${i.toString(16)}`)).toEqual({ kind: 'accepted' });
    expect(await ask('2001:db8:5:6:ffff:1:2:3')).toEqual({ kind: 'too-many-requests' });
    expect(await ask('::ffff:203.0.113.77')).toEqual({ kind: 'accepted' });
    expect(await ask('2001:db8:5:7::1')).toEqual({ kind: 'accepted' });
  });

  test('an IPv4-mapped address shares the limit of its IPv4 address', async () => {
    for (let i = 0; i < 10; i++) await ask('198.51.100.20');
    expect(await ask('::ffff:198.51.100.20')).toEqual({ kind: 'too-many-requests' });
  });

  test('the limit does not leak across pools', async () => {
    for (let i = 0; i < 10; i++) await ask('203.0.113.10');
    const otherPool = flow.requestDeps({ userPoolId: 'us-east-1_OtherPool' });
    expect(await requestMagicLink(otherPool, { email: 'a@example.com', redirectUri: REDIRECT, sourceIp: '203.0.113.10' }))
      .toEqual({ kind: 'accepted' });
  });

  test('a request without a usable source address is refused', async () => {
    expect(await ask('')).toEqual({ kind: 'too-many-requests' });
    expect(await ask('203.0.113.7, 198.51.100.1')).toEqual({ kind: 'too-many-requests' });
  });
});

describe('delivery failures', () => {
  test('a failed send is an error, withdraws the link and does not count as a send', async () => {
    const user = flow.newUser();
    const deps = flow.requestDeps({
      sendEmail: async (message) => {
        flow.linkEmails.push(message); // as if SES took it and then failed
        throw Object.assign(new Error('throttled'), { name: 'TooManyRequestsException' });
      },
    });
    const request = { email: emailOf(user), redirectUri: REDIRECT, sourceIp: flow.nextIp() };
    const error = await requestMagicLink(deps, request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LinkDeliveryError);
    expect((error as Error).message).toBe('Could not deliver the magic link');
    const item = await flow.storedItem(user.userName);
    expect(item?.linkHash).toBeUndefined();
    expect(item?.sends?.L).toEqual([]);
    expect(await flow.redeem(user, flow.lastToken())).toEqual({ kind: 'failed' });

    await flow.requestLink(emailOf(user)); // at once: the failed send did not start a cooldown
    expect(flow.linkEmails).toHaveLength(2);
    expect(await flow.redeem(user, flow.lastToken())).toEqual({ kind: 'tokens' });
  });

  test('a failed signature is an error too, and nothing is sent', async () => {
    const user = flow.newUser();
    const deps = flow.requestDeps({ sign: async () => { throw Object.assign(new Error('key disabled'), { name: 'DisabledException' }); } });
    await expect(requestMagicLink(deps, { email: emailOf(user), redirectUri: REDIRECT, sourceIp: flow.nextIp() }))
      .rejects.toBeInstanceOf(LinkDeliveryError);
    expect(flow.linkEmails).toHaveLength(0);
    expect((await flow.storedItem(user.userName))?.sends?.L).toEqual([]);
  });

  test('the error carries no address or link', async () => {
    const user = flow.newUser();
    const deps = flow.requestDeps({ sendEmail: async () => { throw new Error('rejected'); } });
    const error = await requestMagicLink(deps, { email: emailOf(user), redirectUri: REDIRECT, sourceIp: flow.nextIp() })
      .catch((e: unknown) => e as Error);
    expect(`${error} ${JSON.stringify(error)}`).not.toContain(emailOf(user));
    expect(`${error} ${JSON.stringify(error)}`).not.toContain(REDIRECT);
  });
});

test('no log line holds the token, the link, the nonce, its hash or the address, even at debug level', async () => {
  const user = flow.newUser();
  await flow.requestLink(emailOf(user));
  const token = flow.lastToken();
  const link = linkIn(flow.linkEmails[0]);
  await flow.requestLink(`nobody-${Date.now()}@example.com`);
  await flow.redeem(user, `${token}x`);
  await flow.redeem(user, token);
  const failing = flow.requestDeps({ sendEmail: async () => { throw new Error('down'); } });
  flow.advance(61_000);
  await requestMagicLink(failing, { email: emailOf(user), redirectUri: REDIRECT, sourceIp: flow.nextIp() }).catch(() => undefined);

  const { nonce } = parseToken(token)!.claims;
  const secrets = [token, link, token.split('.')[0], token.split('.')[1], nonce.toString('base64url'), nonce.toString('hex'), nonceHash(nonce)];
  expect(flow.logLines.length).toBeGreaterThan(5);
  expect(flow.logLines.some((line) => line.includes('"level":"debug"'))).toBe(true);
  for (const line of flow.logLines) {
    for (const secret of secrets) expect(line).not.toContain(secret);
    expect(line.toLowerCase()).not.toContain(emailOf(user));
    expect(line).not.toContain('nobody-');
  }
});
