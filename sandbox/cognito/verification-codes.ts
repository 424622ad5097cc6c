import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import { CognitoError } from './errors';

/** Cognito's attribute verification codes stay valid for 24 hours. */
const LIFETIME_MS = 24 * 60 * 60 * 1000;
/** Wrong codes a code survives; Cognito's limit is not documented (see docs/sandbox.md). */
const MAX_FAILURES = 5;

interface Entry {
  readonly hash: Buffer;
  readonly value: string;
  readonly expiresAt: number;
  failures: number;
}

/**
 * Codes that verify an email address or phone number (GetUserAttributeVerificationCode,
 * UpdateUserAttributes): six digits, the newest one per user and attribute is the valid one,
 * and after `MAX_FAILURES` wrong codes it is void until a new one is issued.
 */
export class VerificationCodes {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Issues a code for `value` of `attribute`; the caller delivers it. */
  issue(username: string, attribute: string, value: string): string {
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    this.entries.set(key(username, attribute), { hash: digest(code), value, expiresAt: this.now() + LIFETIME_MS, failures: 0 });
    return code;
  }

  /** Checks a code and returns the value it verifies; a correct code is used up. */
  redeem(username: string, attribute: string, code: string): string {
    const entry = this.entries.get(key(username, attribute));
    if (entry && entry.failures >= MAX_FAILURES) {
      throw new CognitoError('LimitExceededException', 'Attempt limit exceeded, please try after some time.');
    }
    if (!entry || !timingSafeEqual(entry.hash, digest(code))) {
      if (entry) entry.failures++;
      throw new CognitoError('CodeMismatchException', 'Invalid verification code provided, please try again.');
    }
    if (entry.expiresAt <= this.now()) {
      throw new CognitoError('ExpiredCodeException', 'Invalid code provided, please request a code again.');
    }
    this.entries.delete(key(username, attribute));
    return entry.value;
  }

  forget(username: string): void {
    for (const name of this.entries.keys()) if (name.startsWith(username + '\n')) this.entries.delete(name);
  }
}

function key(username: string, attribute: string): string {
  return `${username}\n${attribute}`;
}

function digest(code: string): Buffer {
  return createHash('sha256').update(code).digest();
}
