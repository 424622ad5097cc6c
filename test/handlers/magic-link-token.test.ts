import { createHash, randomBytes } from 'node:crypto';
import { fakeKms, newP256Key } from './support/p256-key';
import { createLinkVerifier } from '../../lambda/core/link-signature';
import {
  derToRawSignature,
  hasLowS,
  encodePayload,
  formatToken,
  LinkClaims,
  MAX_TOKEN_LENGTH,
  nonceHash,
  parseToken,
  signedMessage,
} from '../../lambda/core/magic-link-token';

const POOL = 'us-east-1_TestPool';
const USER = '6b1f2c4e-0d55-4a1a-9a9e-3c3b0f6c2d11';
const key = newP256Key();
const claims: LinkClaims = { expiresAt: 1_795_000_000, nonce: randomBytes(16), email: 'jane.doe@example.com' };

/** A token signed by `key` for POOL and USER, as requestMagicLink mints it. */
function mint(linkClaims: LinkClaims = claims): string {
  const payload = encodePayload(linkClaims);
  return formatToken(payload, key.signRaw(signedMessage(POOL, USER, payload)));
}

/** A token whose payload is `bytes`, with a 64-byte signature that is not checked by parseToken. */
function tokenWithPayload(bytes: Buffer): string {
  return `${bytes.toString('base64url')}.${Buffer.alloc(64, 7).toString('base64url')}`;
}

function payloadBytes(email: Buffer | string, version = 1): Buffer {
  const header = Buffer.alloc(21);
  header.writeUInt8(version, 0);
  header.writeUInt32BE(claims.expiresAt, 1);
  claims.nonce.copy(header, 5);
  return Buffer.concat([header, Buffer.isBuffer(email) ? email : Buffer.from(email)]);
}

describe('format and parse', () => {
  test('a token round-trips its claims and carries the signed payload as it travels', () => {
    const token = mint();
    const parsed = parseToken(token);
    expect(parsed?.claims).toEqual(claims);
    expect(parsed?.encodedPayload).toBe(token.split('.')[0]);
    expect(key.verifyRaw(signedMessage(POOL, USER, parsed!.encodedPayload), parsed!.signature)).toBe(true);
  });

  test('a token is base64url only: it needs no escaping in a URL fragment', () => {
    expect(mint()).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{86}$/);
  });

  test('a link for a typical address stays well under 300 characters', () => {
    const typical = { ...claims, email: 'firstname.lastname@example-company.com' };
    const link = `https://app.example.com/auth/callback#${mint(typical)}`;
    expect(link.length).toBeLessThan(300);
  });

  test('the signed message binds purpose, pool and user, not just the payload', () => {
    const payload = encodePayload(claims);
    expect(signedMessage(POOL, USER, payload).toString()).toBe(`cdk-passwordless/magic-link/v1\n${POOL}\n${USER}\n${payload}`);
    expect(signedMessage('us-east-1_Other', USER, payload)).not.toEqual(signedMessage(POOL, USER, payload));
    expect(signedMessage(POOL, 'someone-else', payload)).not.toEqual(signedMessage(POOL, USER, payload));
  });

  test('encoding refuses a nonce that is not 16 bytes and a signature that is not 64 bytes', () => {
    expect(() => encodePayload({ ...claims, nonce: randomBytes(15) })).toThrow(RangeError);
    expect(() => formatToken(encodePayload(claims), Buffer.alloc(72))).toThrow(RangeError);
  });
});

describe('strict parsing', () => {
  test('the longest allowed address parses; one byte more does not', () => {
    const longest = `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(57)}.com`;
    expect(longest).toHaveLength(254);
    const token = tokenWithPayload(payloadBytes(longest));
    expect(token.length).toBeLessThanOrEqual(MAX_TOKEN_LENGTH);
    expect(parseToken(token)?.claims.email).toBe(longest);
    expect(parseToken(tokenWithPayload(payloadBytes(`x${longest}`)))).toBeUndefined();
  });

  test('another version is refused', () => {
    expect(parseToken(tokenWithPayload(payloadBytes(claims.email, 1)))).toBeDefined();
    expect(parseToken(tokenWithPayload(payloadBytes(claims.email, 2)))).toBeUndefined();
    expect(parseToken(tokenWithPayload(payloadBytes(claims.email, 0)))).toBeUndefined();
  });

  test('an empty email (a header only) is refused', () => {
    expect(parseToken(tokenWithPayload(payloadBytes('')))).toBeUndefined();
  });

  test.each([
    ['a lone continuation byte', [0x80]],
    ['an invalid byte', [0xff]],
    ['a truncated two-byte sequence', [0xc3]],
    ['a truncated four-byte sequence as long as its replacement character', [0xf0, 0x90, 0x80]],
    ['an encoded surrogate', [0xed, 0xa0, 0x80]],
    ['an overlong slash', [0xc0, 0xaf]],
  ])('an email with %s (not UTF-8) is refused', (_, bytes) => {
    const email = Buffer.concat([Buffer.from('jane'), Buffer.from(bytes), Buffer.from('@example.com')]);
    expect(parseToken(tokenWithPayload(payloadBytes(email)))).toBeUndefined();
  });

  test('padding is refused', () => {
    const [payload, signature] = mint().split('.');
    expect(parseToken(`${payload}.${signature}==`)).toBeUndefined();
    expect(parseToken(`${payload}=.${signature}`)).toBeUndefined();
  });

  test("standard base64 ('+' and '/') is refused where base64url has '-' and '_'", () => {
    let token = mint();
    while (!/[-_]/.test(token)) token = mint(); // a signature almost always has one; retry until it does
    expect(parseToken(token)).toBeDefined();
    expect(parseToken(token.replace(/-/g, '+').replace(/_/g, '/'))).toBeUndefined();
  });

  test('a final character with non-zero unused bits (same bytes, other text) is refused', () => {
    const token = mint();
    const last = token[token.length - 1];
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    // 64 bytes take 86 characters; the last one carries 2 bits of data and 4 unused bits.
    const index = alphabet.indexOf(last);
    const sibling = alphabet[index % 2 === 0 ? index + 1 : index - 1]; // the lowest (unused) bit flipped
    const variant = token.slice(0, -1) + sibling;
    expect(Buffer.from(variant.split('.')[1], 'base64url')).toEqual(Buffer.from(token.split('.')[1], 'base64url'));
    expect(parseToken(variant)).toBeUndefined();
  });

  test.each([
    ['an extra part', (t: string) => `${t}.AAAA`],
    ['a trailing dot', (t: string) => `${t}.`],
    ['a leading dot', (t: string) => `.${t}`],
    ['no dot', (t: string) => t.replace('.', '')],
    ['an empty payload', (t: string) => t.slice(t.indexOf('.'))],
    ['a space', (t: string) => ` ${t}`],
    ['a percent-encoded character', (t: string) => t.replace(/^./, '%41')],
  ])('a token with %s is refused', (_, change) => {
    expect(parseToken(change(mint()))).toBeUndefined();
  });

  test('a signature of the wrong size is refused', () => {
    const payload = encodePayload(claims);
    expect(parseToken(`${payload}.${Buffer.alloc(63, 1).toString('base64url')}`)).toBeUndefined();
    expect(parseToken(`${payload}.${Buffer.alloc(65, 1).toString('base64url')}`)).toBeUndefined();
  });

  test('an oversized input is refused at once, without decoding it', () => {
    const huge = `${'A'.repeat(5_000_000)}.${'B'.repeat(5_000_000)}`;
    const started = performance.now();
    expect(parseToken(huge)).toBeUndefined();
    expect(parseToken('A'.repeat(MAX_TOKEN_LENGTH + 1))).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(50);
  });
});

describe('tampering', () => {
  test('flipping any bit of the payload or the signature makes the token unparseable or unverifiable', async () => {
    const verifySignature = createLinkVerifier('key', fakeKms(key.publicKeyDer));
    const token = mint();
    const [payloadText, signatureText] = token.split('.');
    const parts = [Buffer.from(payloadText, 'base64url'), Buffer.from(signatureText, 'base64url')];
    expect(await verifySignature(signedMessage(POOL, USER, payloadText), parts[1])).toBe(true);

    let checked = 0;
    for (const [which, bytes] of parts.entries()) {
      for (let i = 0; i < bytes.length; i++) {
        for (let bit = 0; bit < 8; bit++) {
          const flipped = Buffer.from(bytes);
          const mask = 2 ** bit;
          flipped[i] += Math.floor(flipped[i] / mask) % 2 === 1 ? -mask : mask;
          const [payload, signature] = which === 0 ? [flipped, parts[1]] : [parts[0], flipped];
          const parsed = parseToken(`${payload.toString('base64url')}.${signature.toString('base64url')}`);
          const accepted = parsed !== undefined
            && await verifySignature(signedMessage(POOL, USER, parsed.encodedPayload), parsed.signature);
          expect(accepted).toBe(false);
          checked += 1;
        }
      }
    }
    expect(checked).toBe((parts[0].length + 64) * 8);
  });

  test('a genuine token does not verify for another pool or another user', async () => {
    const verifySignature = createLinkVerifier('key', fakeKms(key.publicKeyDer));
    const parsed = parseToken(mint())!;
    expect(await verifySignature(signedMessage('us-east-1_Other', USER, parsed.encodedPayload), parsed.signature)).toBe(false);
    expect(await verifySignature(signedMessage(POOL, 'another-user', parsed.encodedPayload), parsed.signature)).toBe(false);
  });

  test('a token signed by another key does not verify', async () => {
    const verifySignature = createLinkVerifier('key', fakeKms(key.publicKeyDer));
    const payload = encodePayload(claims);
    const forged = newP256Key().signRaw(signedMessage(POOL, USER, payload));
    expect(await verifySignature(signedMessage(POOL, USER, payload), forged)).toBe(false);
  });
});

describe('derToRawSignature', () => {
  test("converts node:crypto's DER signatures, including short and 33-byte integers, to r||s that verifies", () => {
    const seen = { shortInteger: 0, paddedInteger: 0 };
    for (let i = 0; i < 3000; i++) {
      const message = Buffer.from(`message ${i}`);
      const der = key.signDer(message);
      const raw = derToRawSignature(der);
      expect(raw).toHaveLength(64);
      expect(key.verifyRaw(message, raw)).toBe(true);
      // The DER INTEGERs: [0x30, len, 0x02, rLen, r..., 0x02, sLen, s...]
      const rLength = der[3];
      const sLength = der[5 + rLength];
      for (const length of [rLength, sLength]) {
        if (length < 32) seen.shortInteger += 1;
        if (length === 33) seen.paddedInteger += 1;
      }
    }
    // About 1 in 512 integers is short and 1 in 2 has a sign byte: both kinds were exercised.
    expect(seen.shortInteger).toBeGreaterThan(0);
    expect(seen.paddedInteger).toBeGreaterThan(0);
  });

  test('left-pads small integers and drops the sign byte of 33-byte ones', () => {
    const r = Buffer.concat([Buffer.from([0x00, 0x80]), Buffer.alloc(31, 0x11)]); // 33 bytes: sign byte, high bit set
    const der = Buffer.concat([Buffer.from([0x30, 2 + 33 + 2 + 1, 0x02, 33]), r, Buffer.from([0x02, 0x01, 0x05])]);
    const raw = derToRawSignature(der);
    expect(raw.subarray(0, 32)).toEqual(r.subarray(1));
    expect(raw.subarray(32)).toEqual(Buffer.concat([Buffer.alloc(31), Buffer.from([0x05])]));
  });

  test('gives the low s: a high s becomes n - s, so a token has one valid spelling', () => {
    const order = BigInt('0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551');
    const high = order - 5n;
    const s = Buffer.concat([Buffer.from([0x00]), Buffer.from(high.toString(16), 'hex')]);
    const der = Buffer.concat([Buffer.from([0x30, 2 + 1 + 2 + 33, 0x02, 0x01, 0x07, 0x02, 33]), s]);
    const raw = derToRawSignature(der);
    expect(raw.subarray(32)).toEqual(Buffer.concat([Buffer.alloc(31), Buffer.from([0x05])]));
    expect(hasLowS(raw)).toBe(true);
    expect(hasLowS(Buffer.concat([raw.subarray(0, 32), Buffer.from(high.toString(16), 'hex')]))).toBe(false);
    expect(hasLowS(Buffer.concat([raw.subarray(0, 32), Buffer.from((order / 2n).toString(16).padStart(64, '0'), 'hex')]))).toBe(true);
    expect(hasLowS(raw.subarray(1))).toBe(false);
  });

  test('refuses input that is not a DER ECDSA P-256 signature', () => {
    expect(() => derToRawSignature(Buffer.from([0x31, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01]))).toThrow('not a DER ECDSA signature');
    expect(() => derToRawSignature(Buffer.from([0x30, 0x06, 0x04, 0x01, 0x01, 0x02, 0x01, 0x01]))).toThrow('not a DER ECDSA signature');
    const tooBig = Buffer.concat([Buffer.from([0x30, 0x26, 0x02, 0x21]), Buffer.alloc(33, 0x7f), Buffer.from([0x02, 0x01, 0x01])]);
    expect(() => derToRawSignature(tooBig)).toThrow('not a P-256 signature');
  });
});

describe('nonceHash', () => {
  test('is the base64url SHA-256 of the nonce: 43 characters, stable, different per nonce', () => {
    const nonce = randomBytes(16);
    expect(nonceHash(nonce)).toBe(createHash('sha256').update(nonce).digest('base64url'));
    expect(nonceHash(nonce)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(nonceHash(Buffer.from(nonce))).toBe(nonceHash(nonce));
    expect(nonceHash(randomBytes(16))).not.toBe(nonceHash(nonce));
  });

  test('does not contain the nonce in any encoding', () => {
    const nonce = randomBytes(16);
    const hash = nonceHash(nonce);
    expect(hash).not.toContain(nonce.toString('base64url'));
    expect(hash).not.toContain(nonce.toString('hex'));
  });
});
