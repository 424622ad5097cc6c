import { createHash, createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

/** Longest answer worth hashing; anything longer cannot be a code and is compared as a dummy. */
const MAX_ANSWER_LENGTH = 64;

/**
 * A uniformly random code of `length` digits: every one of the 10^length codes is equally likely (R1).
 * randomInt draws without modulo bias for ranges below 2^48, which covers the allowed 6-10 digits.
 */
export function generateCode(length: number): string {
  if (!Number.isInteger(length) || length < 1 || length > 14) throw new RangeError(`code length ${length} is not supported`);
  return String(randomInt(0, 10 ** length)).padStart(length, '0');
}

export function newSalt(): string {
  return randomBytes(16).toString('base64url');
}

/** The stored form of a code: an HMAC keyed by a per-code salt, bound to its purpose and identifier (R10, R13). */
export function hashCode(salt: string, purpose: string, key: string, code: string): string {
  return createHmac('sha256', salt).update(`${purpose}\n${key}\n${code}`).digest('base64url');
}

/**
 * Whether `answer` is the code behind `storedHash`, compared in constant time on equal-length digests (R24).
 * Malformed answers take the same path, so their timing says nothing.
 */
export function answerMatches(
  answer: string,
  codeLength: number,
  stored: { salt: string; hash: string; purpose: string },
  key: string,
): boolean {
  const wellFormed = answer.length === codeLength && /^[0-9]+$/.test(answer);
  const candidate = answer.length <= MAX_ANSWER_LENGTH ? answer : '';
  const digest = Buffer.from(hashCode(stored.salt, stored.purpose, key, candidate), 'base64url');
  const expected = Buffer.from(stored.hash, 'base64url');
  const equal = digest.length === expected.length && timingSafeEqual(digest, expected);
  return equal && wellFormed;
}

/**
 * The state-table key of an identifier: a hash salted with the user pool, so the table holds no email
 * address or phone number and keys of one pool mean nothing in another (R10).
 */
export function identifierKey(userPoolId: string, userName: string): string {
  const normalized = userName.normalize('NFKC').toLowerCase();
  return createHash('sha256').update(`${userPoolId}\n${normalized}`).digest('base64url');
}
