import { FakeUserDirectory } from './support/fake-user-directory';
import { localStateTable } from './support/local-state-table';
import { countingStore } from './support/magic-link-flow';
import { freshSourceIp } from './support/source-ips';
import type { StartedSignIn } from '../../lambda/core/cognito-users';
import { createLogger } from '../../lambda/core/log';
import { identifierKey } from '../../lambda/core/otp-code';
import type { CodeMethod } from '../../lambda/core/protocol';
import { SignInStartDeps, SignInStartRequest, startSignIn } from '../../lambda/core/sign-in-start';

const POOL = 'us-east-1_TestPool';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
/** What Cognito answers after the method was chosen: the code challenge, whoever the user is. */
const CODE_STEP: StartedSignIn = { session: 'opaque-session', challengeName: 'CUSTOM_CHALLENGE', challengeParameters: { challenge: 'CODE', codeLength: '6' } };

const table = localStateTable();
let clock = Date.UTC(2026, 10, 22, 12, 0, 0);

afterEach(() => {
  clock += 3_600_000;
});

/** Deps over dynalite with an in-memory pool; every Cognito call is a spy. */
function setup(overrides: Partial<SignInStartDeps> = {}) {
  const pool = new FakeUserDirectory();
  const startSignInFn = jest.fn(async (_username: string, _choice: CodeMethod) => CODE_STEP);
  const counted = countingStore({ markSignUp: table.store.markSignUp, countRequest: table.store.countRequest });
  const logLines: string[] = [];
  const deps: SignInStartDeps = {
    userPoolId: POOL,
    store: counted,
    methods: ['email-otp', 'sms-otp'],
    allowedCountryCodes: ['1', '44'],
    maxRequestsPerIpPerMinute: 3,
    findUser: pool.findUser,
    createUser: pool.createUser,
    startSignIn: startSignInFn,
    creationLatency: { observe: () => undefined, decoyDelayMs: () => 0 },
    log: createLogger('debug', (line) => logLines.push(line)),
    now: () => clock,
    sleep: async () => undefined,
    ...overrides,
  };
  const addUser = (attributes: Record<string, string>, enabled = true) => pool.add(attributes, enabled);
  return { deps, findUser: pool.findUser, createUser: pool.createUser, startSignIn: startSignInFn, store: counted, logLines, addUser };
}

function request(identifier: unknown, channel: unknown, sourceIp = freshSourceIp()): SignInStartRequest {
  return { identifier, channel, sourceIp };
}

describe('invalid requests are refused with a clear message and no Cognito call', () => {
  test.each<[string, unknown, unknown, string]>([
    ['a missing identifier', undefined, 'email', 'identifier must be a string'],
    ['a numeric identifier', 4155550100, 'sms', 'identifier must be a string'],
    ['a list of identifiers', ['a@example.com'], 'email', 'identifier must be a string'],
    ['a missing channel', 'a@example.com', undefined, 'channel must be "email" or "sms"'],
    ['an unknown channel', 'a@example.com', 'carrier-pigeon', 'channel must be "email" or "sms"'],
    ['a method name as channel', 'a@example.com', 'email-otp', 'channel must be "email" or "sms"'],
    ['a channel in capitals', 'a@example.com', 'EMAIL', 'channel must be "email" or "sms"'],
    ['an inherited property name as channel', 'a@example.com', 'constructor', 'channel must be "email" or "sms"'],
    ['__proto__ as channel', 'a@example.com', '__proto__', 'channel must be "email" or "sms"'],
    ['two addresses', 'a@example.com,b@example.com', 'email', 'email must contain exactly one @ with a local part before it'],
    ['a phone number on the email channel', '+14155550100', 'email', 'email must contain exactly one @ with a local part before it'],
    ['an email on the sms channel', 'a@example.com', 'sms', 'phone number must be in E.164 format: + and 7 to 15 digits, e.g. +14155550100'],
    ['a number outside the allow-list', '+33612345678', 'sms', 'phone number must have one of the allowed country calling codes'],
    ['an absurdly long number', `+1${'5'.repeat(500)}`, 'sms', 'phone number must be at most 32 characters'],
  ])('%s', async (_, identifier, channel, message) => {
    const { deps, findUser, createUser, startSignIn: start, store: counted } = setup();
    expect(await startSignIn(deps, request(identifier, channel))).toEqual({ kind: 'invalid', message });
    expect(findUser).not.toHaveBeenCalled();
    expect(createUser).not.toHaveBeenCalled();
    expect(start).not.toHaveBeenCalled();
    expect(counted.calls.countRequest).toBe(0);
  });

  test('a channel that is not enabled is refused by name', async () => {
    const { deps, findUser, startSignIn: start } = setup({ methods: ['email-otp', 'magic-link'] });
    expect(await startSignIn(deps, request('+14155550100', 'sms'))).toEqual({ kind: 'invalid', message: 'channel sms is not enabled' });
    expect(findUser).not.toHaveBeenCalled();
    expect(start).not.toHaveBeenCalled();
  });
});

describe('the per-network limit', () => {
  test('is counted per source IP: the request over the limit is refused without a Cognito call', async () => {
    const { deps, startSignIn: start, findUser } = setup();
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await startSignIn(deps, request(`someone-${i}@example.com`, 'email', '203.0.113.9')));
    expect(results.slice(0, 3).map((r) => r.kind)).toEqual(['started', 'started', 'started']);
    expect(results[3]).toEqual({ kind: 'too-many-requests' });
    expect(start).toHaveBeenCalledTimes(3);
    expect(findUser).toHaveBeenCalledTimes(3);
  });

  test('another source IP has its own count', async () => {
    const { deps } = setup();
    for (let i = 0; i < 3; i++) await startSignIn(deps, request(`a-${i}@example.com`, 'email', '203.0.113.10'));
    expect(await startSignIn(deps, request('b@example.com', 'email', '203.0.113.10'))).toEqual({ kind: 'too-many-requests' });
    expect((await startSignIn(deps, request('b@example.com', 'email', '203.0.113.11'))).kind).toBe('started');
  });

  test('the window is one minute: the next minute starts a new count', async () => {
    const { deps } = setup();
    clock = Math.ceil(clock / 60_000) * 60_000;
    for (let i = 0; i < 3; i++) await startSignIn(deps, request(`c-${i}@example.com`, 'email', '203.0.113.12'));
    expect(await startSignIn(deps, request('c@example.com', 'email', '203.0.113.12'))).toEqual({ kind: 'too-many-requests' });
    clock += 60_000;
    expect((await startSignIn(deps, request('c@example.com', 'email', '203.0.113.12'))).kind).toBe('started');
  });

  test('invalid requests are not counted against the address', async () => {
    const { deps } = setup();
    for (let i = 0; i < 5; i++) await startSignIn(deps, request('not an address', 'email', '203.0.113.13'));
    expect((await startSignIn(deps, request('d@example.com', 'email', '203.0.113.13'))).kind).toBe('started');
  });

  test('a source that is not an IP address is refused', async () => {
    const { deps, startSignIn: start } = setup();
    expect(await startSignIn(deps, request('e@example.com', 'email', ''))).toEqual({ kind: 'too-many-requests' });
    expect(await startSignIn(deps, request('e@example.com', 'email', '198.51.100.1, 10.0.0.1'))).toEqual({ kind: 'too-many-requests' });
    expect(start).not.toHaveBeenCalled();
  });

  test('the refusal is logged without the identifier or the address', async () => {
    const { deps, logLines } = setup({ maxRequestsPerIpPerMinute: 1 });
    await startSignIn(deps, request('f@example.com', 'email', '203.0.113.14'));
    await startSignIn(deps, request('f@example.com', 'email', '203.0.113.14'));
    expect(logLines).toContain(JSON.stringify({ level: 'info', message: 'request refused by the per-network limit' }));
    expect(logLines.join('\n')).not.toMatch(/f@example\.com|203\.0\.113\.14/);
  });
});

describe('with auto sign-up', () => {
  test('an unknown email creates the user, marks it, and starts its sign-in by username with the email code', async () => {
    const { deps, createUser, startSignIn: start } = setup();
    const result = await startSignIn(deps, request('  New.Person@Example.com ', 'email'));
    expect(result).toEqual({ kind: 'started', signIn: CODE_STEP });
    expect(createUser).toHaveBeenCalledWith('email', 'new.person@example.com');
    const username = await createUser.mock.results[0].value;
    expect(start).toHaveBeenCalledWith(username, 'email-otp');
    expect((await table.item(identifierKey(POOL, username)))?.pendingSignUp).toEqual({ S: 'email' });
  });

  test('an unknown phone number is looked up and created in E.164, and the code goes by SMS', async () => {
    const { deps, findUser, createUser, startSignIn: start } = setup();
    await startSignIn(deps, request('+44 7700 900-123', 'sms'));
    expect(findUser).toHaveBeenCalledWith('+447700900123');
    expect(createUser).toHaveBeenCalledWith('phone_number', '+447700900123');
    expect(start).toHaveBeenCalledWith(expect.stringMatching(/^generated-/), 'sms-otp');
  });

  test('an existing user is started by username and not created', async () => {
    const { deps, createUser, startSignIn: start, addUser } = setup();
    const user = addUser({ email: 'known@example.com', email_verified: 'true' });
    expect(await startSignIn(deps, request('known@example.com', 'email'))).toEqual({ kind: 'started', signIn: CODE_STEP });
    expect(createUser).not.toHaveBeenCalled();
    expect(start).toHaveBeenCalledWith(user.username, 'email-otp');
  });

  test('new and existing users get results of identical shape', async () => {
    const { deps, addUser } = setup();
    addUser({ email: 'old@example.com', email_verified: 'true' });
    const fresh = await startSignIn(deps, request('fresh@example.com', 'email'));
    const old = await startSignIn(deps, request('old@example.com', 'email'));
    expect(old).toEqual(fresh);
    expect(Object.keys(old)).toEqual(['kind', 'signIn']);
  });

  test('a disabled user is started under a UUID-shaped stand-in name, never as its username', async () => {
    const { deps, startSignIn: start, addUser } = setup();
    const user = addUser({ email: 'off@example.com', email_verified: 'true' }, false);
    expect(await startSignIn(deps, request('off@example.com', 'email'))).toEqual({ kind: 'started', signIn: CODE_STEP });
    const [name] = start.mock.calls[0];
    expect(name).toMatch(UUID);
    expect(name).not.toBe(user.username);
    expect(name).not.toBe('off@example.com');
  });

  test('the stand-in is the same for every request about the identifier, as a real username would be', async () => {
    const { deps, startSignIn: start, addUser } = setup();
    addUser({ email: 'off-again@example.com', email_verified: 'true' }, false);
    addUser({ email: 'off-other@example.com', email_verified: 'true' }, false);
    await startSignIn(deps, request('off-again@example.com', 'email'));
    await startSignIn(deps, request('OFF-AGAIN@example.com', 'email'));
    await startSignIn(deps, request('off-other@example.com', 'email'));
    const [first, second, other] = start.mock.calls.map(([name]) => name);
    expect(second).toBe(first);
    expect(other).not.toBe(first);
  });

  test('the stand-in depends on the pool', async () => {
    const a = setup();
    const b = setup({ userPoolId: 'eu-west-1_Other' });
    for (const t of [a, b]) t.addUser({ email: 'off-pool@example.com', email_verified: 'true' }, false);
    await startSignIn(a.deps, request('off-pool@example.com', 'email'));
    await startSignIn(b.deps, request('off-pool@example.com', 'email'));
    expect(a.startSignIn.mock.calls[0][0]).not.toBe(b.startSignIn.mock.calls[0][0]);
  });
});

test('a Cognito failure propagates to the handler', async () => {
  const failure = Object.assign(new Error('boom'), { name: 'InternalErrorException' });
  const { deps } = setup({ startSignIn: async () => Promise.reject(failure) });
  await expect(startSignIn(deps, request('g@example.com', 'email'))).rejects.toBe(failure);
});
