import { randomBytes, type KeyObject } from 'node:crypto';

/**
 * ECDSA on P-256 over a digest the caller already computed (KMS `MessageType: DIGEST`), which node:crypto cannot do:
 * it always hashes the input. Plain BigInt arithmetic, not constant-time: fine for keys that only live in a local sandbox.
 */

const P = 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn;
const N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
const A = P - 3n;
const G: Point = {
  x: 0x6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296n,
  y: 0x4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5n,
};

interface Point { x: bigint; y: bigint }

/** Signs a 32-byte digest with a P-256 private key; returns the DER signature, as KMS does. */
export function signDigest(privateKey: KeyObject, digest: Buffer): Buffer {
  const d = jwkInteger(privateKey.export({ format: 'jwk' }).d);
  const z = toInteger(digest);
  for (;;) {
    const k = toInteger(randomBytes(32));
    if (k === 0n || k >= N) continue;
    const r = mod(multiply(k, G)!.x, N);
    const s = mod(inverse(k, N) * (z + r * d), N);
    if (r !== 0n && s !== 0n) return encodeDer(r, s);
  }
}

/** Checks a DER signature of a 32-byte digest against a P-256 public key. */
export function verifyDigest(publicKey: KeyObject, digest: Buffer, signature: Buffer): boolean {
  const rs = decodeDer(signature);
  if (!rs) return false;
  const [r, s] = rs;
  if (r < 1n || r >= N || s < 1n || s >= N) return false;
  const jwk = publicKey.export({ format: 'jwk' });
  const q = { x: jwkInteger(jwk.x), y: jwkInteger(jwk.y) };
  const w = inverse(s, N);
  const point = add(multiply(mod(toInteger(digest) * w, N), G), multiply(mod(r * w, N), q));
  return point !== null && mod(point.x, N) === r;
}

function mod(a: bigint, m: bigint): bigint {
  const r = a % m;
  return r < 0n ? r + m : r;
}

/** Modular inverse by the extended Euclidean algorithm. */
function inverse(a: bigint, m: bigint): bigint {
  let [oldR, r, oldS, s] = [mod(a, m), m, 1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  return mod(oldS, m);
}

/** Point addition in affine coordinates; `null` is the point at infinity. */
function add(p: Point | null, q: Point | null): Point | null {
  if (!p) return q;
  if (!q) return p;
  let slope: bigint;
  if (p.x === q.x) {
    if (mod(p.y + q.y, P) === 0n) return null;
    slope = mod((3n * p.x * p.x + A) * inverse(2n * p.y, P), P);
  } else {
    slope = mod((q.y - p.y) * inverse(q.x - p.x, P), P);
  }
  const x = mod(slope * slope - p.x - q.x, P);
  return { x, y: mod(slope * (p.x - x) - p.y, P) };
}

/** Double-and-add over the bits of `k`, most significant first. */
function multiply(k: bigint, point: Point): Point | null {
  let result: Point | null = null;
  for (const bit of k.toString(2)) {
    result = add(result, result);
    if (bit === '1') result = add(result, point);
  }
  return result;
}

function toInteger(bytes: Buffer): bigint {
  return bytes.length === 0 ? 0n : BigInt(`0x${bytes.toString('hex')}`);
}

function jwkInteger(base64url: string | undefined): bigint {
  return toInteger(Buffer.from(base64url ?? '', 'base64url'));
}

/** `SEQUENCE { INTEGER r, INTEGER s }`; P-256 values keep every length under 128, so lengths are one byte. */
function encodeDer(r: bigint, s: bigint): Buffer {
  const body = Buffer.concat([derInteger(r), derInteger(s)]);
  return Buffer.concat([Buffer.from([0x30, body.length]), body]);
}

function derInteger(value: bigint): Buffer {
  let bytes = Buffer.from(value.toString(16).padStart(64, '0'), 'hex');
  while (bytes.length > 1 && bytes[0] === 0 && bytes[1] < 0x80) bytes = bytes.subarray(1);
  if (bytes[0] >= 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return Buffer.concat([Buffer.from([0x02, bytes.length]), bytes]);
}

/** Reads a DER ECDSA signature strictly (short-form lengths, nothing trailing); `undefined` when malformed. */
function decodeDer(der: Buffer): [bigint, bigint] | undefined {
  if (der.length < 8 || der[0] !== 0x30 || der[1] !== der.length - 2) return undefined;
  const values: bigint[] = [];
  let at = 2;
  for (let i = 0; i < 2; i++) {
    if (der[at] !== 0x02) return undefined;
    const length = der[at + 1];
    if (length === undefined || length === 0 || length > 33 || at + 2 + length > der.length) return undefined;
    values.push(toInteger(der.subarray(at + 2, at + 2 + length)));
    at += 2 + length;
  }
  return at === der.length ? [values[0], values[1]] : undefined;
}
