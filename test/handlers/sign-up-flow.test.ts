import { AdminUpdateUserAttributesCommand, CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { mockClient } from 'aws-sdk-client-mock';
import { TestUser } from './support/custom-auth-session';
import { LINK_LIMITS, MagicLinkFlow, POOL } from './support/magic-link-flow';
import { recordingSignInCodeDeps } from './support/sign-in-code-deps';
import { createLogger } from '../../lambda/core/log';
import { redeemMagicLink } from '../../lambda/core/magic-link-redemption';
import { identifierKey } from '../../lambda/core/otp-code';
import { checkSignInCode, Identity, requestSignInCode, SignUpCompletion } from '../../lambda/core/sign-in-code';
import { ensureUser } from '../../lambda/core/sign-up';

/**
 * Auto sign-up in the verify trigger: the real define/create/verify handlers with AUTO_SIGN_UP=true,
 * over dynalite; Cognito's AdminUpdateUserAttributes (the completion) is mocked.
 */
const flow = new MagicLinkFlow({ AUTO_SIGN_UP: 'true' });
const cognito = mockClient(CognitoIdentityProviderClient);
const CODE_CHALLENGE = { kind: 'challenge', parameters: { challenge: 'CODE', codeLength: '6' } };
let count = 0;

beforeEach(() => {
  cognito.reset();
  cognito.on(AdminUpdateUserAttributesCommand).resolves({});
});

/** POST /sign-in's sign-up step for a new address: the user as the triggers then see it (email unverified). */
async function signUp(attribute: 'email' | 'phone_number' = 'email'): Promise<TestUser> {
  count += 1;
  const value = attribute === 'email' ? `new-${count}-${Date.now()}@example.com` : `+1415555${String(count).padStart(4, '0')}`;
  await ensureUser(flow.signUpDeps(), attribute, value, Date.now());
  return flow.testUserOf(value);
}

async function pendingOf(user: TestUser) {
  return (await flow.storedItem(user.userName))?.pendingSignUp?.S;
}

function completions() {
  return cognito.commandCalls(AdminUpdateUserAttributesCommand).map((call) => call.args[0].input);
}

describe('codes to a pending sign-up (through the triggers)', () => {
  test('the code goes to the unverified address; the right code signs in and marks it verified once', async () => {
    const user = await signUp();
    const email = user.attributes!.email;
    const session = await flow.askForCode(user);
    expect(flow.codeEmails.map((message) => message.to)).toEqual([email]);

    expect(await session.respond(flow.lastCode())).toEqual({ kind: 'tokens' });

    expect(completions()).toEqual([{
      UserPoolId: POOL,
      Username: user.userName,
      UserAttributes: [{ Name: 'email', Value: email }, { Name: 'email_verified', Value: 'true' }],
    }]);
    expect(await pendingOf(user)).toBeUndefined();
  });

  test('a wrong code never completes the sign-up; the right one then does, once', async () => {
    const user = await signUp();
    const session = await flow.askForCode(user);
    const code = flow.lastCode();
    expect(await session.respond(code === '000000' ? '000001' : '000000')).toEqual(CODE_CHALLENGE);
    expect(completions()).toHaveLength(0);
    expect(await pendingOf(user)).toBe('email');

    expect(await session.respond(code)).toEqual({ kind: 'tokens' });
    expect(completions()).toHaveLength(1);
  });

  test('a used code neither signs in again nor completes again', async () => {
    const user = await signUp();
    const first = await flow.askForCode(user);
    const code = flow.lastCode();
    expect(await first.respond(code)).toEqual({ kind: 'tokens' });
    const second = await flow.askForCode(user);
    expect(await second.respond(code)).toEqual(CODE_CHALLENGE);
    expect(completions()).toHaveLength(1);
  });

  test('a user with something verified gets no code at an unverified email, even if marked', async () => {
    const user = await signUp();
    const withVerifiedPhone: TestUser = {
      ...user,
      attributes: { ...user.attributes, phone_number: '+14155550100', phone_number_verified: 'true' },
    };
    expect(await pendingOf(user)).toBe('email');
    const session = await flow.askForCode(withVerifiedPhone);
    expect(flow.codeEmails).toHaveLength(0);
    expect(await session.respond('123456')).toEqual(CODE_CHALLENGE);
    expect(completions()).toHaveLength(0);
  });

  test('an unverified email without a sign-up marker gets nothing, auto sign-up or not', async () => {
    const user = flow.newUser({ email_verified: 'false' });
    await flow.askForCode(user);
    expect(flow.codeEmails).toHaveLength(0);
  });

  test('asking for a code keeps the marker in the item it rewrites', async () => {
    const user = await signUp();
    await flow.askForCode(user);
    const item = await flow.storedItem(user.userName);
    expect(item?.codeHash).toBeDefined();
    expect(item?.pendingSignUp).toEqual({ S: 'email' });
  });
});

describe('a magic link to a pending sign-up', () => {
  test('is sent to the new address, redeems once, and completes the sign-up once', async () => {
    const email = `linked-${++count}@example.com`;
    expect(await flow.requestLink(email, { signUp: flow.signUpDeps() })).toEqual({ kind: 'accepted' });
    expect(flow.linkEmails.map((message) => message.to)).toEqual([email]);
    const user = flow.testUserOf(email);
    expect(user.attributes).toEqual({ email, email_verified: 'false' });
    const token = flow.lastToken();

    expect(await flow.redeem(user, token)).toEqual({ kind: 'tokens' });
    expect(completions()).toEqual([{
      UserPoolId: POOL,
      Username: user.userName,
      UserAttributes: [{ Name: 'email', Value: email }, { Name: 'email_verified', Value: 'true' }],
    }]);
    expect(await pendingOf(user)).toBeUndefined();

    expect(await flow.redeem(user, token)).toEqual({ kind: 'failed' });
    expect(completions()).toHaveLength(1);
  });

  test('is refused for a user who has verified something else since, and completes nothing', async () => {
    const email = `linked-${++count}@example.com`;
    await flow.requestLink(email, { signUp: flow.signUpDeps() });
    const user = flow.testUserOf(email);
    const changed: TestUser = { ...user, attributes: { ...user.attributes, phone_number: '+14155550100', phone_number_verified: 'true' } };
    expect(await flow.redeem(changed, flow.lastToken())).toEqual({ kind: 'failed' });
    expect(completions()).toHaveLength(0);
  });
});

describe('the sign-in code core with completeSignUp', () => {
  const codeDeps = (completeSignUp?: SignUpCompletion) =>
    recordingSignInCodeDeps(flow.store, { log: createLogger('debug', (line) => flow.logLines.push(line)), completeSignUp });

  function identity(user: TestUser): Identity {
    return { userPoolId: POOL, userName: user.userName, userNotFound: false, attributes: user.attributes ?? {} };
  }

  test('a right code for a pending phone sign-up calls completeSignUp once with phone_number', async () => {
    const completeSignUp = jest.fn(async () => undefined);
    const { deps, sent } = codeDeps(completeSignUp);
    const who = identity(await signUp('phone_number'));
    expect(await requestSignInCode(deps, who, 'sms-otp')).toBe('sent');
    expect(sent.map((s) => s.to)).toEqual([who.attributes.phone_number]);

    expect(await checkSignInCode(deps, who, sent[0].code)).toBe(true);
    expect(completeSignUp).toHaveBeenCalledTimes(1);
    expect(completeSignUp).toHaveBeenCalledWith(who, 'phone_number');
  });

  test('wrong codes never call completeSignUp', async () => {
    const completeSignUp = jest.fn(async () => undefined);
    const { deps, sent } = codeDeps(completeSignUp);
    const who = identity(await signUp());
    await requestSignInCode(deps, who, 'email-otp');
    const wrong = sent[0].code === '999999' ? '999998' : '999999';
    for (let i = 0; i < 3; i++) expect(await checkSignInCode(deps, who, wrong)).toBe(false);
    expect(await checkSignInCode(deps, who, sent[0].code)).toBe(false); // over the attempt limit
    expect(completeSignUp).not.toHaveBeenCalled();
  });

  test('20 concurrent right answers complete the sign-up exactly once', async () => {
    const completeSignUp = jest.fn(async () => undefined);
    const { deps, sent } = codeDeps(completeSignUp);
    const who = identity(await signUp());
    await requestSignInCode(deps, who, 'email-otp');
    const results = await Promise.all(Array.from({ length: 20 }, () => checkSignInCode(deps, who, sent[0].code)));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(completeSignUp).toHaveBeenCalledTimes(1);
  });

  test('a right code of a user without a marker calls nothing', async () => {
    const completeSignUp = jest.fn(async () => undefined);
    const { deps, sent } = codeDeps(completeSignUp);
    const user = flow.newUser();
    const who = identity(user);
    await requestSignInCode(deps, who, 'email-otp');
    expect(await checkSignInCode(deps, who, sent[0].code)).toBe(true);
    expect(completeSignUp).not.toHaveBeenCalled();
  });

  test('a failed completion fails the answer, and the marker stays for the next sign-in', async () => {
    const completeSignUp = jest.fn(async () => {
      throw Object.assign(new Error('throttled'), { name: 'TooManyRequestsException' });
    });
    const { deps, sent } = codeDeps(completeSignUp);
    const user = await signUp();
    const who = identity(user);
    await requestSignInCode(deps, who, 'email-otp');
    await expect(checkSignInCode(deps, who, sent[0].code)).rejects.toThrow('throttled');
    expect(await pendingOf(user)).toBe('email');
  });
});

describe('without completeSignUp (auto sign-up off) the marker is ignored', () => {
  const deps = () => recordingSignInCodeDeps(flow.store).deps;

  test('no code goes to the unverified address, and the marker stays in the item', async () => {
    const user = await signUp();
    const who = { userPoolId: POOL, userName: user.userName, userNotFound: false, attributes: user.attributes! };
    expect(await requestSignInCode(deps(), who, 'email-otp')).toBe('undeliverable');
    expect(await pendingOf(user)).toBe('email');
  });

  test('a link to the unverified address is refused', async () => {
    const email = `linked-${++count}@example.com`;
    await flow.requestLink(email, { signUp: flow.signUpDeps() });
    const user = flow.testUserOf(email);
    const redeemed = await redeemMagicLink({
      store: flow.store,
      limits: LINK_LIMITS,
      verifySignature: async () => true,
      log: createLogger('debug', () => undefined),
      now: () => Date.now(),
    }, { userPoolId: POOL, userName: user.userName, userNotFound: false, attributes: user.attributes! }, flow.lastToken());
    expect(redeemed).toBe(false);
    expect(await pendingOf(user)).toBe('email');
  });
});

test('the marker lives in the sign-in item of the user, keyed like its codes', async () => {
  const user = await signUp();
  const state = await flow.store.load(identifierKey(POOL, user.userName));
  expect(state.pendingSignUp).toBe('email');
});
