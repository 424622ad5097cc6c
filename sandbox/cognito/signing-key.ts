import { createHash, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';

/** A public key as the pool's `/.well-known/jwks.json` lists it, in Cognito's field order. */
export interface PublicJwk {
  readonly alg: 'RS256';
  readonly e: string;
  readonly kid: string;
  readonly kty: 'RSA';
  readonly n: string;
  readonly use: 'sig';
}

/** A JWT whose signature checked out: its header and payload, not yet judged on their claims. */
export interface VerifiedJwt {
  readonly kid: string;
  readonly payload: Record<string, unknown>;
}

/**
 * An RSA 2048 key pair that signs RS256 JWTs, as each of a user pool's two keys does
 * (Cognito signs ID tokens with one and access tokens with the other).
 */
export class SigningKey {
  /** Like Cognito's: the base64 of a SHA-256, here of the public key. */
  readonly kid: string;
  readonly jwk: PublicJwk;
  private readonly privateKey: KeyObject;
  private readonly publicKey: KeyObject;

  constructor() {
    // About 50-100 ms each: the price of real RS256 tokens that any JWT library accepts.
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.privateKey = privateKey;
    this.publicKey = publicKey;
    this.kid = createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('base64');
    const { n, e } = publicKey.export({ format: 'jwk' });
    this.jwk = { alg: 'RS256', e: e!, kid: this.kid, kty: 'RSA', n: n!, use: 'sig' };
  }

  /** A compact JWS with the header `{ kid, alg: 'RS256' }` (no `typ`, like Cognito's). */
  sign(payload: object): string {
    const signingInput = `${base64url({ kid: this.kid, alg: 'RS256' })}.${base64url(payload)}`;
    const signature = sign('sha256', Buffer.from(signingInput), this.privateKey);
    return `${signingInput}.${signature.toString('base64url')}`;
  }

  /** True when `signature` is this key's RS256 signature of `signingInput`. */
  verifies(signingInput: string, signature: Buffer): boolean {
    return verify('sha256', Buffer.from(signingInput), this.publicKey, signature);
  }
}

/**
 * The header and payload of `token` when it is a well-formed RS256 JWT signed by one of `keys`;
 * undefined for anything else (malformed, unknown kid, other algorithm, bad signature).
 */
export function verifyJwt(token: string, keys: readonly SigningKey[]): VerifiedJwt | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const [encodedHeader, encodedPayload, encodedSignature] = parts;
  const header = parseJsonObject(encodedHeader);
  const payload = parseJsonObject(encodedPayload);
  if (!header || !payload || header.alg !== 'RS256') return undefined;
  const key = keys.find((k) => k.kid === header.kid);
  if (!key) return undefined;
  const signature = Buffer.from(encodedSignature, 'base64url');
  if (!key.verifies(`${encodedHeader}.${encodedPayload}`, signature)) return undefined;
  return { kid: key.kid, payload };
}

/** True when `token` has the shape of a JWT (three dot-separated parts), whoever signed it. */
export function looksLikeJwt(token: string): boolean {
  return token.split('.').length === 3 && parseJsonObject(token.split('.')[0]) !== undefined;
}

function base64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function parseJsonObject(encoded: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
