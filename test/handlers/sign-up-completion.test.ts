import { AdminUpdateUserAttributesCommand, CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { localStateTable } from './support/local-state-table';
import { mockedSdkClient } from './support/mocked-sdk-client';
import { identifierKey } from '../../lambda/core/otp-code';
import type { Identity } from '../../lambda/core/sign-in-code';
import { signUpCompletion } from '../../lambda/core/sign-up-completion';

const POOL = 'us-east-1_TestPool';
const EXPIRES = Math.ceil(Date.UTC(2026, 10, 23) / 1000);

const { store } = localStateTable();
const cognito = mockedSdkClient(CognitoIdentityProviderClient);
let count = 0;

beforeEach(() => {
  cognito.on(AdminUpdateUserAttributesCommand).resolves({});
});

/** A user whose sign-up of `attribute` is marked in the table. */
async function markedUser(attributes: Record<string, string>, attribute: 'email' | 'phone_number' = 'email'): Promise<Identity> {
  const who: Identity = { userPoolId: POOL, userName: `signed-up-${++count}`, userNotFound: false, attributes };
  await store.markSignUp(identifierKey(POOL, who.userName), attribute, EXPIRES);
  expect((await store.load(identifierKey(POOL, who.userName))).pendingSignUp).toBe(attribute);
  return who;
}

const pendingOf = async (who: Identity) => (await store.load(identifierKey(who.userPoolId, who.userName))).pendingSignUp;

test('writes the email and email_verified=true with AdminUpdateUserAttributes, then clears the marker', async () => {
  const who = await markedUser({ email: 'new@example.com', email_verified: 'false' });
  await signUpCompletion(store.clearSignUp)(who, 'email');

  const calls = cognito.commandCalls(AdminUpdateUserAttributesCommand);
  expect(calls).toHaveLength(1);
  expect(calls[0].args[0].input).toEqual({
    UserPoolId: POOL,
    Username: who.userName,
    UserAttributes: [{ Name: 'email', Value: 'new@example.com' }, { Name: 'email_verified', Value: 'true' }],
  });
  expect(await pendingOf(who)).toBeUndefined();
});

test('writes phone_number and phone_number_verified=true for a phone sign-up', async () => {
  const who = await markedUser({ phone_number: '+14155550100', phone_number_verified: 'false' }, 'phone_number');
  await signUpCompletion(store.clearSignUp)(who, 'phone_number');
  expect(cognito.commandCalls(AdminUpdateUserAttributesCommand)[0].args[0].input.UserAttributes).toEqual([
    { Name: 'phone_number', Value: '+14155550100' },
    { Name: 'phone_number_verified', Value: 'true' },
  ]);
  expect(await pendingOf(who)).toBeUndefined();
});

test('writes to the pool of the user, whichever pool that is', async () => {
  const complete = signUpCompletion(store.clearSignUp);
  const other: Identity = { userPoolId: 'eu-west-1_Other', userName: `elsewhere-${++count}`, userNotFound: false, attributes: { email: 'x@example.com' } };
  await store.markSignUp(identifierKey(other.userPoolId, other.userName), 'email', EXPIRES);
  await complete(await markedUser({ email: 'y@example.com' }), 'email');
  await complete(other, 'email');
  expect(cognito.commandCalls(AdminUpdateUserAttributesCommand).map((call) => call.args[0].input.UserPoolId)).toEqual([POOL, 'eu-west-1_Other']);
  expect(await pendingOf(other)).toBeUndefined();
});

test('when something is already verified, it only clears the marker', async () => {
  const who = await markedUser({ email: 'unproven@example.com', email_verified: 'false', phone_number: '+14155550100', phone_number_verified: 'true' });
  await signUpCompletion(store.clearSignUp)(who, 'email');
  expect(cognito.commandCalls(AdminUpdateUserAttributesCommand)).toHaveLength(0);
  expect(await pendingOf(who)).toBeUndefined();
});

test('when the attribute is already verified, it only clears the marker', async () => {
  const who = await markedUser({ email: 'done@example.com', email_verified: 'true' });
  await signUpCompletion(store.clearSignUp)(who, 'email');
  expect(cognito.commandCalls(AdminUpdateUserAttributesCommand)).toHaveLength(0);
  expect(await pendingOf(who)).toBeUndefined();
});

test('when the user has no value for the attribute, it only clears the marker', async () => {
  const who = await markedUser({ phone_number: '+14155550100', phone_number_verified: 'false' });
  await signUpCompletion(store.clearSignUp)(who, 'email');
  expect(cognito.commandCalls(AdminUpdateUserAttributesCommand)).toHaveLength(0);
  expect(await pendingOf(who)).toBeUndefined();
});

test('a Cognito failure propagates and leaves the marker, so a later sign-in completes it', async () => {
  cognito.on(AdminUpdateUserAttributesCommand).rejectsOnce(Object.assign(new Error('throttled'), { name: 'TooManyRequestsException' }));
  const who = await markedUser({ email: 'retry@example.com', email_verified: 'false' });
  const complete = signUpCompletion(store.clearSignUp);
  await expect(complete(who, 'email')).rejects.toThrow('throttled');
  expect(await pendingOf(who)).toBe('email');
  await complete(who, 'email');
  expect(await pendingOf(who)).toBeUndefined();
});

test('clearing an item without a marker is harmless', async () => {
  const who: Identity = { userPoolId: POOL, userName: `never-marked-${++count}`, userNotFound: false, attributes: { email: 'z@example.com', email_verified: 'true' } };
  await expect(signUpCompletion(store.clearSignUp)(who, 'email')).resolves.toBeUndefined();
  expect(await store.load(identifierKey(POOL, who.userName))).toEqual({ version: 0, sends: [], failures: [] });
});
