import { GetPublicKeyCommand, SignCommand } from '@aws-sdk/client-kms';
import { SendEmailCommand } from '@aws-sdk/client-sesv2';
import { CustomAuthSession, TestUser, Triggers } from './support/custom-auth-session';
import { LINK_TTL_MS, MAGIC_LINK_HINT, MagicLinkFlow, POOL } from './support/magic-link-flow';
import { newP256Key } from './support/p256-key';
import { createLogger } from '../../lambda/core/log';
import { redeemMagicLink } from '../../lambda/core/magic-link-redemption';
import { encodePayload, formatToken, parseToken, signedMessage } from '../../lambda/core/magic-link-token';
import { identifierKey } from '../../lambda/core/otp-code';

const flow = new MagicLinkFlow();
const CODE_CHALLENGE = { kind: 'challenge', parameters: { challenge: 'CODE', codeLength: '6' } };

async function linkFor(user: TestUser): Promise<string> {
  await flow.requestLink(user.attributes!.email);
  return flow.lastToken();
}

/** A token for `user` signed with the right key but with claims of the test's choosing. */
function forge(user: TestUser, claims: { expiresAt?: number; email?: string; nonce?: Buffer }, userPoolId = POOL): string {
  const payload = encodePayload({
    expiresAt: claims.expiresAt ?? Math.floor(Date.now() / 1000) + 600,
    nonce: claims.nonce ?? Buffer.alloc(16, 1),
    email: claims.email ?? user.attributes!.email,
  });
  return formatToken(payload, flow.key.signRaw(signedMessage(userPoolId, user.userName, payload)));
}

describe('a valid link', () => {
  test('signs in with two Cognito calls and four Lambda invocations', async () => {
    const user = flow.newUser();
    const token = await linkFor(user);
    const invocations: string[] = [];
    const counted: Triggers = {
      define: (event) => { invocations.push('define'); return flow.triggers.define(event); },
      create: (event) => { invocations.push('create'); return flow.triggers.create(event); },
      verify: (event) => { invocations.push('verify'); return flow.triggers.verify(event); },
    };
    const session = new CustomAuthSession(counted, user, POOL);
    expect(await session.start()).toEqual({
      kind: 'challenge',
      parameters: { challenge: 'CHOOSE', methods: 'email-otp,sms-otp,magic-link' },
    });
    expect(await session.respond(token, MAGIC_LINK_HINT)).toEqual({ kind: 'tokens' });
    expect(invocations).toEqual(['define', 'create', 'verify', 'define']);
    expect(flow.ses.commandCalls(SendEmailCommand)).toHaveLength(0);
  });

  test('signs in without the hint too', async () => {
    const user = flow.newUser();
    expect(await flow.redeem(user, await linkFor(user), undefined)).toEqual({ kind: 'tokens' });
  });

  test('is verified locally: KMS is asked for the public key at most once per container, never to sign', async () => {
    for (let i = 0; i < 3; i++) {
      const user = flow.newUser();
      expect(await flow.redeem(user, await linkFor(user))).toEqual({ kind: 'tokens' });
    }
    expect(flow.kms.commandCalls(GetPublicKeyCommand).length).toBeLessThanOrEqual(1);
    expect(flow.kms.commandCalls(SignCommand)).toHaveLength(0);
  });

  test('clears the failures of its identifier', async () => {
    const user = flow.newUser();
    const token = await linkFor(user);
    await flow.redeem(user, 'garbage');
    expect(await flow.failuresOf(user.userName)).toBe(1);
    expect(await flow.redeem(user, token)).toEqual({ kind: 'tokens' });
    expect(await flow.failuresOf(user.userName)).toBe(0);
  });

  test('works until just before it expires', async () => {
    const user = flow.newUser();
    const token = await linkFor(user);
    flow.advance(LINK_TTL_MS - 1000);
    expect(await flow.redeem(user, token)).toEqual({ kind: 'tokens' });
  });
});

describe('refused links', () => {
  test('a link works once: reuse fails', async () => {
    const user = flow.newUser();
    const token = await linkFor(user);
    expect(await flow.redeem(user, token)).toEqual({ kind: 'tokens' });
    expect(await flow.redeem(user, token)).toEqual({ kind: 'failed' });
  });

  test('an older link fails once a newer one was sent; the newer one works', async () => {
    const user = flow.newUser();
    const older = await linkFor(user);
    flow.advance(61_000);
    const newer = await linkFor(user);
    expect(flow.linkEmails).toHaveLength(2);
    expect(await flow.redeem(user, older)).toEqual({ kind: 'failed' });
    expect(await flow.redeem(user, newer)).toEqual({ kind: 'tokens' });
  });

  test('an expired link fails', async () => {
    const user = flow.newUser();
    const token = await linkFor(user);
    flow.advance(LINK_TTL_MS);
    expect(await flow.redeem(user, token)).toEqual({ kind: 'failed' });
  });

  test("user A's link fails in user B's sign-in, and A's link still works for A", async () => {
    const a = flow.newUser();
    const b = flow.newUser();
    const token = await linkFor(a);
    expect(await flow.redeem(b, token)).toEqual({ kind: 'failed' });
    expect(await flow.redeem(a, token)).toEqual({ kind: 'tokens' });
  });

  test('a link fails for another user with the same verified email: the signature binds the user name', async () => {
    const a = flow.newUser();
    const twin: TestUser = { userName: `twin-of-${a.userName}`, attributes: { ...a.attributes } };
    const token = await linkFor(a);
    expect(await flow.redeem(twin, token)).toEqual({ kind: 'failed' });
  });

  test('a link fails in another pool for the same user name and email', async () => {
    const user = flow.newUser();
    const token = await linkFor(user);
    const session = flow.session(user, 'us-east-1_OtherPool');
    await session.start();
    expect(await session.respond(token, MAGIC_LINK_HINT)).toEqual({ kind: 'failed' });
  });

  test('a tampered token fails, and the genuine one still works', async () => {
    const user = flow.newUser();
    const token = await linkFor(user);
    const [payload, signature] = token.split('.');
    const bytes = Buffer.from(payload, 'base64url');
    bytes.writeUInt32BE(bytes.readUInt32BE(1) + 3600, 1); // a later expiry
    const tampered = [
      `${bytes.toString('base64url')}.${signature}`,
      `${payload}.${signature.slice(0, 10)}${signature[10] === 'A' ? 'B' : 'A'}${signature.slice(11)}`,
      `${payload}.${signature}`.replace(/-/g, '+').replace(/_/g, '/'),
      `${payload}.${signature}=`,
      `${token}.${signature}`,
      ` ${token}`,
    ];
    // A token without '-' or '_' (about 1 in 100) has no standard-base64 variant: skip the unchanged one.
    for (const answer of tampered.filter((candidate) => candidate !== token)) {
      expect(await flow.redeem(user, answer)).toEqual({ kind: 'failed' });
    }
    expect(await flow.redeem(user, token)).toEqual({ kind: 'tokens' });
  });

  test('a token signed by another key fails', async () => {
    const user = flow.newUser();
    await linkFor(user);
    const genuine = parseToken(flow.lastToken())!;
    const forged = formatToken(genuine.encodedPayload, newP256Key().signRaw(signedMessage(POOL, user.userName, genuine.encodedPayload)));
    expect(await flow.redeem(user, forged)).toEqual({ kind: 'failed' });
  });

  test('a well-signed token for a nonce that was never issued fails', async () => {
    const user = flow.newUser();
    await linkFor(user);
    expect(await flow.redeem(user, forge(user, { nonce: Buffer.alloc(16, 9) }))).toEqual({ kind: 'failed' });
  });

  test('a changed email voids the link', async () => {
    const user = flow.newUser();
    const token = await linkFor(user);
    const changed: TestUser = { ...user, attributes: { email: 'new-address@example.com', email_verified: 'true' } };
    expect(await flow.redeem(changed, token)).toEqual({ kind: 'failed' });
  });

  test('an email that is no longer verified voids the link', async () => {
    const user = flow.newUser();
    const token = await linkFor(user);
    const unverified: TestUser = { ...user, attributes: { ...user.attributes, email_verified: 'false' } };
    expect(await flow.redeem(unverified, token)).toEqual({ kind: 'failed' });
  });

  test('with auto sign-up off in the trigger, a link sent to a pending sign-up\'s unverified address is refused', async () => {
    const email = `pending-${Date.now()}@example.com`;
    await flow.requestLink(email, { signUp: flow.signUpDeps() });
    expect(flow.linkEmails.map((message) => message.to)).toEqual([email]);
    const user = flow.testUserOf(email);
    expect(user.attributes).toEqual({ email, email_verified: 'false' });
    expect(await flow.redeem(user, flow.lastToken())).toEqual({ kind: 'failed' });
    expect(await flow.failuresOf(user.userName)).toBe(1);
    expect((await flow.storedItem(user.userName))?.pendingSignUp).toEqual({ S: 'email' });
  });

  test('malformed answers fail and never throw', async () => {
    const user = flow.newUser();
    for (const answer of ['', 'magic-link', '{"token":"x"}', 'é'.repeat(100), 'A'.repeat(1_000_000)]) {
      expect(await flow.redeem(user, answer)).toEqual({ kind: 'failed' });
    }
  });
});

describe('the magic-link hint', () => {
  test('with it, a refused link ends the sign-in (NotAuthorizedException)', async () => {
    const user = flow.newUser();
    expect(await flow.redeem(user, 'not-a-token', MAGIC_LINK_HINT)).toEqual({ kind: 'failed' });
  });

  test('without it, the session goes on to the code challenge and nothing is sent', async () => {
    const user = flow.newUser();
    const session = flow.session(user);
    await session.start();
    expect(await session.respond('not-a-token')).toEqual(CODE_CHALLENGE);
    expect(flow.ses.commandCalls(SendEmailCommand)).toHaveLength(0);
    expect(await session.respond('123456')).toEqual(CODE_CHALLENGE); // no code exists to match
  });

  test('without it, a refused link leaves a code requested earlier in another session valid', async () => {
    const user = flow.newUser();
    const codeSession = await flow.askForCode(user);
    const session = flow.session(user);
    await session.start();
    expect(await session.respond('not-a-token')).toEqual(CODE_CHALLENGE);
    expect(await codeSession.respond(flow.lastCode())).toEqual({ kind: 'tokens' });
  });
});

describe('single use under concurrency (R6)', () => {
  test('50 concurrent redemptions of one link in 50 sessions give exactly one sign-in', async () => {
    const user = flow.newUser();
    const token = await linkFor(user);
    const sessions = Array.from({ length: 50 }, () => flow.session(user));
    await Promise.all(sessions.map((session) => session.start()));
    const results = await Promise.all(sessions.map((session) => session.respond(token, MAGIC_LINK_HINT)));
    expect(results.filter((result) => result.kind === 'tokens')).toHaveLength(1);
    expect(results.filter((result) => result.kind === 'failed')).toHaveLength(49);
  });
});

describe('failures count towards the failure window (R5)', () => {
  test("an unknown user's token fails and records a failure against that identifier", async () => {
    const known = flow.newUser();
    const token = await linkFor(known);
    const unknown: TestUser = { userName: `ghost-${Date.now()}@example.com`, userNotFound: true, attributes: {} };
    expect(await flow.redeem(unknown, token)).toEqual({ kind: 'failed' });
    expect(await flow.redeem(unknown, forge(unknown, { email: unknown.userName }))).toEqual({ kind: 'failed' });
    expect(await flow.failuresOf(unknown.userName)).toBe(2);
    expect(await flow.redeem(known, token)).toEqual({ kind: 'tokens' });
  });

  test('every kind of refusal records one failure', async () => {
    const user = flow.newUser();
    const token = await linkFor(user);
    const refusals = [
      'malformed',
      `${token.split('.')[0]}.${flow.key.signRaw(Buffer.from('other')).toString('base64url')}`, // bad signature
      forge(user, { expiresAt: Math.floor(Date.now() / 1000) - 1 }), // expired
      forge(user, { email: 'someone-else@example.com' }), // not the verified email
      forge(user, { nonce: Buffer.alloc(16, 2) }), // not the current link
    ];
    for (const [i, answer] of refusals.entries()) {
      expect(await flow.redeem(user, answer)).toEqual({ kind: 'failed' });
      expect(await flow.failuresOf(user.userName)).toBe(i + 1);
    }
    await flow.redeem(user, token);
    expect(await flow.redeem(user, token)).toEqual({ kind: 'failed' }); // used
    expect(await flow.failuresOf(user.userName)).toBe(1);
  });

  test('enough refused links lock the identifier: no new link or code is sent', async () => {
    const user = flow.newUser();
    for (let i = 0; i < 10; i++) await flow.redeem(user, `garbage-${i}`);
    await flow.requestLink(user.attributes!.email);
    await flow.askForCode(user);
    expect(flow.linkEmails).toHaveLength(0);
    expect(flow.codeEmails).toHaveLength(0);
  });

  test('refusals never lengthen or reset the link: the current link still works after a few', async () => {
    const user = flow.newUser();
    const token = await linkFor(user);
    for (let i = 0; i < 3; i++) await flow.redeem(user, `garbage-${i}`);
    expect(await flow.redeem(user, token)).toEqual({ kind: 'tokens' });
  });
});

test('every well-formed token has its signature checked, known user or not, so refusals take one path (R17)', async () => {
  const verifySignature = jest.fn(async () => false);
  const deps = {
    store: flow.store,
    limits: { codeTtlMs: 180_000, sendCooldownMs: 60_000, maxSendsPerHour: 5, maxFailures: 10, failureWindowMs: 3_600_000 },
    verifySignature,
    log: createLogger('error'),
    now: () => Date.now(),
  };
  const user = flow.newUser();
  const who = { userPoolId: POOL, userName: user.userName, userNotFound: false, attributes: user.attributes! };
  const answers: Array<[typeof who, string]> = [
    [{ ...who, userName: 'ghost@example.com', userNotFound: true, attributes: {} }, forge(user, {})],
    [who, forge(user, { expiresAt: 1 })],
    [who, forge(user, { email: 'other@example.com' })],
    [{ ...who, attributes: { ...who.attributes, email_verified: 'false' } }, forge(user, {})],
  ];
  for (const [identity, token] of answers) expect(await redeemMagicLink(deps, identity, token)).toBe(false);
  expect(verifySignature).toHaveBeenCalledTimes(answers.length);
});

test('a refused or accepted link leaves no trace of the token in the logs or the table', async () => {
  const user = flow.newUser();
  const token = await linkFor(user);
  await flow.redeem(user, `${token}A`);
  await flow.redeem(user, token);
  const item = JSON.stringify(await flow.storedItem(user.userName));
  for (const secret of [token, ...token.split('.')]) {
    for (const line of flow.logLines) expect(line).not.toContain(secret);
    expect(item).not.toContain(secret);
  }
  expect(flow.logLines.some((line) => line.includes(identifierKey(POOL, user.userName).slice(0, 12)))).toBe(true);
});
