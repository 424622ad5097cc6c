import type { OtpLimits } from './config';
import { type Channels, DeliveryError } from './delivery';
import { destinationFor } from './destination';
import { expiryOf, type IssuedCode, planCodeRequest, type SignUpAttribute } from './identifier-state';
import { errorName, keyRef, type Logger } from './log';
import { answerMatches, generateCode, hashCode, identifierKey, newSalt } from './otp-code';
import { type CodeMethod, SIGN_IN_PURPOSE } from './protocol';
import type { SendLatency } from './send-latency';
import type { CodeStore } from './state-store';

/** The table operations sign-in codes use. */
export type SignInCodeStore = CodeStore;

/** What the sign-in code core needs; handlers build it once per container. */
export interface SignInCodeDeps {
  readonly store: SignInCodeStore;
  /** Only the enabled methods have a channel. */
  readonly channels: Channels;
  readonly limits: OtpLimits;
  readonly allowedCountryCodes: readonly string[];
  readonly latency: SendLatency;
  readonly log: Logger;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  /** Marks an auto sign-up's attribute verified after its first right answer; only with auto sign-up on. */
  readonly completeSignUp?: SignUpCompletion;
}

/** Marks `attribute` of the user verified and forgets the pending sign-up. */
export type SignUpCompletion = (who: Identity, attribute: SignUpAttribute) => Promise<void>;

export interface Identity {
  readonly userPoolId: string;
  readonly userName: string;
  /** Cognito's userNotFound: the identifier matched no user (PreventUserExistenceErrors). */
  readonly userNotFound: boolean;
  readonly attributes: Readonly<Record<string, string | undefined>>;
}

/** How a code request ended. Only logs see it; the client sees the same challenge in every case. */
export type CodeRequestOutcome = 'sent' | 'undeliverable' | 'locked' | 'cooldown' | 'quota' | 'busy' | 'disabled';

/**
 * Issues a fresh sign-in code over `method` and delivers it, voiding the previous code (R7). Known and
 * unknown identifiers do the same table work and take about the same time; only a deliverable, verified
 * destination receives anything. A failed delivery leaves no valid code behind and is an error.
 */
export async function requestSignInCode(deps: SignInCodeDeps, who: Identity, method: CodeMethod): Promise<CodeRequestOutcome> {
  const send = deps.channels[method];
  if (!send) return 'disabled';
  const key = identifierKey(who.userPoolId, who.userName);
  const now = deps.now();
  const state = await deps.store.load(key);
  const pending = deps.completeSignUp ? state.pendingSignUp : undefined;
  const destination = who.userNotFound ? undefined : destinationFor(method, who.attributes, deps.allowedCountryCodes, pending);
  const plan = planCodeRequest(state, now, deps.limits);
  if (!plan.allowed) return decoy(deps, key, plan.reason);

  // Only a deliverable request replaces the code; otherwise an earlier, still valid code keeps working.
  const fresh = destination ? newSignInCode(key, now, deps.limits) : undefined;
  // A new code also voids an earlier magic link (R7: only the latest secret works).
  const saved = await deps.store.save(key, state.version, {
    code: fresh?.issued ?? state.code,
    link: fresh ? undefined : state.link,
    sends: plan.sends,
    failures: plan.failures,
    pendingSignUp: state.pendingSignUp,
  }, expiryOf(now, deps.limits));
  if (!saved) return decoy(deps, key, 'busy');
  if (!destination || !fresh) return decoy(deps, key, 'undeliverable');

  const started = performance.now();
  try {
    await send(destination, fresh.code);
  } catch (error) {
    // Not thrown when it fails: the code then stays until it expires, known to nobody, bound by its attempt limit.
    const withdrawn = await deps.store.withdraw(key, fresh.issued.hash, state.sends).then(() => true, () => false);
    deps.log.error('code delivery failed', { key: keyRef(key), method, cause: errorName(error), withdrawn });
    throw new DeliveryError(method, error);
  }
  deps.latency.observe(performance.now() - started);
  deps.log.info('code sent', { key: keyRef(key), method });
  return 'sent';
}

/**
 * Checks an answer against the identifier's current sign-in code. At most `maxAttempts` answers per
 * code are ever evaluated, however many arrive at once (R4), a right answer succeeds once (R6), and a
 * wrong one counts towards the identifier's failure window (R5). An evaluated answer is counted, as an
 * attempt and a failure, in the write that reserves it; only consuming the code takes the failure back.
 */
export async function checkSignInCode(deps: SignInCodeDeps, who: Identity, answer: string): Promise<boolean> {
  const key = identifierKey(who.userPoolId, who.userName);
  const now = deps.now();
  const code = await deps.store.reserveAttempt(key, now, deps.limits.maxAttempts, SIGN_IN_PURPOSE);
  if (code && answerMatches(answer, deps.limits.codeLength, code, key)) {
    const consumed = await deps.store.consume(key, code.hash);
    deps.log.info(consumed ? 'code accepted' : 'code already used', { key: keyRef(key) });
    if (consumed?.pendingSignUp && deps.completeSignUp) await deps.completeSignUp(who, consumed.pendingSignUp);
    return consumed !== undefined;
  }
  // No code (unknown user, expired, used up) records no failure: there was nothing to guess, and one write per
  // answer, counted or not, keeps unknown and known identifiers alike in time (R17).
  deps.log.info('code rejected', { key: keyRef(key), evaluated: code !== undefined });
  return false;
}

/** A fresh code and the only form of it that is stored. */
function newSignInCode(key: string, now: number, limits: OtpLimits): { code: string; issued: IssuedCode } {
  const code = generateCode(limits.codeLength);
  const salt = newSalt();
  const hash = hashCode(salt, SIGN_IN_PURPOSE, key, code);
  return { code, issued: { hash, salt, purpose: SIGN_IN_PURPOSE, expiresAt: now + limits.codeTtlMs, attempts: 0 } };
}

async function decoy(deps: SignInCodeDeps, key: string, outcome: Exclude<CodeRequestOutcome, 'sent' | 'disabled'>) {
  await deps.sleep(deps.latency.decoyDelayMs());
  deps.log.info('no code sent', { key: keyRef(key), outcome });
  return outcome;
}
