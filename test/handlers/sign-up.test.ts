import { FakeUserDirectory } from './support/fake-user-directory';
import { localStateTable } from './support/local-state-table';
import { IdentifierTakenError, PoolUser } from '../../lambda/core/cognito-users';
import { createLogger } from '../../lambda/core/log';
import { identifierKey } from '../../lambda/core/otp-code';
import { ensureUser, SignUpDeps } from '../../lambda/core/sign-up';

const POOL = 'us-east-1_TestPool';
const NOW = Date.UTC(2026, 10, 22, 12, 0, 0);
const DECOY_MS = 123;
const MARKER_SECONDS = 86_400;

const table = localStateTable();
const { store } = table;
let count = 0;

function depsOf(pool: FakeUserDirectory, overrides: Partial<SignUpDeps> = {}) {
  const sleep = jest.fn(async (_ms: number) => undefined);
  const observe = jest.fn();
  const logLines: string[] = [];
  const deps: SignUpDeps = {
    userPoolId: POOL,
    store: { markSignUp: store.markSignUp },
    findUser: pool.findUser,
    createUser: pool.createUser,
    creationLatency: { observe, decoyDelayMs: () => DECOY_MS },
    log: createLogger('debug', (line) => logLines.push(line)),
    sleep,
    ...overrides,
  };
  return { deps, sleep, observe, logLines };
}

const itemOf = (username: string) => table.item(identifierKey(POOL, username));

describe('an unknown identifier', () => {
  test('creates the user, unverified, and marks its sign-up in the table', async () => {
    const pool = new FakeUserDirectory();
    const { deps, sleep } = depsOf(pool);
    const email = `new-${++count}@example.com`;

    const user = await ensureUser(deps, 'email', email, NOW);

    expect(pool.createUser).toHaveBeenCalledTimes(1);
    expect(pool.createUser).toHaveBeenCalledWith('email', email);
    expect(user).toEqual({ username: expect.stringMatching(/^generated-/), enabled: true, attributes: { email, email_verified: 'false' } });
    const item = await itemOf(user.username);
    expect(item?.pendingSignUp).toEqual({ S: 'email' });
    expect(item?.ttl).toEqual({ N: String(Math.ceil(NOW / 1000) + MARKER_SECONDS) });
    expect(sleep).not.toHaveBeenCalled();
  });

  test('a phone number is marked as a phone_number sign-up', async () => {
    const pool = new FakeUserDirectory();
    const { deps } = depsOf(pool);
    const user = await ensureUser(deps, 'phone_number', '+14155550123', NOW);
    expect(pool.createUser).toHaveBeenCalledWith('phone_number', '+14155550123');
    expect(user.attributes).toEqual({ phone_number: '+14155550123', phone_number_verified: 'false' });
    expect((await itemOf(user.username))?.pendingSignUp).toEqual({ S: 'phone_number' });
  });

  test('the creation time is learned, so existing users can wait as long', async () => {
    const pool = new FakeUserDirectory();
    const { deps, observe } = depsOf(pool);
    await ensureUser(deps, 'email', `new-${++count}@example.com`, NOW);
    expect(observe).toHaveBeenCalledTimes(1);
    expect(observe.mock.calls[0][0]).toBeGreaterThanOrEqual(0);
  });

  test('the log names the new user only by a key reference, never by the address', async () => {
    const pool = new FakeUserDirectory();
    const { deps, logLines } = depsOf(pool);
    const email = `new-${++count}@example.com`;
    const user = await ensureUser(deps, 'email', email, NOW);
    expect(logLines).toEqual([JSON.stringify({ level: 'info', message: 'user created by sign-up', key: identifierKey(POOL, user.username).slice(0, 12) })]);
    expect(logLines.join('\n')).not.toContain(email);
  });
});

describe('an existing user', () => {
  test('waits the decoy delay less the lookup time, is returned as found, and nothing is created or marked', async () => {
    const pool = new FakeUserDirectory();
    const user = pool.add({ email: `known-${count}@example.com`, email_verified: 'true' });
    const { deps, sleep, observe } = depsOf(pool);

    expect(await ensureUser(deps, 'email', user.attributes.email!, NOW)).toBe(user);

    expect(sleep).toHaveBeenCalledTimes(1);
    const waited = sleep.mock.calls[0][0];
    expect(waited).toBeLessThanOrEqual(DECOY_MS);
    expect(waited).toBeGreaterThan(DECOY_MS - 50); // the fake lookup takes well under 50 ms
    expect(pool.createUser).not.toHaveBeenCalled();
    expect(observe).not.toHaveBeenCalled();
    expect(await itemOf(user.username)).toBeUndefined();
  });

  test('whose only identifier is still the unverified one it was signed up with is marked again', async () => {
    const pool = new FakeUserDirectory();
    const user = pool.add({ email: `pending-${count}@example.com`, email_verified: 'false' });
    const { deps, sleep } = depsOf(pool);

    await ensureUser(deps, 'email', user.attributes.email!, NOW);

    expect(pool.createUser).not.toHaveBeenCalled();
    expect(sleep).toHaveBeenCalledTimes(1);
    expect((await itemOf(user.username))?.pendingSignUp).toEqual({ S: 'email' });
  });

  test('left in FORCE_CHANGE_PASSWORD by a sign-up whose confirmation failed is confirmed, then marked', async () => {
    // Given: AdminCreateUser succeeded earlier, AdminSetUserPassword did not
    const pool = new FakeUserDirectory();
    const user = pool.add({ email: `half-${count}@example.com`, email_verified: 'false' });
    pool.users.set(user.username, { ...user, status: 'FORCE_CHANGE_PASSWORD' });
    const confirmUser = jest.fn(async (_username: string) => undefined);
    const { deps } = depsOf(pool, { confirmUser });

    // When
    await ensureUser(deps, 'email', user.attributes.email, NOW);

    // Then
    expect(confirmUser).toHaveBeenCalledWith(user.username);
    expect(pool.createUser).not.toHaveBeenCalled();
    expect((await itemOf(user.username))?.pendingSignUp).toEqual({ S: 'email' });
  });

  test('a confirmed user, or one with something verified, is never confirmed again', async () => {
    // Given
    const pool = new FakeUserDirectory();
    const pending = pool.add({ email: `pending-${count}@example.com`, email_verified: 'false' });
    pool.users.set(pending.username, { ...pending, status: 'CONFIRMED' });
    const verified = pool.add({ email: `verified-${count}@example.com`, email_verified: 'true' });
    pool.users.set(verified.username, { ...verified, status: 'FORCE_CHANGE_PASSWORD' });
    const confirmUser = jest.fn(async (_username: string) => undefined);
    const { deps } = depsOf(pool, { confirmUser });

    // When
    await ensureUser(deps, 'email', pending.attributes.email, NOW);
    await ensureUser(deps, 'email', verified.attributes.email, NOW);

    // Then
    expect(confirmUser).not.toHaveBeenCalled();
  });

  test('the unverified value is compared case-insensitively when re-marking', async () => {
    const pool = new FakeUserDirectory();
    const user = pool.add({ email: `Pending-${count}@Example.com` });
    const { deps } = depsOf(pool, { findUser: async () => user });
    await ensureUser(deps, 'email', user.attributes.email!.toLowerCase(), NOW);
    expect((await itemOf(user.username))?.pendingSignUp).toEqual({ S: 'email' });
  });

  test('re-marking keeps the rest of the item: sends and failures survive', async () => {
    const pool = new FakeUserDirectory();
    const user = pool.add({ email: `pending-${count}@example.com`, email_verified: 'false' });
    const key = identifierKey(POOL, user.username);
    expect(await store.save(key, 0, { sends: [NOW - 1000], failures: [NOW - 500] }, Math.ceil(NOW / 1000) + 3600)).toBe(true);
    const { deps } = depsOf(pool);

    await ensureUser(deps, 'email', user.attributes.email!, NOW);

    const state = await store.load(key);
    expect(state).toMatchObject({ pendingSignUp: 'email', sends: [NOW - 1000], failures: [NOW - 500], version: 2 });
  });

  test('with a verified phone number is not marked for its unverified email', async () => {
    const pool = new FakeUserDirectory();
    const user = pool.add({
      email: `half-${count}@example.com`, email_verified: 'false', phone_number: '+14155550100', phone_number_verified: 'true',
    });
    const { deps } = depsOf(pool);
    await ensureUser(deps, 'email', user.attributes.email!, NOW);
    expect(await itemOf(user.username)).toBeUndefined();
  });

  test('found by a value that is not its unverified attribute is not marked', async () => {
    const pool = new FakeUserDirectory();
    const user = pool.add({ email: `other-${count}@example.com`, email_verified: 'false' });
    const { deps } = depsOf(pool, { findUser: async () => user });
    await ensureUser(deps, 'email', `looked-up-${count}@example.com`, NOW);
    expect(await itemOf(user.username)).toBeUndefined();
  });

  test('that is disabled is returned as it is, for the caller to handle', async () => {
    const pool = new FakeUserDirectory();
    const user = pool.add({ email: `off-${count}@example.com`, email_verified: 'true' }, false);
    const { deps } = depsOf(pool);
    expect(await ensureUser(deps, 'email', user.attributes.email!, NOW)).toMatchObject({ username: user.username, enabled: false });
    expect(pool.createUser).not.toHaveBeenCalled();
  });
});

describe('a concurrent sign-up', () => {
  test('that created the user first: its user is returned', async () => {
    const pool = new FakeUserDirectory();
    const email = `raced-${++count}@example.com`;
    const raced: PoolUser = { username: 'winner', enabled: true, attributes: { email, email_verified: 'false' } };
    const findUser = jest.fn<Promise<PoolUser | undefined>, [string]>().mockResolvedValueOnce(undefined).mockResolvedValueOnce(raced);
    const createUser = jest.fn(async () => {
      throw new IdentifierTakenError();
    });
    const { deps } = depsOf(pool, { findUser, createUser });

    expect(await ensureUser(deps, 'email', email, NOW)).toBe(raced);
    expect(createUser).toHaveBeenCalledTimes(1);
    expect(findUser).toHaveBeenCalledTimes(2);
    expect(findUser).toHaveBeenLastCalledWith(email);
  });

  test('whose user cannot be found either: the IdentifierTakenError propagates', async () => {
    const pool = new FakeUserDirectory();
    const createUser = jest.fn(async () => {
      throw new IdentifierTakenError();
    });
    const { deps } = depsOf(pool, { createUser });
    await expect(ensureUser(deps, 'email', `ghost-${++count}@example.com`, NOW)).rejects.toBeInstanceOf(IdentifierTakenError);
  });
});

describe('other errors propagate', () => {
  test('a failed creation is not retried as a lookup and marks nothing', async () => {
    const pool = new FakeUserDirectory();
    const failure = Object.assign(new Error('internal'), { name: 'InternalErrorException' });
    const createUser = jest.fn(async (): Promise<string> => {
      throw failure;
    });
    const markSignUp = jest.fn(store.markSignUp);
    const { deps } = depsOf(pool, { createUser, store: { markSignUp } });

    await expect(ensureUser(deps, 'email', `broken-${++count}@example.com`, NOW)).rejects.toBe(failure);
    expect(pool.findUser).toHaveBeenCalledTimes(1);
    expect(markSignUp).not.toHaveBeenCalled();
  });

  test('a failed lookup creates nothing', async () => {
    const pool = new FakeUserDirectory();
    const findUser = jest.fn(async (): Promise<PoolUser | undefined> => {
      throw Object.assign(new Error('throttled'), { name: 'TooManyRequestsException' });
    });
    const { deps } = depsOf(pool, { findUser });
    await expect(ensureUser(deps, 'email', `x-${++count}@example.com`, NOW)).rejects.toThrow('throttled');
    expect(pool.createUser).not.toHaveBeenCalled();
  });

  test('a failed marker write propagates', async () => {
    const pool = new FakeUserDirectory();
    const markSignUp = jest.fn(async () => {
      throw Object.assign(new Error('table down'), { name: 'ResourceNotFoundException' });
    });
    const { deps } = depsOf(pool, { store: { markSignUp } });
    await expect(ensureUser(deps, 'email', `y-${++count}@example.com`, NOW)).rejects.toThrow('table down');
  });
});
