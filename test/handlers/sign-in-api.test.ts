import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { JSON_TO_APP, ORIGIN, postEvent, PostOptions } from './support/api-gateway-proxy';
import { capturedLogLines } from './support/captured-log';
import { FakeCognitoPool } from './support/fake-cognito-pool';
import { fakeDate } from './support/fake-date';
import { loadedApiHandler } from './support/loaded-handlers';
import { localStateTable } from './support/local-state-table';
import { SIGN_IN_API_ENVIRONMENT } from './support/sign-in-api-environment';
import { identifierKey } from '../../lambda/core/otp-code';

const POOL = SIGN_IN_API_ENVIRONMENT.USER_POOL_ID;
const CLIENT_ID = SIGN_IN_API_ENVIRONMENT.CLIENT_ID;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const EXAMPLE = '{"identifier": "...", "channel": "email" or "sms"}';

const table = localStateTable();
const handler = loadedApiHandler(() => ({ ...table.db.awsEnvironment, ...SIGN_IN_API_ENVIRONMENT, LOG_LEVEL: 'debug' }), () => import('../../lambda/sign-in-api.lambda'));
// Only Date is faked (a fixed minute for the per-network window); DynamoDB and the decoy wait use real timers.
fakeDate();
const logLines = capturedLogLines();
const cognito = mockClient(CognitoIdentityProviderClient);
/** The pool: AdminGetUser finds users by username and by each sign-in identifier. */
const pool = new FakeCognitoPool(cognito);
let sessions: string[] = [];
let count = 0;

beforeEach(() => {
  sessions = [];
  cognito.on(InitiateAuthCommand).callsFake((input) => ({
    ChallengeName: 'CUSTOM_CHALLENGE',
    Session: newSession(),
    ChallengeParameters: { USERNAME: input.AuthParameters.USERNAME, challenge: 'CHOOSE', methods: 'email-otp,sms-otp,magic-link' },
  }));
  cognito.on(RespondToAuthChallengeCommand).callsFake((input) => ({
    ChallengeName: 'CUSTOM_CHALLENGE',
    Session: newSession(),
    ChallengeParameters: { USERNAME: input.ChallengeResponses.USERNAME, challenge: 'CODE', codeLength: '6' },
  }));
});

function newSession(): string {
  const session = `AYABeSession${++count}x${'q'.repeat(40)}`;
  sessions.push(session);
  return session;
}

const event = (body: string | null, options?: PostOptions) => postEvent('/sign-in', body, options);
const post = (payload: unknown, options?: PostOptions) => handler(event(JSON.stringify(payload), options));

function newEmail(): string {
  return `new-${++count}-${Date.now()}@example.com`;
}

describe('200 with the code challenge', () => {
  test('a new email: the user is created unverified without an invitation, and its sign-in started with the email code', async () => {
    const email = newEmail();
    const response = await post({ identifier: email, channel: 'email' });

    expect(response.statusCode).toBe(200);
    expect(response.headers).toEqual(JSON_TO_APP);
    const username = pool.find(email)!.Username;
    expect(JSON.parse(response.body)).toEqual({
      session: sessions[1],
      challengeName: 'CUSTOM_CHALLENGE',
      challengeParameters: { USERNAME: username, challenge: 'CODE', codeLength: '6' },
    });

    expect(cognito.commandCalls(AdminCreateUserCommand)[0].args[0].input).toEqual({
      UserPoolId: POOL,
      Username: email,
      UserAttributes: [{ Name: 'email', Value: email }, { Name: 'email_verified', Value: 'false' }],
      MessageAction: 'SUPPRESS',
    });
    const password = cognito.commandCalls(AdminSetUserPasswordCommand)[0].args[0].input;
    expect(password).toMatchObject({ UserPoolId: POOL, Username: username, Permanent: true });
    expect(password.Password!.length).toBeGreaterThanOrEqual(86);
    expect(cognito.commandCalls(InitiateAuthCommand)[0].args[0].input).toEqual({
      ClientId: CLIENT_ID, AuthFlow: 'CUSTOM_AUTH', AuthParameters: { USERNAME: username },
    });
    expect(cognito.commandCalls(RespondToAuthChallengeCommand)[0].args[0].input).toEqual({
      ClientId: CLIENT_ID,
      ChallengeName: 'CUSTOM_CHALLENGE',
      Session: sessions[0],
      ChallengeResponses: { USERNAME: username, ANSWER: 'email-otp' },
    });
    expect((await table.item(identifierKey(POOL, username)))?.pendingSignUp).toEqual({ S: 'email' });
  });

  test('an existing user gets the same status, headers and body shape, and nothing is created', async () => {
    const fresh = await post({ identifier: newEmail(), channel: 'email' });
    cognito.resetHistory();
    const user = pool.add({ email: 'known@example.com', email_verified: 'true' });
    const existing = await post({ identifier: 'Known@Example.com', channel: 'email' });

    expect(existing.statusCode).toBe(fresh.statusCode);
    expect(existing.headers).toEqual(fresh.headers);
    const [a, b] = [JSON.parse(fresh.body), JSON.parse(existing.body)];
    expect(Object.keys(b)).toEqual(Object.keys(a));
    expect(Object.keys(b.challengeParameters)).toEqual(Object.keys(a.challengeParameters));
    expect(b.challengeName).toBe(a.challengeName);
    expect(cognito.commandCalls(AdminCreateUserCommand)).toHaveLength(0);
    expect(cognito.commandCalls(AdminGetUserCommand)[0].args[0].input).toEqual({ UserPoolId: POOL, Username: 'known@example.com' });
    expect(cognito.commandCalls(InitiateAuthCommand)[0].args[0].input.AuthParameters).toEqual({ USERNAME: user.Username });
  });

  test('a phone number with separators is looked up in E.164 and started with the SMS code', async () => {
    const user = pool.add({ phone_number: '+14155550100', phone_number_verified: 'true' });
    const response = await post({ identifier: '+1 (415) 555-0100', channel: 'sms' });
    expect(response.statusCode).toBe(200);
    expect(cognito.commandCalls(AdminGetUserCommand)[0].args[0].input.Username).toBe('+14155550100');
    expect(cognito.commandCalls(RespondToAuthChallengeCommand)[0].args[0].input.ChallengeResponses).toEqual({ USERNAME: user.Username, ANSWER: 'sms-otp' });
  });

  test('a disabled user is started under a UUID-shaped stand-in name, never as its username', async () => {
    const user = pool.add({ email: `off-${count}@example.com`, email_verified: 'true' }, false);
    const response = await post({ identifier: user.UserAttributes[0].Value, channel: 'email' });
    expect(response.statusCode).toBe(200);
    const name = cognito.commandCalls(InitiateAuthCommand)[0].args[0].input.AuthParameters!.USERNAME;
    expect(name).toMatch(UUID);
    expect(name).not.toBe(user.Username);
    expect(response.body).not.toContain(user.Username);
  });
});

describe('400 with a clear message and no Cognito call', () => {
  test.each([
    ['not JSON', '{"identifier": ', `Invalid request: the body must be JSON: ${EXAMPLE}.`],
    ['no body', null, `Invalid request: the body must be JSON: ${EXAMPLE}.`],
    ['an array', '[]', `Invalid request: the body must be a JSON object: ${EXAMPLE}.`],
    ['an unexpected field', '{"identifier":"a@example.com","channel":"email","username":"admin"}', 'Invalid request: unexpected field "username".'],
    ['a missing identifier', '{"channel":"email"}', 'Invalid request: identifier must be a string.'],
    ['a missing channel', '{"identifier":"a@example.com"}', 'Invalid request: channel must be "email" or "sms".'],
    ['an unknown channel', '{"identifier":"a@example.com","channel":"voice"}', 'Invalid request: channel must be "email" or "sms".'],
    ['an inherited property as channel', '{"identifier":"a@example.com","channel":"toString"}', 'Invalid request: channel must be "email" or "sms".'],
    ['an invalid email', '{"identifier":"a@b@example.com","channel":"email"}', 'Invalid request: email must contain exactly one @ with a local part before it.'],
    ['a number outside the allow-list', '{"identifier":"+33612345678","channel":"sms"}', 'Invalid request: phone number must have one of the allowed country calling codes.'],
    ['a number that is not E.164', '{"identifier":"4155550100","channel":"sms"}', 'Invalid request: phone number must be in E.164 format: + and 7 to 15 digits, e.g. +14155550100.'],
  ])('%s', async (_, body, message) => {
    const response = await handler(event(body));
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body)).toEqual({ message });
    expect(response.headers).toMatchObject({ 'Content-Type': 'application/json', 'Cache-Control': 'no-store', 'Access-Control-Allow-Origin': ORIGIN });
    expect(cognito.calls()).toHaveLength(0);
  });

  test('a body over 4 KB', async () => {
    const response = await post({ identifier: `${'a'.repeat(5000)}@example.com`, channel: 'email' });
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body)).toEqual({ message: 'Invalid request: the body is larger than 4096 bytes.' });
    expect(cognito.calls()).toHaveLength(0);
  });
});

describe('429 from the per-network limit', () => {
  test('the 11th request in a minute from one source address is refused, whatever X-Forwarded-For says', async () => {
    const responses: APIGatewayProxyResult[] = [];
    for (let i = 0; i < 11; i++) {
      responses.push(await post({ identifier: `someone-${i}-${Date.now()}@example.com`, channel: 'email' }, {
        sourceIp: '203.0.113.60',
        headers: { 'Origin': ORIGIN, 'X-Forwarded-For': `198.51.100.${i}`, 'X-Real-IP': `198.51.100.${i}` },
      }));
    }
    expect(responses.slice(0, 10).map((r) => r.statusCode)).toEqual(Array(10).fill(200));
    expect(responses[10].statusCode).toBe(429);
    expect(JSON.parse(responses[10].body)).toEqual({ message: 'Too many requests from this address; try again in a minute.' });
    expect(responses[10].headers).toMatchObject({ 'Access-Control-Allow-Origin': ORIGIN, 'Cache-Control': 'no-store' });
    expect(cognito.commandCalls(InitiateAuthCommand)).toHaveLength(10);
  });
});

describe('500 without the cause', () => {
  test.each([
    ['a failed user lookup', AdminGetUserCommand],
    ['a failed creation', AdminCreateUserCommand],
    ['a failed InitiateAuth', InitiateAuthCommand],
    ['a failed RespondToAuthChallenge', RespondToAuthChallengeCommand],
  ] as const)('%s is a generic 500; the log names only the error', async (_, command) => {
    const email = newEmail();
    cognito.on(command as typeof AdminGetUserCommand).rejects(Object.assign(new Error(`Internal failure for ${email}`), { name: 'InternalErrorException' }));
    const response = await post({ identifier: email, channel: 'email' });
    expect(response.statusCode).toBe(500);
    expect(JSON.parse(response.body)).toEqual({ message: 'Could not start the sign-in; try again later.' });
    expect(response.headers).toMatchObject({ 'Access-Control-Allow-Origin': ORIGIN, 'Cache-Control': 'no-store' });
    expect(logLines.filter((line) => line.includes('"level":"error"'))).toEqual([
      JSON.stringify({ level: 'error', message: 'sign-in start failed', cause: 'InternalErrorException' }),
    ]);
    expect(logLines.join('\n')).not.toContain(email);
  });
});

describe('CORS', () => {
  test.each([['Origin', ORIGIN], ['origin', 'http://localhost:3000']])('an allowed origin is echoed: %s', async (name, origin) => {
    const response = await post({ identifier: newEmail(), channel: 'email' }, { headers: { [name]: origin } });
    expect(response.headers).toMatchObject({ 'Access-Control-Allow-Origin': origin, 'Vary': 'Origin' });
  });

  test.each([['another origin', 'https://evil.example'], ['a null origin', 'null'], ['a wildcard', '*']])('%s is not echoed', async (_, origin) => {
    const response = await post({ identifier: newEmail(), channel: 'email' }, { headers: { Origin: origin } });
    expect(response.statusCode).toBe(200);
    expect(response.headers).not.toHaveProperty('Access-Control-Allow-Origin');
    expect(response.headers).toHaveProperty('Vary', 'Origin');
  });

  test('an error response to a disallowed origin has no CORS header either', async () => {
    const response = await handler(event('not json', { headers: { Origin: 'https://evil.example' } }));
    expect(response.statusCode).toBe(400);
    expect(response.headers).not.toHaveProperty('Access-Control-Allow-Origin');
  });
});

test('no log line holds an identifier, the password or a session, even at debug level', async () => {
  const email = newEmail();
  pool.add({ phone_number: '+447700900456', phone_number_verified: 'true' });
  await post({ identifier: email, channel: 'email' });
  await post({ identifier: '+44 7700 900456', channel: 'sms' });
  await post({ identifier: `bad ${email}`, channel: 'email' });
  const password = cognito.commandCalls(AdminSetUserPasswordCommand)[0].args[0].input.Password!;
  expect(logLines.length).toBeGreaterThan(0);
  for (const line of logLines) {
    for (const secret of [email, '7700900456', password, ...sessions]) expect(line).not.toContain(secret);
  }
});
