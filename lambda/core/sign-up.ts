import { IdentifierTakenError, type PoolUser } from './cognito-users';
import { hasVerifiedIdentifier } from './destination';
import { MIN_ITEM_LIFETIME_MS, type SignUpAttribute } from './identifier-state';
import { keyRef, type Logger } from './log';
import { identifierKey } from './otp-code';
import type { SendLatency } from './send-latency';
import type { StateStore } from './state-store';

export interface SignUpDeps {
  readonly userPoolId: string;
  readonly store: Pick<StateStore, 'markSignUp'>;
  readonly findUser: (identifier: string) => Promise<PoolUser | undefined>;
  readonly createUser: (attribute: SignUpAttribute, value: string) => Promise<string>;
  /** Confirms a user that a failed earlier sign-up left in FORCE_CHANGE_PASSWORD. */
  readonly confirmUser?: (username: string) => Promise<void>;
  /** How long looking up and creating a user takes here; existing users take about as long (R17). */
  readonly creationLatency: SendLatency;
  readonly log: Logger;
  readonly sleep: (ms: number) => Promise<void>;
}


/**
 * The user that `value` signs in as, created (unverified) when there is none. A user whose only
 * identifier is still the unverified one it was created with is a sign-up not yet completed, and is
 * marked so that a code or link may go to that value. Existing users wait about as long as a creation
 * takes, so timing does not tell new from existing (R17).
 */
export async function ensureUser(deps: SignUpDeps, attribute: SignUpAttribute, value: string, now: number): Promise<PoolUser> {
  // Timed from the lookup on: an unknown user's lookup fails, which takes its own time.
  const started = performance.now();
  const found = await deps.findUser(value);
  if (found) {
    await deps.sleep(Math.max(0, deps.creationLatency.decoyDelayMs() - (performance.now() - started)));
    if (isUncompletedSignUp(found, attribute, value)) {
      if (found.status === 'FORCE_CHANGE_PASSWORD' && deps.confirmUser) await deps.confirmUser(found.username);
      await mark(deps, found.username, attribute, now);
    }
    return found;
  }
  let username: string;
  try {
    username = await deps.createUser(attribute, value);
  } catch (error) {
    // Another request created it first: sign in as that user.
    const raced = error instanceof IdentifierTakenError ? await deps.findUser(value) : undefined;
    if (!raced) throw error;
    return raced;
  }
  await mark(deps, username, attribute, now);
  deps.creationLatency.observe(performance.now() - started);
  deps.log.info('user created by sign-up', { key: keyRef(identifierKey(deps.userPoolId, username)) });
  return { username, enabled: true, attributes: { [attribute]: value, [`${attribute}_verified`]: 'false' } };
}

function isUncompletedSignUp(user: PoolUser, attribute: SignUpAttribute, value: string): boolean {
  return !hasVerifiedIdentifier(user.attributes) && user.attributes[attribute]?.toLowerCase() === value.toLowerCase();
}

function mark(deps: SignUpDeps, username: string, attribute: SignUpAttribute, now: number): Promise<void> {
  const key = identifierKey(deps.userPoolId, username);
  return deps.store.markSignUp(key, attribute, Math.ceil((now + MIN_ITEM_LIFETIME_MS) / 1000));
}
