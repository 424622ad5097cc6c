import {
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  AdminUpdateUserAttributesCommand,
  CognitoIdentityProviderClient,
  GetUserCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { mockedSdkClient } from './support/mocked-sdk-client';
import { attributeWriter, IdentifierTakenError, signInStarter, tokenUser, userConfirmer, userCreator, userDeleter, userFinder } from '../../lambda/core/cognito-users';

const POOL = 'us-east-1_TestPool';
const cognito = mockedSdkClient(CognitoIdentityProviderClient);
const failure = (name: string) => Object.assign(new Error(`${name} for someone@example.com`), { name });

describe('userFinder', () => {
  test('maps AdminGetUser to username, enabled, attributes and status', async () => {
    cognito.on(AdminGetUserCommand).resolves({
      Username: 'u-1',
      Enabled: false,
      UserStatus: 'FORCE_CHANGE_PASSWORD',
      UserAttributes: [{ Name: 'email', Value: 'a@example.com' }, { Name: 'email_verified', Value: 'true' }],
    });
    expect(await userFinder(POOL)('a@example.com')).toEqual({
      username: 'u-1', enabled: false, attributes: { email: 'a@example.com', email_verified: 'true' }, status: 'FORCE_CHANGE_PASSWORD',
    });
    expect(cognito.commandCalls(AdminGetUserCommand)[0].args[0].input).toEqual({ UserPoolId: POOL, Username: 'a@example.com' });
  });

  test('UserNotFoundException is no user; other errors propagate', async () => {
    cognito.on(AdminGetUserCommand).rejectsOnce(failure('UserNotFoundException')).rejectsOnce(failure('TooManyRequestsException'));
    expect(await userFinder(POOL)('ghost@example.com')).toBeUndefined();
    await expect(userFinder(POOL)('ghost@example.com')).rejects.toMatchObject({ name: 'TooManyRequestsException' });
  });
});

describe('userCreator', () => {
  beforeEach(() => {
    cognito.on(AdminCreateUserCommand).callsFake((input) => ({ User: { Username: `pool-made-${input.Username.length}` } }));
    cognito.on(AdminSetUserPasswordCommand).resolves({});
  });

  test('in a pool with username attributes the identifier is the Username, and Cognito names the user', async () => {
    expect(await userCreator(POOL)('email', 'a@example.com')).toBe('pool-made-13');
    expect(cognito.commandCalls(AdminCreateUserCommand)[0].args[0].input).toEqual({
      UserPoolId: POOL,
      Username: 'a@example.com',
      UserAttributes: [{ Name: 'email', Value: 'a@example.com' }, { Name: 'email_verified', Value: 'false' }],
      MessageAction: 'SUPPRESS',
    });
  });

  test('a phone number is the Username too: the library never makes up a username', async () => {
    expect(await userCreator(POOL)('phone_number', '+14155550100')).toBe('pool-made-12');
    expect(cognito.commandCalls(AdminCreateUserCommand)[0].args[0].input).toEqual({
      UserPoolId: POOL,
      Username: '+14155550100',
      UserAttributes: [{ Name: 'phone_number', Value: '+14155550100' }, { Name: 'phone_number_verified', Value: 'false' }],
      MessageAction: 'SUPPRESS',
    });
  });

  test('the user is confirmed with a long, random, permanent password of every character class', async () => {
    await userCreator(POOL)('email', 'a@example.com');
    await userCreator(POOL)('email', 'b@example.com');
    const [first, second] = cognito.commandCalls(AdminSetUserPasswordCommand).map((call) => call.args[0].input);
    expect(first).toMatchObject({ UserPoolId: POOL, Username: 'pool-made-13', Permanent: true });
    expect(first.Password).toMatch(/[a-z]/);
    expect(first.Password).toMatch(/[A-Z]/);
    expect(first.Password).toMatch(/[0-9]/);
    expect(first.Password).toMatch(/[^A-Za-z0-9]/);
    expect(first.Password!.length).toBeGreaterThanOrEqual(86);
    expect(second.Password).not.toBe(first.Password);
  });

  test.each(['UsernameExistsException', 'AliasExistsException'])('%s is an IdentifierTakenError, and no password is set', async (name) => {
    cognito.on(AdminCreateUserCommand).rejects(failure(name));
    await expect(userCreator(POOL)('email', 'a@example.com')).rejects.toBeInstanceOf(IdentifierTakenError);
    expect(cognito.commandCalls(AdminSetUserPasswordCommand)).toHaveLength(0);
  });

  test('other errors propagate as they are', async () => {
    cognito.on(AdminCreateUserCommand).rejects(failure('InvalidParameterException'));
    await expect(userCreator(POOL)('email', 'a@example.com')).rejects.toMatchObject({ name: 'InvalidParameterException' });
  });
});

test('attributeWriter sends the attributes as Name/Value pairs', async () => {
  cognito.on(AdminUpdateUserAttributesCommand).resolves({});
  await attributeWriter(POOL)('u-1', { given_name: 'Ada', family_name: 'Lovelace' });
  expect(cognito.commandCalls(AdminUpdateUserAttributesCommand)[0].args[0].input).toEqual({
    UserPoolId: POOL, Username: 'u-1', UserAttributes: [{ Name: 'given_name', Value: 'Ada' }, { Name: 'family_name', Value: 'Lovelace' }],
  });
});

test('userConfirmer sets a permanent random password, which makes the user CONFIRMED', async () => {
  cognito.on(AdminSetUserPasswordCommand).resolves({});
  await userConfirmer(POOL)('u-4');
  const input = cognito.commandCalls(AdminSetUserPasswordCommand)[0].args[0].input;
  expect(input).toMatchObject({ UserPoolId: POOL, Username: 'u-4', Permanent: true });
  expect(input.Password!.length).toBeGreaterThanOrEqual(64);
});

test('userDeleter deletes by username', async () => {
  cognito.on(AdminDeleteUserCommand).resolves({});
  await userDeleter(POOL)('u-2');
  expect(cognito.commandCalls(AdminDeleteUserCommand)[0].args[0].input).toEqual({ UserPoolId: POOL, Username: 'u-2' });
});

describe('tokenUser', () => {
  test('GetUser with the access token gives the signed-in user', async () => {
    cognito.on(GetUserCommand).resolves({ Username: 'u-3', UserAttributes: [{ Name: 'email', Value: 'c@example.com' }] });
    expect(await tokenUser()('token-3')).toEqual({ username: 'u-3', enabled: true, attributes: { email: 'c@example.com' } });
    expect(cognito.commandCalls(GetUserCommand)[0].args[0].input).toEqual({ AccessToken: 'token-3' });
  });

  test('NotAuthorizedException (expired, revoked, foreign) is no user; other errors propagate', async () => {
    cognito.on(GetUserCommand).rejectsOnce(failure('NotAuthorizedException')).rejectsOnce(failure('InternalErrorException'));
    expect(await tokenUser()('revoked')).toBeUndefined();
    await expect(tokenUser()('revoked')).rejects.toMatchObject({ name: 'InternalErrorException' });
  });
});

describe('signInStarter', () => {
  test('InitiateAuth(CUSTOM_AUTH), then the method as the first answer, under the USERNAME Cognito returned', async () => {
    cognito.on(InitiateAuthCommand).resolves({ Session: 's1', ChallengeName: 'CUSTOM_CHALLENGE', ChallengeParameters: { USERNAME: 'canonical-u' } });
    cognito.on(RespondToAuthChallengeCommand).resolves({ Session: 's2', ChallengeName: 'CUSTOM_CHALLENGE', ChallengeParameters: { challenge: 'CODE', codeLength: '6' } });
    expect(await signInStarter('client-1')('u-4', 'sms-otp')).toEqual({
      session: 's2', challengeName: 'CUSTOM_CHALLENGE', challengeParameters: { challenge: 'CODE', codeLength: '6' },
    });
    expect(cognito.commandCalls(InitiateAuthCommand)[0].args[0].input).toEqual({ ClientId: 'client-1', AuthFlow: 'CUSTOM_AUTH', AuthParameters: { USERNAME: 'u-4' } });
    expect(cognito.commandCalls(RespondToAuthChallengeCommand)[0].args[0].input).toEqual({
      ClientId: 'client-1', ChallengeName: 'CUSTOM_CHALLENGE', Session: 's1', ChallengeResponses: { USERNAME: 'canonical-u', ANSWER: 'sms-otp' },
    });
  });

  test('without a USERNAME from Cognito the given name is answered for', async () => {
    cognito.on(InitiateAuthCommand).resolves({ Session: 's1', ChallengeName: 'CUSTOM_CHALLENGE' });
    cognito.on(RespondToAuthChallengeCommand).resolves({});
    expect(await signInStarter('client-1')('u-5', 'email-otp')).toEqual({ session: '', challengeName: '', challengeParameters: {} });
    expect(cognito.commandCalls(RespondToAuthChallengeCommand)[0].args[0].input.ChallengeResponses).toEqual({ USERNAME: 'u-5', ANSWER: 'email-otp' });
  });
});
