import type { OtpLimits } from './config';

/** A code as stored: never the code itself, only its salted MAC (R10). */
export interface IssuedCode {
  readonly hash: string;
  readonly salt: string;
  readonly purpose: string;
  /** Epoch milliseconds after which the code is void (R2). */
  readonly expiresAt: number;
  /** Answers evaluated against this code so far (R4). */
  readonly attempts: number;
}

/** A magic link as stored: only the hash of its nonce (R10). */
export interface IssuedLink {
  readonly hash: string;
  /** Epoch milliseconds after which the link is void (R3). */
  readonly expiresAt: number;
}

/** The attribute an auto sign-up created the user with, and codes or links may verify (R18). */
export type SignUpAttribute = 'email' | 'phone_number';

/** Everything the table keeps for one identifier; `version` 0 means no item yet. */
export interface IdentifierState {
  readonly version: number;
  readonly code?: IssuedCode;
  /** The newest magic link; issuing a code or a link voids the other (R7). */
  readonly link?: IssuedLink;
  /** Epoch milliseconds of recent sends, for the cooldown and the hourly quota (R8). */
  readonly sends: readonly number[];
  /** Epoch milliseconds of recent wrong answers, for the failure window (R5). */
  readonly failures: readonly number[];
  /**
   * Set only by auto sign-up: the user's one identifier is this unverified attribute, which codes and links may
   * then go to; the first right answer marks it verified and clears this.
   */
  readonly pendingSignUp?: SignUpAttribute;
}

/** The limits that govern sends and failures for an identifier, shared by codes and links. */
export type SendLimits = Pick<OtpLimits, 'codeTtlMs' | 'sendCooldownMs' | 'maxSendsPerHour' | 'maxFailures' | 'failureWindowMs'>;

export const EMPTY_STATE: IdentifierState = { version: 0, sends: [], failures: [] };

const HOUR_MS = 3_600_000;

/** Why a code request issues nothing. The caller never tells the client which (R17). */
export type RequestRefusal = 'locked' | 'cooldown' | 'quota';

export type RequestPlan =
  | { readonly allowed: true; readonly sends: readonly number[]; readonly failures: readonly number[] }
  | { readonly allowed: false; readonly reason: RequestRefusal };

/**
 * Decides whether a new code may be issued now: not while the identifier has too many recent
 * failures (R5), not within the send cooldown, not beyond the hourly send quota (R8). Windows slide;
 * a new sign-in resets none of them.
 */
export function planCodeRequest(state: IdentifierState, now: number, limits: SendLimits): RequestPlan {
  const failures = state.failures.filter((at) => at > now - limits.failureWindowMs);
  const sends = state.sends.filter((at) => at > now - HOUR_MS);
  if (failures.length >= limits.maxFailures) return { allowed: false, reason: 'locked' };
  if (sends.some((at) => at > now - limits.sendCooldownMs)) return { allowed: false, reason: 'cooldown' };
  if (sends.length >= limits.maxSendsPerHour) return { allowed: false, reason: 'quota' };
  return { allowed: true, sends: [...sends, now], failures };
}

/** Items are kept at least this long, so a pending sign-up outlives the send and failure windows. */
export const MIN_ITEM_LIFETIME_MS = 86_400_000;

/** When DynamoDB may delete the item: once every window it feeds, and a day, have passed. Epoch seconds. */
export function expiryOf(now: number, limits: SendLimits): number {
  return Math.ceil((now + Math.max(MIN_ITEM_LIFETIME_MS, limits.failureWindowMs, limits.codeTtlMs)) / 1000);
}

/** Most wrong answers remembered per identifier; enough to judge any allowed failure limit. */
export function failureMemory(limits: Pick<SendLimits, 'maxFailures'>): number {
  return limits.maxFailures * 2 + 10;
}
