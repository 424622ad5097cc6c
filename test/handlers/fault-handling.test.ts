import { localStateTable } from './support/local-state-table';
import { recordingSignInCodeDeps } from './support/sign-in-code-deps';
import { DeliveryError } from '../../lambda/core/delivery';
import { createLogger } from '../../lambda/core/log';
import { identifierKey } from '../../lambda/core/otp-code';
import { checkSignInCode, type Identity, requestSignInCode } from '../../lambda/core/sign-in-code';
import type { CodeStore } from '../../lambda/core/state-store';
import { SIGN_IN_UNAVAILABLE, triggerFailure } from '../../lambda/core/trigger-failure';

const POOL = 'us-east-1_Faults';
const table = localStateTable();
let count = 0;

function user(): Identity {
  count += 1;
  return { userPoolId: POOL, userName: `fault-user-${count}`, userNotFound: false, attributes: { email: `f${count}@example.com`, email_verified: 'true' } };
}

/** The store, with each operation's calls counted and the named ones failing as DynamoDB would when throttled. */
function faultyStore(failing: Partial<Record<keyof CodeStore, number>> = {}) {
  const calls: Partial<Record<keyof CodeStore, number>> = {};
  const left = { ...failing };
  const store = Object.fromEntries(Object.entries(table.store).map(([name, operation]) => [name, async (...args: unknown[]) => {
    const op = name as keyof CodeStore;
    calls[op] = (calls[op] ?? 0) + 1;
    if ((left[op] ?? 0) > 0) {
      left[op]! -= 1;
      throw Object.assign(new Error('Rate exceeded for table passwordless-state (person@example.com)'), { name: 'ThrottlingException' });
    }
    return (operation as (...a: unknown[]) => Promise<unknown>)(...args);
  }])) as unknown as CodeStore;
  return { store, calls };
}

const stored = async (who: Identity) => table.item(identifierKey(POOL, who.userName));
const wrongFor = (code: string) => (code === '000000' ? '000001' : '000000');

describe('counting answers', () => {
  test('a wrong answer counts its attempt and its failure in one write', async () => {
    const { store, calls } = faultyStore();
    const { deps, sent } = recordingSignInCodeDeps(store);
    const who = user();
    await requestSignInCode(deps, who, 'email-otp');

    expect(await checkSignInCode(deps, who, wrongFor(sent[0].code))).toBe(false);

    const item = await stored(who);
    expect(item?.attempts).toEqual({ N: '1' });
    expect(item?.failures?.L).toHaveLength(1);
    expect(calls).toMatchObject({ reserveAttempt: 1 });
    expect(calls.recordFailure).toBeUndefined();
  });

  test('a right answer whose consumption fails stays counted once, and the code still signs in once, clearing the failure', async () => {
    const { store } = faultyStore({ consume: 1 });
    const { deps, sent } = recordingSignInCodeDeps(store);
    const who = user();
    await requestSignInCode(deps, who, 'email-otp');

    await expect(checkSignInCode(deps, who, sent[0].code)).rejects.toMatchObject({ name: 'ThrottlingException' });
    let item = await stored(who);
    expect(item?.attempts).toEqual({ N: '1' });
    expect(item?.failures?.L).toHaveLength(1);

    expect(await checkSignInCode(deps, who, sent[0].code)).toBe(true);
    item = await stored(who);
    expect(item?.codeHash).toBeUndefined();
    expect(item?.failures?.L).toEqual([]);
    expect(await checkSignInCode(deps, who, sent[0].code)).toBe(false);
  });

  test('an answer with no code to check is one write and counts nothing: there was nothing to guess', async () => {
    const { store, calls } = faultyStore();
    const { deps } = recordingSignInCodeDeps(store);
    const who = user();

    expect(await checkSignInCode(deps, who, '123456')).toBe(false);

    expect((await stored(who))?.failures).toBeUndefined();
    expect(calls).toEqual({ reserveAttempt: 1 });
  });

  test('a reservation that fails evaluates nothing and counts nothing', async () => {
    const { store, calls } = faultyStore({ reserveAttempt: 1 });
    const { deps, sent } = recordingSignInCodeDeps(store);
    const who = user();
    await requestSignInCode(deps, who, 'email-otp');

    await expect(checkSignInCode(deps, who, sent[0].code)).rejects.toMatchObject({ name: 'ThrottlingException' });

    const item = await stored(who);
    expect(item?.attempts).toEqual({ N: '0' });
    expect(item?.failures?.L).toEqual([]);
    expect(calls.consume).toBeUndefined();
    expect(await checkSignInCode(deps, who, sent[0].code)).toBe(true);
  });
});

describe('a delivery failure whose withdrawal fails too', () => {
  test('the delivery error is thrown, not the table\'s, and the log says the code was not withdrawn', async () => {
    const { store } = faultyStore({ withdraw: 1 });
    const lines: string[] = [];
    const { deps } = recordingSignInCodeDeps(store, {
      channels: { 'email-otp': async () => { throw Object.assign(new Error('Email address is not verified: f@example.com'), { name: 'MessageRejected' }); } },
      log: createLogger('debug', (line) => lines.push(line)),
    });
    const who = user();

    await expect(requestSignInCode(deps, who, 'email-otp')).rejects.toBeInstanceOf(DeliveryError);

    const failure = lines.map((line) => JSON.parse(line)).find((line) => line.message === 'code delivery failed');
    expect(failure).toMatchObject({ level: 'error', cause: 'MessageRejected', withdrawn: false });
    expect(lines.join('\n')).not.toContain('@example.com');
  });

  test('a delivery failure whose withdrawal works logs that it was withdrawn', async () => {
    const { store } = faultyStore();
    const lines: string[] = [];
    const { deps } = recordingSignInCodeDeps(store, {
      channels: { 'email-otp': async () => { throw Object.assign(new Error('Throttled'), { name: 'TooManyRequestsException' }); } },
      log: createLogger('debug', (line) => lines.push(line)),
    });
    const who = user();

    await expect(requestSignInCode(deps, who, 'email-otp')).rejects.toBeInstanceOf(DeliveryError);

    expect(lines.map((line) => JSON.parse(line))).toContainEqual(expect.objectContaining({ message: 'code delivery failed', withdrawn: true }));
    expect((await stored(who))?.codeHash).toBeUndefined();
  });
});

describe('triggerFailure', () => {
  test('an AWS error becomes the fixed message, without its message or cause; only its name is logged', () => {
    const lines: string[] = [];
    const aws = Object.assign(new Error('User person@example.com: rate exceeded on table passwordless-state'), { name: 'ThrottlingException' });

    const failure = triggerFailure(aws, createLogger('debug', (line) => lines.push(line)));

    expect(failure.message).toBe(SIGN_IN_UNAVAILABLE);
    expect(failure.cause).toBeUndefined();
    expect(lines.map((line) => JSON.parse(line))).toEqual([{ level: 'error', message: 'verify auth challenge failed', cause: 'ThrottlingException' }]);
  });

  test('a failed delivery keeps its own fixed message, without its cause, and is not logged again', () => {
    const lines: string[] = [];
    const cause = Object.assign(new Error('Email address is not verified: person@example.com'), { name: 'MessageRejected' });

    const failure = triggerFailure(new DeliveryError('sms-otp', cause), createLogger('debug', (line) => lines.push(line)));

    expect(failure.message).toBe('Could not deliver the sms-otp code');
    expect(failure.cause).toBeUndefined();
    expect(lines).toEqual([]);
  });
});
