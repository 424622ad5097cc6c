import { withAlikeTiming } from './alike-timing';
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
 * marked so that a code or link may go to that value. Existing users take about as long as a creation
 * (timed from the lookup on, since an unknown user's lookup fails in its own time), so timing does not
 * tell new from existing (R17).
 */
export async function ensureUser(deps: SignUpDeps, attribute: SignUpAttribute, value: string, now: number): Promise<PoolUser> {
  return withAlikeTiming(deps.creationLatency, deps.sleep, async () => {
    const { user, created } = await findOrCreateUser(deps, attribute, value, now);
    return { value: user, real: created };
  });
}

/** `ensureUser` without the timing, for a caller that times more than the creation (see `withAlikeTiming`). */
export async function findOrCreateUser(
  deps: SignUpDeps,
  attribute: SignUpAttribute,
  value: string,
  now: number,
): Promise<{ user: PoolUser; created: boolean }> {
  const found = await deps.findUser(value);
  if (found) {
    if (isUncompletedSignUp(found, attribute, value)) {
      if (found.status === 'FORCE_CHANGE_PASSWORD' && deps.confirmUser) await deps.confirmUser(found.username);
      await mark(deps, found.username, attribute, now);
    }
    return { user: found, created: false };
  }
  let username: string;
  try {
    username = await deps.createUser(attribute, value);
  } catch (error) {
    // Another request created it first: sign in as that user.
    const raced = error instanceof IdentifierTakenError ? await deps.findUser(value) : undefined;
    if (!raced) throw error;
    return { user: raced, created: false };
  }
  await mark(deps, username, attribute, now);
  deps.log.info('user created by sign-up', { key: keyRef(identifierKey(deps.userPoolId, username)) });
  return { user: { username, enabled: true, attributes: { [attribute]: value, [`${attribute}_verified`]: 'false' } }, created: true };
}

function isUncompletedSignUp(user: PoolUser, attribute: SignUpAttribute, value: string): boolean {
  return !hasVerifiedIdentifier(user.attributes) && user.attributes[attribute]?.toLowerCase() === value.toLowerCase();
}

function mark(deps: SignUpDeps, username: string, attribute: SignUpAttribute, now: number): Promise<void> {
  const key = identifierKey(deps.userPoolId, username);
  return deps.store.markSignUp(key, attribute, Math.ceil((now + MIN_ITEM_LIFETIME_MS) / 1000));
}
