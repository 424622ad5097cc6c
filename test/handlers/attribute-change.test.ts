import { DEFAULT_CODE_LIMITS as LIMITS } from './support/default-code-limits';
import { FakeUserDirectory } from './support/fake-user-directory';
import { localStateTable } from './support/local-state-table';
import { recordingSignInCodeDeps } from './support/sign-in-code-deps';
import { freshSourceIp } from './support/source-ips';
import { AttributeChangeDeps, AttributeRequest, startAttributeChange, verifyAttributeChange } from '../../lambda/core/attribute-change';
import { DeliveryError } from '../../lambda/core/delivery';
import { createLogger } from '../../lambda/core/log';
import { identifierKey } from '../../lambda/core/otp-code';
import type { CodeMethod } from '../../lambda/core/protocol';
import { checkSignInCode, Identity, requestSignInCode } from '../../lambda/core/sign-in-code';

const POOL = 'us-east-1_TestPool';

const { store } = localStateTable();
let clock = Date.UTC(2026, 10, 22, 12, 0, 0);
let count = 0;

afterEach(() => {
  clock += 24 * 3_600_000;
});

interface Sent { readonly method: CodeMethod; readonly to: string; readonly code: string }

/** Deps over an in-memory Cognito (every call a spy) and recording channels, around the real state store on dynalite. */
function setup(overrides: Partial<AttributeChangeDeps> = {}) {
  const pool = new FakeUserDirectory();
  const sent: Sent[] = [];
  const logLines: string[] = [];
  const channel = (method: CodeMethod) => async (to: string, code: string) => void sent.push({ method, to, code });
  const deps: AttributeChangeDeps = {
    userPoolId: POOL,
    store,
    channels: { 'email-otp': channel('email-otp'), 'sms-otp': channel('sms-otp') },
    limits: LIMITS,
    allowedCountryCodes: ['1', '44'],
    maxRequestsPerIpPerMinute: 100,
    userOfToken: pool.userOfToken,
    findUser: pool.findUser,
    writeAttributes: pool.writeAttributes,
    deleteUser: pool.deleteUser,
    log: createLogger('debug', (line) => logLines.push(line)),
    now: () => clock,
    ...overrides,
  };
  /** A user of the pool with these attributes (by default a verified email) and an access token. */
  const signedIn = (attributes: Record<string, string> = { email: `old-${++count}@example.com`, email_verified: 'true' }) => {
    const user = pool.add(attributes);
    return { ...user, token: pool.signIn(user) };
  };
  const addUser = (attributes: Record<string, string>) => pool.add(attributes);
  const { users, calls, userOfToken, writeAttributes, deleteUser } = pool;
  return { deps, sent, logLines, users, calls, userOfToken, writeAttributes, deleteUser, addUser, signedIn };
}

type Fields = Omit<AttributeRequest, 'accessToken' | 'sourceIp'>;
const start = (deps: AttributeChangeDeps, accessToken: string | undefined, fields: Fields) =>
  startAttributeChange(deps, { accessToken, sourceIp: freshSourceIp(), ...fields });
const verify = (deps: AttributeChangeDeps, accessToken: string | undefined, fields: Fields) =>
  verifyAttributeChange(deps, { accessToken, sourceIp: freshSourceIp(), ...fields });

const changeKey = (username: string) => identifierKey(POOL, `attribute-change\n${username}`);
const otherCode = (code: string) => (code === '000000' ? '000001' : '000000');

describe('starting a change', () => {
  test('sends a code only to the new email address, by email, and writes nothing to the pool', async () => {
    const t = setup();
    const user = t.signedIn();
    expect(await start(t.deps, user.token, { email: '  New.Address@Example.com ' })).toEqual({ kind: 'code-sent', attribute: 'email' });
    expect(t.sent).toEqual([{ method: 'email-otp', to: 'new.address@example.com', code: expect.stringMatching(/^[0-9]{6}$/) }]);
    expect(t.writeAttributes).not.toHaveBeenCalled();
    expect(t.users.get(user.username)!.attributes).toEqual(user.attributes);
  });

  test('sends a code for a new phone number by SMS, to the number in E.164', async () => {
    const t = setup();
    const user = t.signedIn();
    expect(await start(t.deps, user.token, { phoneNumber: '+44 7700 900-123' })).toEqual({ kind: 'code-sent', attribute: 'phone_number' });
    expect(t.sent).toEqual([{ method: 'sms-otp', to: '+447700900123', code: expect.stringMatching(/^[0-9]{6}$/) }]);
    expect(t.writeAttributes).not.toHaveBeenCalled();
  });

  test('names only are written at once, trimmed, and no code is sent', async () => {
    const t = setup();
    const user = t.signedIn();
    expect(await start(t.deps, user.token, { givenName: ' Ada ', familyName: 'Lovelace' })).toEqual({ kind: 'updated' });
    expect(t.writeAttributes).toHaveBeenCalledTimes(1);
    expect(t.writeAttributes).toHaveBeenCalledWith(user.username, { given_name: 'Ada', family_name: 'Lovelace' });
    expect(t.sent).toHaveLength(0);
  });

  test('names with a new email: the names are written, the email only gets a code', async () => {
    const t = setup();
    const user = t.signedIn();
    expect(await start(t.deps, user.token, { email: 'next@example.com', familyName: 'Byron' })).toEqual({ kind: 'code-sent', attribute: 'email' });
    expect(t.writeAttributes).toHaveBeenCalledWith(user.username, { family_name: 'Byron' });
    expect(t.sent.map((s) => s.to)).toEqual(['next@example.com']);
  });

  test('without an access token: unauthorized, and nothing is looked up, sent or written', async () => {
    const t = setup();
    expect(await start(t.deps, undefined, { email: 'new@example.com', givenName: 'Eve' })).toEqual({ kind: 'unauthorized' });
    expect(t.userOfToken).not.toHaveBeenCalled();
    expect(t.sent).toHaveLength(0);
    expect(t.writeAttributes).not.toHaveBeenCalled();
  });

  test('with a token Cognito does not accept: unauthorized, and nothing is sent or written', async () => {
    const t = setup();
    t.signedIn();
    expect(await start(t.deps, 'revoked-or-forged', { email: 'new@example.com', givenName: 'Eve' })).toEqual({ kind: 'unauthorized' });
    expect(t.userOfToken).toHaveBeenCalledWith('revoked-or-forged');
    expect(t.sent).toHaveLength(0);
    expect(t.writeAttributes).not.toHaveBeenCalled();
  });

  test.each<[string, Fields, string]>([
    ['nothing to change', {}, 'send email, phoneNumber, givenName or familyName'],
    ['both an email and a phone number', { email: 'a@example.com', phoneNumber: '+14155550100' }, 'send either email or phoneNumber, not both'],
    ['an email that is not a string', { email: ['a@example.com'] }, 'email must be a string'],
    ['a phone number that is not a string', { phoneNumber: 14155550100 }, 'phoneNumber must be a string'],
    ['two email addresses', { email: 'a@example.com, b@example.com' }, 'email must be printable ASCII without spaces or line breaks (write an international domain in punycode)'],
    ['a number outside the allow-list', { phoneNumber: '+33612345678' }, 'phone number must have one of the allowed country calling codes'],
    ['an empty given name', { givenName: '   ' }, 'givenName must be 1 to 256 characters without control characters'],
    ['a family name with a line break', { familyName: 'Smith\nBcc: x' }, 'familyName must be 1 to 256 characters without control characters'],
    ['a given name too long', { givenName: 'a'.repeat(257) }, 'givenName must be 1 to 256 characters without control characters'],
    ['a given name that is not a string', { givenName: { first: 'Ada' } }, 'givenName must be a string'],
  ])('%s is invalid, before the token is even checked', async (_, fields, message) => {
    const t = setup();
    const user = t.signedIn();
    expect(await start(t.deps, user.token, fields)).toEqual({ kind: 'invalid', message });
    expect(t.userOfToken).not.toHaveBeenCalled();
    expect(t.sent).toHaveLength(0);
    expect(t.writeAttributes).not.toHaveBeenCalled();
  });

  test('a value that is already verified on the account is refused and nothing is sent', async () => {
    const t = setup();
    const user = t.signedIn({ email: 'same@example.com', email_verified: 'true' });
    expect(await start(t.deps, user.token, { email: 'same@example.com' })).toEqual({
      kind: 'invalid', message: 'this email address is already verified on your account',
    });
    expect(t.sent).toHaveLength(0);
  });

  test('the current but unverified value may be verified', async () => {
    const t = setup();
    const user = t.signedIn({ email: 'unproven@example.com', email_verified: 'false', phone_number: '+14155550100', phone_number_verified: 'true' });
    expect(await start(t.deps, user.token, { email: 'unproven@example.com' })).toEqual({ kind: 'code-sent', attribute: 'email' });
  });

  test('within the send cooldown: too-many-requests, and nothing more is sent; after it, a new code goes', async () => {
    const t = setup();
    const user = t.signedIn();
    await start(t.deps, user.token, { email: 'a@example.com' });
    expect(await start(t.deps, user.token, { email: 'b@example.com' })).toEqual({
      kind: 'too-many-requests', message: 'A code was sent recently or too many codes were asked for; try again later.',
    });
    expect(t.sent.map((s) => s.to)).toEqual(['a@example.com']);
    clock += 61_000;
    expect(await start(t.deps, user.token, { email: 'b@example.com' })).toEqual({ kind: 'code-sent', attribute: 'email' });
    expect(t.sent.map((s) => s.to)).toEqual(['a@example.com', 'b@example.com']);
  });

  test('names are not written when the code is refused by the cooldown', async () => {
    const t = setup();
    const user = t.signedIn();
    await start(t.deps, user.token, { email: 'a@example.com' });
    expect((await start(t.deps, user.token, { email: 'b@example.com', givenName: 'Ada' })).kind).toBe('too-many-requests');
    expect(t.writeAttributes).not.toHaveBeenCalled();
  });

  test('the per-network limit refuses the request over it', async () => {
    const t = setup({ maxRequestsPerIpPerMinute: 2 });
    const user = t.signedIn();
    const fromOneAddress = (fields: Fields) => startAttributeChange(t.deps, { accessToken: user.token, sourceIp: '203.0.113.20', ...fields });
    await fromOneAddress({ givenName: 'A' });
    await fromOneAddress({ givenName: 'B' });
    expect(await fromOneAddress({ givenName: 'C' })).toEqual({
      kind: 'too-many-requests', message: 'Too many requests from this address; try again in a minute.',
    });
    expect(t.writeAttributes).toHaveBeenCalledTimes(2);
  });

  test('a phone number when the SMS channel is absent is invalid', async () => {
    const t = setup();
    const deps = { ...t.deps, channels: { 'email-otp': t.deps.channels['email-otp'] } };
    const user = t.signedIn();
    expect(await start(deps, user.token, { phoneNumber: '+14155550100' })).toEqual({ kind: 'invalid', message: 'phone numbers are not enabled' });
    expect(t.sent).toHaveLength(0);
  });

  test('a concurrent request that changed the item first: too-many-requests, and nothing is sent', async () => {
    const t = setup();
    const deps = { ...t.deps, store: { ...store, save: async () => false } };
    const user = t.signedIn();
    expect(await start(deps, user.token, { email: 'busy@example.com' })).toEqual({
      kind: 'too-many-requests', message: 'Another request for your account is in progress; try again.',
    });
    expect(t.sent).toHaveLength(0);
  });

  test('a failed delivery throws a DeliveryError and withdraws the code: the sent code never verifies', async () => {
    const t = setup();
    let delivered = '';
    const deps = {
      ...t.deps,
      channels: {
        ...t.deps.channels,
        'email-otp': async (_to: string, code: string) => {
          delivered = code;
          throw Object.assign(new Error('Email address is not verified'), { name: 'MessageRejected' });
        },
      },
    };
    const user = t.signedIn();
    await expect(start(deps, user.token, { email: 'bounce@example.com', givenName: 'Ada' })).rejects.toBeInstanceOf(DeliveryError);
    expect(delivered).toMatch(/^[0-9]{6}$/);
    expect(t.writeAttributes).not.toHaveBeenCalled();
    const state = await store.load(changeKey(user.username));
    expect(state.code).toBeUndefined();
    expect(state.sends).toEqual([]);

    expect(await verify(t.deps, user.token, { email: 'bounce@example.com', code: delivered })).toEqual({ kind: 'wrong-code', attribute: 'email' });
    expect(t.writeAttributes).not.toHaveBeenCalled();
  });

  test('after a failed delivery a retry may send at once', async () => {
    const t = setup();
    let fail = true;
    const deps = {
      ...t.deps,
      channels: {
        ...t.deps.channels,
        'email-otp': async (to: string, code: string) => {
          if (fail) throw new Error('down');
          t.sent.push({ method: 'email-otp', to, code });
        },
      },
    };
    const user = t.signedIn();
    await expect(start(deps, user.token, { email: 'retry@example.com' })).rejects.toThrow('Could not deliver the email-otp code');
    fail = false;
    expect(await start(deps, user.token, { email: 'retry@example.com' })).toEqual({ kind: 'code-sent', attribute: 'email' });
    expect(await verify(deps, user.token, { email: 'retry@example.com', code: t.sent[0].code })).toEqual({ kind: 'verified', attribute: 'email' });
  });

  test('the change has its own item: a pending sign-in code of the user stays valid', async () => {
    const t = setup();
    const user = t.signedIn();
    const signIn = signInDeps();
    const who = identity(user);
    expect(await requestSignInCode(signIn.deps, who, 'email-otp')).toBe('sent');
    await start(t.deps, user.token, { email: 'other@example.com' });
    expect(await checkSignInCode(signIn.deps, who, signIn.sent[0].code)).toBe(true);
  });
});

describe('verifying a change', () => {
  test('the right code writes the value and verified=true', async () => {
    const t = setup();
    const user = t.signedIn();
    await start(t.deps, user.token, { email: 'new@example.com' });
    expect(await verify(t.deps, user.token, { email: 'new@example.com', code: t.sent[0].code })).toEqual({ kind: 'verified', attribute: 'email' });
    expect(t.writeAttributes).toHaveBeenCalledTimes(1);
    expect(t.writeAttributes).toHaveBeenCalledWith(user.username, { email: 'new@example.com', email_verified: 'true' });
  });

  test('a phone number is written as phone_number with phone_number_verified=true', async () => {
    const t = setup();
    const user = t.signedIn();
    await start(t.deps, user.token, { phoneNumber: '+1 415 555 0199' });
    expect(await verify(t.deps, user.token, { phoneNumber: '+1 (415) 555-0199', code: t.sent[0].code })).toEqual({ kind: 'verified', attribute: 'phone_number' });
    expect(t.writeAttributes).toHaveBeenCalledWith(user.username, { phone_number: '+14155550199', phone_number_verified: 'true' });
  });

  test('a wrong code is wrong-code, writes nothing, and is counted', async () => {
    const t = setup();
    const user = t.signedIn();
    await start(t.deps, user.token, { email: 'new@example.com' });
    expect(await verify(t.deps, user.token, { email: 'new@example.com', code: otherCode(t.sent[0].code) })).toEqual({ kind: 'wrong-code', attribute: 'email' });
    expect(t.writeAttributes).not.toHaveBeenCalled();
    const state = await store.load(changeKey(user.username));
    expect(state.code?.attempts).toBe(1);
    expect(state.failures).toEqual([clock]);
  });

  test('after the attempt limit even the right code fails', async () => {
    const t = setup();
    const user = t.signedIn();
    await start(t.deps, user.token, { email: 'new@example.com' });
    const code = t.sent[0].code;
    for (let i = 0; i < LIMITS.maxAttempts; i++) await verify(t.deps, user.token, { email: 'new@example.com', code: otherCode(code) });
    expect(await verify(t.deps, user.token, { email: 'new@example.com', code })).toEqual({ kind: 'wrong-code', attribute: 'email' });
    expect(t.writeAttributes).not.toHaveBeenCalled();
  });

  test('the code is bound to the value: the same code with another value fails, with its own value it works', async () => {
    const t = setup();
    const user = t.signedIn();
    await start(t.deps, user.token, { email: 'mine@example.com' });
    const code = t.sent[0].code;
    expect(await verify(t.deps, user.token, { email: 'attacker@example.com', code })).toEqual({ kind: 'wrong-code', attribute: 'email' });
    expect(t.writeAttributes).not.toHaveBeenCalled();
    expect(await verify(t.deps, user.token, { email: 'mine@example.com', code })).toEqual({ kind: 'verified', attribute: 'email' });
  });

  test('the code is bound to the user: another signed-in user cannot use it', async () => {
    const t = setup();
    const owner = t.signedIn();
    const other = t.signedIn();
    await start(t.deps, owner.token, { email: 'shared@example.com' });
    expect(await verify(t.deps, other.token, { email: 'shared@example.com', code: t.sent[0].code })).toEqual({ kind: 'wrong-code', attribute: 'email' });
    expect(t.writeAttributes).not.toHaveBeenCalled();
  });

  test('a sign-in code from the sign-in item cannot verify an attribute', async () => {
    const t = setup();
    const user = t.signedIn();
    const signIn = signInDeps();
    await requestSignInCode(signIn.deps, identity(user), 'email-otp');
    const signInCode = signIn.sent[0].code;
    expect(await verify(t.deps, user.token, { email: user.attributes.email, code: signInCode })).toEqual({ kind: 'wrong-code', attribute: 'email' });
    expect(t.writeAttributes).not.toHaveBeenCalled();
  });

  test('an attribute code is not accepted by checkSignInCode, not even against the attribute item', async () => {
    const t = setup();
    const user = t.signedIn();
    await start(t.deps, user.token, { email: 'new@example.com' });
    const code = t.sent[0].code;
    const signIn = signInDeps();
    expect(await checkSignInCode(signIn.deps, identity(user), code)).toBe(false);
    // Same table item as the attribute code: only the purpose tells them apart.
    expect(await checkSignInCode(signIn.deps, { ...identity(user), userName: `attribute-change\n${user.username}` }, code)).toBe(false);
    expect(await verify(t.deps, user.token, { email: 'new@example.com', code })).toEqual({ kind: 'verified', attribute: 'email' });
  });

  test('a code works once', async () => {
    const t = setup();
    const user = t.signedIn();
    await start(t.deps, user.token, { email: 'once@example.com' });
    const request = { email: 'once@example.com', code: t.sent[0].code };
    expect(await verify(t.deps, user.token, request)).toEqual({ kind: 'verified', attribute: 'email' });
    expect(await verify(t.deps, user.token, request)).toEqual({ kind: 'wrong-code', attribute: 'email' });
    expect(t.writeAttributes).toHaveBeenCalledTimes(1);
  });

  test('10 concurrent right answers verify once', async () => {
    const t = setup();
    const user = t.signedIn();
    await start(t.deps, user.token, { email: 'race@example.com' });
    const results = await Promise.all(Array.from({ length: 10 }, () => verify(t.deps, user.token, { email: 'race@example.com', code: t.sent[0].code })));
    expect(results.filter((r) => r.kind === 'verified')).toHaveLength(1);
    expect(t.writeAttributes).toHaveBeenCalledTimes(1);
  });

  test('an expired code fails', async () => {
    const t = setup();
    const user = t.signedIn();
    await start(t.deps, user.token, { email: 'late@example.com' });
    clock += LIMITS.codeTtlMs;
    expect(await verify(t.deps, user.token, { email: 'late@example.com', code: t.sent[0].code })).toEqual({ kind: 'wrong-code', attribute: 'email' });
  });

  test('a newer code voids the older one', async () => {
    const t = setup();
    const user = t.signedIn();
    await start(t.deps, user.token, { email: 'first@example.com' });
    clock += 61_000;
    await start(t.deps, user.token, { email: 'second@example.com' });
    const [older, newer] = t.sent.map((s) => s.code);
    if (older !== newer) {
      expect(await verify(t.deps, user.token, { email: 'first@example.com', code: older })).toEqual({ kind: 'wrong-code', attribute: 'email' });
    }
    expect(await verify(t.deps, user.token, { email: 'second@example.com', code: newer })).toEqual({ kind: 'verified', attribute: 'email' });
  });

  test('a value another user has verified is taken: nothing is written or deleted', async () => {
    const t = setup();
    const holder = t.addUser({ email: 'held@example.com', email_verified: 'true' });
    const user = t.signedIn();
    await start(t.deps, user.token, { email: 'held@example.com' });
    expect(await verify(t.deps, user.token, { email: 'held@example.com', code: t.sent[0].code })).toEqual({ kind: 'taken', attribute: 'email' });
    expect(t.writeAttributes).not.toHaveBeenCalled();
    expect(t.deleteUser).not.toHaveBeenCalled();
    expect(t.users.has(holder.username)).toBe(true);
  });

  test('a holder that is an unfinished auto sign-up is deleted, then the value is written', async () => {
    const t = setup();
    const holder = t.addUser({ email: 'abandoned@example.com', email_verified: 'false' });
    await store.markSignUp(identifierKey(POOL, holder.username), 'email', Math.ceil(clock / 1000) + 86_400);
    const user = t.signedIn();
    await start(t.deps, user.token, { email: 'abandoned@example.com' });
    expect(await verify(t.deps, user.token, { email: 'abandoned@example.com', code: t.sent[0].code })).toEqual({ kind: 'verified', attribute: 'email' });
    expect(t.calls).toEqual([`delete ${holder.username}`, `write ${user.username}`]);
    expect(t.users.has(holder.username)).toBe(false);
  });

  test('a holder with the value unverified but no sign-up marker is not deleted: taken', async () => {
    const t = setup();
    const holder = t.addUser({ email: 'unmarked@example.com', email_verified: 'false' });
    const user = t.signedIn();
    await start(t.deps, user.token, { email: 'unmarked@example.com' });
    expect(await verify(t.deps, user.token, { email: 'unmarked@example.com', code: t.sent[0].code })).toEqual({ kind: 'taken', attribute: 'email' });
    expect(t.deleteUser).not.toHaveBeenCalled();
    expect(t.users.has(holder.username)).toBe(true);
  });

  test('a marked holder that has verified something is not deleted: taken', async () => {
    const t = setup();
    const holder = t.addUser({ email: 'half@example.com', email_verified: 'false', phone_number: '+14155550111', phone_number_verified: 'true' });
    await store.markSignUp(identifierKey(POOL, holder.username), 'email', Math.ceil(clock / 1000) + 86_400);
    const user = t.signedIn();
    await start(t.deps, user.token, { email: 'half@example.com' });
    expect(await verify(t.deps, user.token, { email: 'half@example.com', code: t.sent[0].code })).toEqual({ kind: 'taken', attribute: 'email' });
    expect(t.deleteUser).not.toHaveBeenCalled();
  });

  test('the user itself holding the value unverified is no conflict', async () => {
    const t = setup();
    const user = t.signedIn({ email: 'mine@example.com', email_verified: 'false', phone_number: '+14155550122', phone_number_verified: 'true' });
    await start(t.deps, user.token, { email: 'mine@example.com' });
    expect(await verify(t.deps, user.token, { email: 'mine@example.com', code: t.sent[0].code })).toEqual({ kind: 'verified', attribute: 'email' });
    expect(t.deleteUser).not.toHaveBeenCalled();
  });

  test('AliasExistsException from the write is taken', async () => {
    const t = setup({
      writeAttributes: async () => {
        throw Object.assign(new Error('An account with the email already exists.'), { name: 'AliasExistsException' });
      },
    });
    const user = t.signedIn();
    await start(t.deps, user.token, { email: 'alias@example.com' });
    expect(await verify(t.deps, user.token, { email: 'alias@example.com', code: t.sent[0].code })).toEqual({ kind: 'taken', attribute: 'email' });
  });

  test('any other write failure propagates', async () => {
    const t = setup({
      writeAttributes: async () => {
        throw Object.assign(new Error('internal'), { name: 'InternalErrorException' });
      },
    });
    const user = t.signedIn();
    await start(t.deps, user.token, { email: 'broken@example.com' });
    await expect(verify(t.deps, user.token, { email: 'broken@example.com', code: t.sent[0].code })).rejects.toThrow('internal');
  });

  test('without a valid token: unauthorized, and no attempt is spent', async () => {
    const t = setup();
    const user = t.signedIn();
    await start(t.deps, user.token, { email: 'new@example.com' });
    const code = t.sent[0].code;
    for (let i = 0; i < 5; i++) {
      expect(await verify(t.deps, undefined, { email: 'new@example.com', code })).toEqual({ kind: 'unauthorized' });
      expect(await verify(t.deps, 'bad-token', { email: 'new@example.com', code })).toEqual({ kind: 'unauthorized' });
    }
    expect(t.writeAttributes).not.toHaveBeenCalled();
    expect((await store.load(changeKey(user.username))).code?.attempts).toBe(0);
    expect(await verify(t.deps, user.token, { email: 'new@example.com', code })).toEqual({ kind: 'verified', attribute: 'email' });
  });

  test.each<[string, Fields, string]>([
    ['neither email nor phone number', { code: '123456' }, 'send the email or phoneNumber being verified'],
    ['both', { email: 'a@example.com', phoneNumber: '+14155550100', code: '123456' }, 'send either email or phoneNumber, not both'],
    ['a code that is not a string', { email: 'a@example.com', code: 123456 }, 'code must be a string'],
    ['a missing code', { email: 'a@example.com' }, 'code must be a string'],
    ['a bad email', { email: 'not-an-address', code: '123456' }, 'email must contain exactly one @ with a local part before it'],
  ])('%s is invalid, and no attempt is spent', async (_, fields, message) => {
    const t = setup();
    const user = t.signedIn();
    expect(await verify(t.deps, user.token, fields)).toEqual({ kind: 'invalid', message });
    expect(t.userOfToken).not.toHaveBeenCalled();
    expect(await store.load(changeKey(user.username))).toEqual({ version: 0, sends: [], failures: [] });
  });

  test('the per-network limit refuses the verification over it, before any attempt is spent', async () => {
    const t = setup({ maxRequestsPerIpPerMinute: 1 });
    const user = t.signedIn();
    await start(t.deps, user.token, { email: 'limited@example.com' });
    const fromOneAddress = (code: string) => verifyAttributeChange(t.deps, {
      accessToken: user.token, sourceIp: '203.0.113.21', email: 'limited@example.com', code,
    });
    const code = t.sent[0].code;
    expect(await fromOneAddress(otherCode(code))).toEqual({ kind: 'wrong-code', attribute: 'email' });
    expect(await fromOneAddress(code)).toEqual({ kind: 'too-many-requests', message: 'Too many requests from this address; try again in a minute.' });
    expect((await store.load(changeKey(user.username))).code?.attempts).toBe(1);
    expect(t.writeAttributes).not.toHaveBeenCalled();
  });

  test('a phone number when the SMS channel is absent is invalid', async () => {
    const t = setup();
    const deps = { ...t.deps, channels: { 'email-otp': t.deps.channels['email-otp'] } };
    const user = t.signedIn();
    expect(await verify(deps, user.token, { phoneNumber: '+14155550100', code: '123456' })).toEqual({ kind: 'invalid', message: 'phone numbers are not enabled' });
  });
});

test('no log line holds a code, a token or a value, even at debug level', async () => {
  const t = setup();
  const user = t.signedIn();
  await start(t.deps, user.token, { email: 'secret-address@example.com', givenName: 'Ada' });
  const code = t.sent[0].code;
  await verify(t.deps, user.token, { email: 'secret-address@example.com', code: otherCode(code) });
  await verify(t.deps, user.token, { email: 'secret-address@example.com', code });
  expect(t.logLines.length).toBeGreaterThan(2);
  for (const line of t.logLines) {
    for (const secret of [code, otherCode(code), user.token, 'secret-address', user.attributes.email, 'Ada']) expect(line).not.toContain(secret);
  }
});

/** The sign-in code core on the same table, recording the codes it sends. */
const signInDeps = () => recordingSignInCodeDeps(store, { now: () => clock });

function identity(user: { username: string; attributes: Record<string, string> }): Identity {
  return { userPoolId: POOL, userName: user.username, userNotFound: false, attributes: user.attributes };
}

describe('counting attribute answers', () => {
  test('a wrong code counts its attempt and its failure in the one write that reserves it', async () => {
    let recorded = 0;
    const t = setup({ store: { ...store, recordFailure: async (...args) => { recorded++; return store.recordFailure(...args); } } });
    const user = t.signedIn();
    await start(t.deps, user.token, { email: 'counted@example.com' });

    expect(await verify(t.deps, user.token, { email: 'counted@example.com', code: otherCode(t.sent[0].code) })).toEqual({ kind: 'wrong-code', attribute: 'email' });

    const state = await store.load(changeKey(user.username));
    expect(state.code?.attempts).toBe(1);
    expect(state.failures).toEqual([clock]);
    expect(recorded).toBe(0);
  });

  test('a code answered with no code pending still counts a failure', async () => {
    const t = setup();
    const user = t.signedIn();

    expect(await verify(t.deps, user.token, { email: 'nothing-sent@example.com', code: '123456' })).toEqual({ kind: 'wrong-code', attribute: 'email' });

    expect((await store.load(changeKey(user.username))).failures).toEqual([clock]);
  });
});
