import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { IdentifierState, IssuedCode, SignUpAttribute } from './identifier-state';
import { CODE_ATTRIBUTES, createStateTable, L, LINK_ATTRIBUTES, N, S, type StateTable } from './state-table';

const ONE = N(1);
const NONE = L([]);
/** Appends `:at` (a one-element list) to the failure times. */
const APPEND_FAILURE = 'SET failures = list_append(if_not_exists(failures, :none), :at)';

/**
 * The identifier state table's operations. Every change is one conditional write, so concurrent
 * requests can neither reuse a code (R6) nor evaluate more answers than the attempt limit (R4), and
 * every change bumps `version`, so a `save` based on an older `load` fails. Each operation is built on
 * its own, so a handler bundles only the ones it uses.
 */
export interface StateStore {
  load(key: string): Promise<IdentifierState>;
  /** Replaces the item if nobody changed it since `load`; false when someone did. */
  save(key: string, expectedVersion: number, state: Omit<IdentifierState, 'version'>, expiresAt: number): Promise<boolean>;
  /**
   * Counts one answer against the current code, if it is unexpired, for `purpose` and under the limit, and with it
   * a failure at `now` that only `consume` takes back: an evaluated answer is counted even if a later write fails.
   */
  reserveAttempt(key: string, now: number, maxAttempts: number, purpose: string): Promise<IssuedCode | undefined>;
  /** Voids the code `hash` and clears the failures: the state after it for exactly one caller, else undefined. */
  consume(key: string, hash: string): Promise<IdentifierState | undefined>;
  recordFailure(key: string, now: number, expiresAt: number, memory: number): Promise<void>;
  /** Takes back a code that could not be delivered, and its send (nothing left valid that was never sent). */
  withdraw(key: string, hash: string, sends: readonly number[]): Promise<void>;
  /** Voids the unexpired link `hash` and clears the failures: the state after it for exactly one caller (R6). */
  consumeLink(key: string, hash: string, now: number): Promise<IdentifierState | undefined>;
  /** Takes back a link that could not be delivered, and its send. */
  withdrawLink(key: string, hash: string, sends: readonly number[]): Promise<void>;
  /** Counts one request in a fixed window item; false (and not counted) once `max` is reached. */
  countRequest(key: string, max: number, expiresAt: number): Promise<boolean>;
  /** Records that auto sign-up created this user with the unverified `attribute` as its one identifier. */
  markSignUp(key: string, attribute: SignUpAttribute, expiresAt: number): Promise<void>;
  /** Forgets the sign-up once its attribute is verified. */
  clearSignUp(key: string): Promise<void>;
}

/** The operations that issue, check and withdraw codes: sign-in codes and attribute verification codes. */
export type CodeStore = Pick<StateStore, 'load' | 'save' | 'reserveAttempt' | 'consume' | 'recordFailure' | 'withdraw'>;

export function codeStore(table: StateTable): CodeStore {
  return {
    load: table.load,
    save: table.save,
    reserveAttempt: reserveAttempt(table),
    consume: consume(table),
    recordFailure: recordFailure(table),
    withdraw: withdraw(table),
  };
}

/** Every operation, on the function's own DynamoDB client unless given one. */
export function createStateStore(tableName: string, client?: () => Promise<DynamoDBClient>): StateStore {
  const table = createStateTable(tableName, client);
  return {
    ...codeStore(table),
    consumeLink: consumeLink(table),
    withdrawLink: withdrawLink(table),
    countRequest: countRequest(table),
    markSignUp: markSignUp(table),
    clearSignUp: clearSignUp(table),
  };
}

// The failure list grows by at most the attempt limit per code, and a new code prunes it (planCodeRequest).
// The ttl is not extended here: the item lives a day (or the failure window, if longer) from the code's issue, which
// an attempt's failure outlives by at most the code's lifetime, and only with a day-long window.
export const reserveAttempt = (table: StateTable): StateStore['reserveAttempt'] => async (key, now, maxAttempts, purpose) => {
  const state = await table.update(key, {
    condition: 'attribute_exists(codeHash) AND purpose = :purpose AND codeExpiresAt > :now AND attempts < :max',
    update: `${APPEND_FAILURE} ADD attempts :one, version :one`,
    values: { ':purpose': S(purpose), ':now': N(now), ':max': N(maxAttempts), ':one': ONE, ':none': NONE, ':at': L([now]) },
  });
  return state?.code;
};

export const consume = (table: StateTable): StateStore['consume'] => async (key, hash) => {
  const state = await table.update(key, {
    condition: 'codeHash = :hash',
    update: `REMOVE ${CODE_ATTRIBUTES} SET failures = :none ADD version :one`,
    values: { ':hash': S(hash), ':none': NONE, ':one': ONE },
  });
  return state;
};

// A full failure memory already says "locked" for the whole window, so a refused append loses nothing.
export const recordFailure = (table: StateTable): StateStore['recordFailure'] => async (key, now, expiresAt, memory) => {
  await table.update(key, {
    condition: 'attribute_not_exists(failures) OR size(failures) < :memory',
    update: `${APPEND_FAILURE}, #ttl = :ttl ADD version :one`,
    values: { ':memory': N(memory), ':none': NONE, ':at': L([now]), ':ttl': N(expiresAt), ':one': ONE },
  });
};

// When the condition fails the code was already replaced or consumed: nothing of ours is left.
export const withdraw = (table: StateTable): StateStore['withdraw'] => async (key, hash, sends) => {
  await table.update(key, {
    condition: 'codeHash = :hash',
    update: `REMOVE ${CODE_ATTRIBUTES} SET sends = :sends ADD version :one`,
    values: { ':hash': S(hash), ':sends': L(sends), ':one': ONE },
  });
};

export const consumeLink = (table: StateTable): StateStore['consumeLink'] => async (key, hash, now) => {
  const state = await table.update(key, {
    condition: 'linkHash = :hash AND linkExpiresAt > :now',
    update: `REMOVE ${LINK_ATTRIBUTES} SET failures = :none ADD version :one`,
    values: { ':hash': S(hash), ':now': N(now), ':none': NONE, ':one': ONE },
  });
  return state;
};

export const withdrawLink = (table: StateTable): StateStore['withdrawLink'] => async (key, hash, sends) => {
  await table.update(key, {
    condition: 'linkHash = :hash',
    update: `REMOVE ${LINK_ATTRIBUTES} SET sends = :sends ADD version :one`,
    values: { ':hash': S(hash), ':sends': L(sends), ':one': ONE },
  });
};

export const countRequest = (table: StateTable): StateStore['countRequest'] => async (key, max, expiresAt) => {
  const state = await table.update(key, {
    condition: 'attribute_not_exists(requests) OR requests < :max',
    update: 'ADD requests :one SET #ttl = if_not_exists(#ttl, :ttl)',
    values: { ':max': N(max), ':one': ONE, ':ttl': N(expiresAt) },
  });
  return state !== undefined;
};

// The item may be new; every later write keeps it at least a day (expiryOf).
export const markSignUp = (table: StateTable): StateStore['markSignUp'] => async (key, attribute, expiresAt) => {
  await table.update(key, {
    condition: 'attribute_not_exists(pendingSignUp) OR pendingSignUp <> :attribute',
    update: 'SET pendingSignUp = :attribute, #ttl = :ttl ADD version :one',
    values: { ':attribute': S(attribute), ':ttl': N(expiresAt), ':one': ONE },
  });
};

export const clearSignUp = (table: StateTable): StateStore['clearSignUp'] => async (key) => {
  await table.update(key, {
    condition: 'attribute_exists(pendingSignUp)',
    update: 'REMOVE pendingSignUp ADD version :one',
    values: { ':one': ONE },
  });
};
