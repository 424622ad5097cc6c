import { createHash } from 'node:crypto';

/**
 * A magic-link token: `base64url(payload).base64url(signature)`, where the payload is
 * [version][expiry, epoch seconds, uint32][16-byte nonce][email, UTF-8] and the signature is a raw
 * (r||s) ECDSA P-256 signature over `signedMessage` — binding purpose, user pool and username (R13).
 * Short by design: about 100 characters for a typical address.
 */
export interface LinkClaims {
  /** Epoch seconds after which the link is void. */
  readonly expiresAt: number;
  readonly nonce: Buffer;
  /** The address the link was sent to, shown by the landing page before it signs in (R25). */
  readonly email: string;
}

export interface ParsedToken {
  readonly claims: LinkClaims;
  /** The payload as it travels, the part the signature covers. */
  readonly encodedPayload: string;
  readonly signature: Buffer;
}

const VERSION = 1;
export const NONCE_BYTES = 16;
const HEADER_BYTES = 1 + 4 + NONCE_BYTES;
const SIGNATURE_BYTES = 64;
const MAX_EMAIL_BYTES = 254;
/** Longest well-formed token; anything longer is refused before any decoding work. */
export const MAX_TOKEN_LENGTH = Math.ceil(((HEADER_BYTES + MAX_EMAIL_BYTES) * 4) / 3) + 1 + Math.ceil((SIGNATURE_BYTES * 4) / 3);
const BASE64URL = /^[A-Za-z0-9_-]+$/;

export function encodePayload(claims: LinkClaims): string {
  if (claims.nonce.length !== NONCE_BYTES) throw new RangeError('nonce must be 16 bytes');
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeUInt8(VERSION, 0);
  header.writeUInt32BE(claims.expiresAt, 1);
  claims.nonce.copy(header, 5);
  return Buffer.concat([header, Buffer.from(claims.email)]).toString('base64url');
}

/** What the KMS key signs: the purpose, the pool and the user are bound, not carried. */
export function signedMessage(userPoolId: string, userName: string, encodedPayload: string): Buffer {
  return Buffer.from(`cdk-passwordless/magic-link/v1\n${userPoolId}\n${userName}\n${encodedPayload}`);
}

export function formatToken(encodedPayload: string, signature: Buffer): string {
  if (signature.length !== SIGNATURE_BYTES) throw new RangeError('signature must be 64 bytes (r||s)');
  return `${encodedPayload}.${signature.toString('base64url')}`;
}

/** Parses a token strictly (one encoding, exact sizes); undefined for anything else. Checks no signature. */
export function parseToken(token: string): ParsedToken | undefined {
  if (token.length > MAX_TOKEN_LENGTH) return undefined;
  const parts = token.split('.');
  const payload = decode(parts[0]);
  const signature = decode(parts[1]);
  if (parts.length !== 2 || !payload || signature?.length !== SIGNATURE_BYTES || payload.length <= HEADER_BYTES || payload[0] !== VERSION) {
    return undefined;
  }
  const emailBytes = payload.subarray(HEADER_BYTES);
  const email = emailBytes.toString();
  // Only valid UTF-8 round-trips: a replacement character can be as long as the bytes it replaced.
  if (!Buffer.from(email).equals(emailBytes) || emailBytes.length > MAX_EMAIL_BYTES) return undefined;
  return {
    claims: { expiresAt: payload.readUInt32BE(1), nonce: Buffer.from(payload.subarray(5, HEADER_BYTES)), email },
    encodedPayload: parts[0],
    signature,
  };
}

/** Strict base64url: re-encoding must give the same text (no padding tricks, no ignored trailing bits). */
function decode(text = ''): Buffer | undefined {
  const bytes = Buffer.from(text, 'base64url');
  return BASE64URL.test(text) && bytes.toString('base64url') === text ? bytes : undefined;
}

/** The only form of a link kept in the table (R10). */
export function nonceHash(nonce: Buffer): string {
  return createHash('sha256').update(nonce).digest('base64url');
}

/**
 * KMS returns ECDSA signatures DER-encoded (SEQUENCE of two INTEGERs); the token carries the fixed
 * 64-byte r||s form, which node:crypto verifies with `dsaEncoding: 'ieee-p1363'`.
 */
export function derToRawSignature(der: Uint8Array): Buffer {
  const bytes = Buffer.from(der);
  let offset = 0;
  const expect = (tag: number) => {
    if (bytes[offset++] !== tag) throw new Error('not a DER ECDSA signature');
    let length = bytes[offset++];
    if (length >= 0x80) {
      const count = length - 0x80;
      length = bytes.readUIntBE(offset, count);
      offset += count;
    }
    return length;
  };
  expect(0x30);
  const integer = () => {
    const length = expect(0x02);
    const value = bytes.subarray(offset, offset + length);
    offset += length;
    const start = value.findIndex((byte) => byte !== 0);
    const trimmed = start < 0 ? Buffer.alloc(0) : value.subarray(start);
    if (trimmed.length > 32) throw new Error('not a P-256 signature');
    return Buffer.concat([Buffer.alloc(32 - trimmed.length), trimmed]);
  };
  const r = integer();
  return Buffer.concat([r, lowS(integer())]);
}

/** The order of P-256's base point. */
const P256_ORDER = BigInt('0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551');

/**
 * ECDSA accepts (r, s) and (r, n - s) alike, so one link would have two spellings. Links carry the low
 * `s` only, and the verifier refuses the other: a token has exactly one valid form.
 */
function lowS(s: Buffer): Buffer {
  const value = BigInt(`0x${s.toString('hex') || '0'}`);
  if (value <= P256_ORDER / 2n) return s;
  return Buffer.from((P256_ORDER - value).toString(16).padStart(64, '0'), 'hex');
}

/** Whether a raw r||s signature has the low `s` that `derToRawSignature` gives. */
export function hasLowS(signature: Buffer): boolean {
  return signature.length === 64 && BigInt(`0x${signature.subarray(32).toString('hex')}`) <= P256_ORDER / 2n;
}
