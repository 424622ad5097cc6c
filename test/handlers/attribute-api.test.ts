import {
  AdminDeleteUserCommand,
  AdminGetUserCommand,
  AdminUpdateUserAttributesCommand,
  CognitoIdentityProviderClient,
  GetUserCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { ATTRIBUTE_API_ENVIRONMENT } from './support/attribute-api-environment';
import { LocalDynamoDb, startLocalDynamoDb } from './support/local-dynamodb';

const POOL = ATTRIBUTE_API_ENVIRONMENT.USER_POOL_ID;
const TABLE = ATTRIBUTE_API_ENVIRONMENT.TABLE_NAME;
const ORIGIN = 'https://app.example.com';
const START_EXAMPLE = '{"email": "..." or "phoneNumber": "...", "givenName": "...", "familyName": "..."}';
const VERIFY_EXAMPLE = '{"email": "..." or "phoneNumber": "...", "code": "..."}';
const UNAUTHORIZED = { message: 'Sign in first: send your access token as "Authorization: Bearer <token>"; it may have expired or been revoked.' };

interface FakeUser { Username: string; Enabled: boolean; UserAttributes: Array<{ Name: string; Value: string }> }

const cognito = mockClient(CognitoIdentityProviderClient);
const ses = mockClient(SESv2Client);
const sns = mockClient(SNSClient);
const users = new Map<string, FakeUser>();
const tokens = new Map<string, string>();
let db: LocalDynamoDb;
let handler: (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>;
let logLines: string[] = [];
let emails: Array<{ to: string; subject: string; text: string }> = [];
let texts: Array<{ to: string; message: string }> = [];
let count = 0;
let ipCount = 0;
let clock = Date.UTC(2026, 10, 22, 12, 0, 0);

beforeAll(async () => {
  db = await startLocalDynamoDb();
  await db.createTable(TABLE);
  Object.assign(process.env, { ...db.awsEnvironment, ...ATTRIBUTE_API_ENVIRONMENT, LOG_LEVEL: 'debug' });
  handler = (await import('../../lambda/attribute-api.lambda')).handler;
});

afterAll(async () => {
  await db.close();
});

const attributeOf = (user: FakeUser, name: string) => user.UserAttributes.find((attribute) => attribute.Name === name)?.Value;
const notAuthorized = () => Object.assign(new Error('Invalid Access Token'), { name: 'NotAuthorizedException' });

beforeEach(() => {
  jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'queueMicrotask', 'hrtime', 'performance'] });
  jest.setSystemTime(clock);
  logLines = [];
  emails = [];
  texts = [];
  users.clear();
  tokens.clear();
  jest.spyOn(console, 'log').mockImplementation((line: string) => void logLines.push(String(line)));
  cognito.reset();
  cognito.on(GetUserCommand).callsFake((input) => {
    const user = users.get(tokens.get(input.AccessToken) ?? '');
    if (!user) throw notAuthorized();
    return { Username: user.Username, UserAttributes: user.UserAttributes };
  });
  cognito.on(AdminGetUserCommand).callsFake((input) => {
    const user = [...users.values()].find((u) => u.Username === input.Username || u.UserAttributes.some((a) => ['email', 'phone_number'].includes(a.Name) && a.Value === input.Username));
    if (!user) throw Object.assign(new Error('User does not exist.'), { name: 'UserNotFoundException' });
    return user;
  });
  cognito.on(AdminUpdateUserAttributesCommand).callsFake((input) => {
    const user = users.get(input.Username)!;
    for (const { Name, Value } of input.UserAttributes) {
      user.UserAttributes = [...user.UserAttributes.filter((a) => a.Name !== Name), { Name, Value }];
    }
    return {};
  });
  cognito.on(AdminDeleteUserCommand).callsFake((input) => {
    users.delete(input.Username);
    return {};
  });
  ses.reset();
  ses.on(SendEmailCommand).callsFake((input) => {
    emails.push({ to: input.Destination.ToAddresses[0], subject: input.Content.Simple.Subject.Data, text: input.Content.Simple.Body.Text.Data });
    return { MessageId: 'm' };
  });
  sns.reset();
  sns.on(PublishCommand).callsFake((input) => {
    texts.push({ to: input.PhoneNumber, message: input.Message });
    return { MessageId: 'm' };
  });
});

afterEach(() => {
  clock += 24 * 3_600_000;
  jest.useRealTimers();
  jest.restoreAllMocks();
});

/** A signed-in user: its access token. */
function signedIn(attributes: Record<string, string> = {}): { user: FakeUser; token: string } {
  count += 1;
  const user: FakeUser = {
    Username: `user-${count}`,
    Enabled: true,
    UserAttributes: Object.entries({ email: `old-${count}@example.com`, email_verified: 'true', ...attributes }).map(([Name, Value]) => ({ Name, Value })),
  };
  users.set(user.Username, user);
  const token = `eyJraWQiOiJ0ZXN0.access-token-${count}.c2lnbmF0dXJl`;
  tokens.set(token, user.Username);
  return { user, token };
}

function nextIp(): string {
  ipCount += 1;
  return `10.8.${Math.floor(ipCount / 256) % 256}.${ipCount % 256}`;
}

interface Options { token?: string; headers?: Record<string, string>; sourceIp?: string; resource?: string }

function event(body: string | null, options: Options = {}): APIGatewayProxyEvent {
  const resource = options.resource ?? '/attributes';
  return {
    httpMethod: 'POST',
    path: resource,
    resource,
    body,
    isBase64Encoded: false,
    headers: options.headers ?? {
      'Content-Type': 'application/json',
      'Origin': ORIGIN,
      ...options.token !== undefined && { Authorization: `Bearer ${options.token}` },
    },
    multiValueHeaders: {},
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    requestContext: { identity: { sourceIp: options.sourceIp ?? nextIp() } },
  } as unknown as APIGatewayProxyEvent;
}

const startChange = (token: string | undefined, payload: unknown, options: Options = {}) =>
  handler(event(JSON.stringify(payload), { token, ...options }));
const verifyChange = (token: string | undefined, payload: unknown, options: Options = {}) =>
  handler(event(JSON.stringify(payload), { token, resource: '/attributes/verify', ...options }));

function lastCode(): string {
  const message = emails[emails.length - 1]?.text ?? texts[texts.length - 1]?.message ?? '';
  const match = /verification code is ([0-9]+)/.exec(message);
  if (!match) throw new Error('no code was sent');
  return match[1];
}

const body = (response: APIGatewayProxyResult) => JSON.parse(response.body);

describe('POST /attributes', () => {
  test('a new email: 202, a code by email to the new address only, and nothing written to the pool', async () => {
    const { user, token } = signedIn();
    const response = await startChange(token, { email: 'New@Example.com' });
    expect(response.statusCode).toBe(202);
    expect(body(response)).toEqual({ message: 'A code is on its way to the new email address; send it to /attributes/verify.', attribute: 'email' });
    expect(response.headers).toEqual({
      'Content-Type': 'application/json',
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      'Access-Control-Allow-Origin': ORIGIN,
      'Vary': 'Origin',
    });
    expect(cognito.commandCalls(GetUserCommand)[0].args[0].input).toEqual({ AccessToken: token });
    expect(emails).toEqual([{
      to: 'new@example.com',
      subject: 'Verify your email address',
      text: expect.stringMatching(/^Your verification code is [0-9]{6}\. It expires in 3 minutes\. If you did not ask/),
    }]);
    expect(ses.commandCalls(SendEmailCommand)[0].args[0].input.FromEmailAddress).toBe('no-reply@example.com');
    expect(cognito.commandCalls(AdminUpdateUserAttributesCommand)).toHaveLength(0);
    expect(attributeOf(user, 'email')).toBe(`old-${count}@example.com`);
  });

  test('a new phone number: 202 and a code by SMS to it in E.164', async () => {
    const { token } = signedIn();
    const response = await startChange(token, { phoneNumber: '+44 7700 900789' });
    expect(response.statusCode).toBe(202);
    expect(body(response)).toEqual({ message: 'A code is on its way to the new phone number; send it to /attributes/verify.', attribute: 'phone_number' });
    expect(texts).toEqual([{ to: '+447700900789', message: expect.stringMatching(/^Your verification code is [0-9]{6}$/) }]);
    expect(emails).toHaveLength(0);
  });

  test('names only: 200, written at once, no code', async () => {
    const { user, token } = signedIn();
    const response = await startChange(token, { givenName: 'Ada', familyName: 'Lovelace' });
    expect(response.statusCode).toBe(200);
    expect(body(response)).toEqual({ message: 'Profile updated; refresh your tokens to see it in their claims.' });
    expect(cognito.commandCalls(AdminUpdateUserAttributesCommand)[0].args[0].input).toEqual({
      UserPoolId: POOL,
      Username: user.Username,
      UserAttributes: [{ Name: 'given_name', Value: 'Ada' }, { Name: 'family_name', Value: 'Lovelace' }],
    });
    expect(emails).toHaveLength(0);
  });

  test('within the cooldown: 429 and nothing more is sent', async () => {
    const { token } = signedIn();
    await startChange(token, { email: 'a@example.com' });
    const response = await startChange(token, { email: 'b@example.com' });
    expect(response.statusCode).toBe(429);
    expect(body(response)).toEqual({ message: 'A code was sent recently or too many codes were asked for; try again later.' });
    expect(emails).toHaveLength(1);
  });

  test('the 11th request in a minute from one source address: 429, whatever X-Forwarded-For says', async () => {
    const { token } = signedIn();
    const responses: APIGatewayProxyResult[] = [];
    for (let i = 0; i < 11; i++) {
      responses.push(await startChange(token, { givenName: `Name ${i}` }, {
        sourceIp: '203.0.113.70',
        headers: { 'Origin': ORIGIN, 'Authorization': `Bearer ${token}`, 'X-Forwarded-For': `198.51.100.${i}` },
      }));
    }
    expect(responses.slice(0, 10).map((r) => r.statusCode)).toEqual(Array(10).fill(200));
    expect(responses[10].statusCode).toBe(429);
    expect(body(responses[10])).toEqual({ message: 'Too many requests from this address; try again in a minute.' });
  });

  test('a failed delivery: a generic 500, one error log line naming only the error', async () => {
    ses.on(SendEmailCommand).rejects(Object.assign(new Error('Email address is not verified: bounce@example.com'), { name: 'MessageRejected' }));
    const { token } = signedIn();
    const response = await startChange(token, { email: 'bounce@example.com' });
    expect(response.statusCode).toBe(500);
    expect(body(response)).toEqual({ message: 'Could not send the code; try again later.' });
    expect(response.headers).toMatchObject({ 'Access-Control-Allow-Origin': ORIGIN, 'Cache-Control': 'no-store' });
    const errors = logLines.filter((line) => line.includes('"level":"error"'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('"cause":"MessageRejected"');
    expect(logLines.join('\n')).not.toContain('bounce@example.com');
  });

  test('a failed token check (not a refusal): a generic 500, logged by error name', async () => {
    cognito.on(GetUserCommand).rejects(Object.assign(new Error('internal'), { name: 'InternalErrorException' }));
    const { token } = signedIn();
    const response = await startChange(token, { givenName: 'Ada' });
    expect(response.statusCode).toBe(500);
    expect(body(response)).toEqual({ message: 'Could not send the code; try again later.' });
    expect(logLines).toContain(JSON.stringify({ level: 'error', message: 'attribute request failed', cause: 'InternalErrorException' }));
  });

  test.each([
    ['not JSON', '{"email":', `Invalid request: the body must be JSON: ${START_EXAMPLE}.`],
    ['an array', '["a@example.com"]', `Invalid request: the body must be a JSON object: ${START_EXAMPLE}.`],
    ['an empty object', '{}', 'Invalid request: send email, phoneNumber, givenName or familyName.'],
    ['a code', '{"email":"a@example.com","code":"123456"}', 'Invalid request: unexpected field "code".'],
    ['a verified flag', '{"email":"a@example.com","email_verified":"true"}', 'Invalid request: unexpected field "email_verified".'],
    ['a username', '{"givenName":"Ada","username":"someone-else"}', 'Invalid request: unexpected field "username".'],
    ['both identifiers', '{"email":"a@example.com","phoneNumber":"+14155550100"}', 'Invalid request: send either email or phoneNumber, not both.'],
    ['a bad email', '{"email":"a@"}', 'Invalid request: email must end in a domain name such as example.com.'],
    ['a control character in a name', '{"givenName":"Ada\\u0000"}', 'Invalid request: givenName must be 1 to 256 characters without control characters.'],
  ])('400: %s', async (_, payload, message) => {
    const { token } = signedIn();
    const response = await handler(event(payload, { token }));
    expect(response.statusCode).toBe(400);
    expect(body(response)).toEqual({ message });
    expect(cognito.calls()).toHaveLength(0);
    expect(emails).toHaveLength(0);
  });
});

describe('POST /attributes/verify', () => {
  test('the right code: 200, the value written as verified', async () => {
    const { user, token } = signedIn();
    await startChange(token, { email: 'new@example.com' });
    const response = await verifyChange(token, { email: 'new@example.com', code: lastCode() });
    expect(response.statusCode).toBe(200);
    expect(body(response)).toEqual({ message: 'The email address is verified; refresh your tokens to see it in their claims.', attribute: 'email' });
    expect(cognito.commandCalls(AdminUpdateUserAttributesCommand).map((call) => call.args[0].input)).toEqual([{
      UserPoolId: POOL,
      Username: user.Username,
      UserAttributes: [{ Name: 'email', Value: 'new@example.com' }, { Name: 'email_verified', Value: 'true' }],
    }]);
  });

  test('a phone number: 200 with the phone number label', async () => {
    const { token } = signedIn();
    await startChange(token, { phoneNumber: '+14155550177' });
    const response = await verifyChange(token, { phoneNumber: '+1 415 555 0177', code: lastCode() });
    expect(response.statusCode).toBe(200);
    expect(body(response)).toEqual({ message: 'The phone number is verified; refresh your tokens to see it in their claims.', attribute: 'phone_number' });
  });

  test('a wrong code: 400 saying the value stays unverified, nothing written', async () => {
    const { token } = signedIn();
    await startChange(token, { email: 'new@example.com' });
    const code = lastCode();
    const response = await verifyChange(token, { email: 'new@example.com', code: code === '000000' ? '000001' : '000000' });
    expect(response.statusCode).toBe(400);
    expect(body(response)).toEqual({ message: 'The code is wrong, used or expired; the email address stays unverified.', attribute: 'email' });
    expect(cognito.commandCalls(AdminUpdateUserAttributesCommand)).toHaveLength(0);
  });

  test('a value another user has verified: 409 after the code, nothing written', async () => {
    signedIn({ email: 'held@example.com', email_verified: 'true' });
    const { token } = signedIn();
    await startChange(token, { email: 'held@example.com' });
    const response = await verifyChange(token, { email: 'held@example.com', code: lastCode() });
    expect(response.statusCode).toBe(409);
    expect(body(response)).toEqual({ message: 'This email address belongs to another account.', attribute: 'email' });
    expect(cognito.commandCalls(AdminUpdateUserAttributesCommand)).toHaveLength(0);
    expect(cognito.commandCalls(AdminDeleteUserCommand)).toHaveLength(0);
  });

  test('a failed write: a generic 500 naming only the error', async () => {
    const { token } = signedIn();
    await startChange(token, { email: 'new@example.com' });
    cognito.on(AdminUpdateUserAttributesCommand).rejects(Object.assign(new Error('new@example.com failed'), { name: 'InternalErrorException' }));
    const response = await verifyChange(token, { email: 'new@example.com', code: lastCode() });
    expect(response.statusCode).toBe(500);
    expect(body(response)).toEqual({ message: 'Could not verify the change; try again later.' });
    expect(logLines).toContain(JSON.stringify({ level: 'error', message: 'attribute request failed', cause: 'InternalErrorException' }));
  });

  test.each([
    ['not JSON', 'code=123456', `Invalid request: the body must be JSON: ${VERIFY_EXAMPLE}.`],
    ['a name', '{"email":"a@example.com","code":"123456","givenName":"Ada"}', 'Invalid request: unexpected field "givenName".'],
    ['no value', '{"code":"123456"}', 'Invalid request: send the email or phoneNumber being verified.'],
    ['no code', '{"email":"a@example.com"}', 'Invalid request: code must be a string.'],
    ['a numeric code', '{"email":"a@example.com","code":123456}', 'Invalid request: code must be a string.'],
  ])('400: %s', async (_, payload, message) => {
    const { token } = signedIn();
    const response = await handler(event(payload, { token, resource: '/attributes/verify' }));
    expect(response.statusCode).toBe(400);
    expect(body(response)).toEqual({ message });
    expect(cognito.calls()).toHaveLength(0);
  });
});

describe('routing by event.resource', () => {
  test('/attributes/verify verifies: a code field is expected there', async () => {
    const { token } = signedIn();
    await startChange(token, { email: 'routed@example.com' });
    const response = await handler(event(JSON.stringify({ email: 'routed@example.com', code: lastCode() }), { token, resource: '/attributes/verify' }));
    expect(response.statusCode).toBe(200);
  });

  test('/attributes starts: the same body is refused there, and nothing is verified', async () => {
    const { token } = signedIn();
    await startChange(token, { email: 'routed@example.com' });
    const response = await handler(event(JSON.stringify({ email: 'routed@example.com', code: lastCode() }), { token, resource: '/attributes' }));
    expect(response.statusCode).toBe(400);
    expect(body(response)).toEqual({ message: 'Invalid request: unexpected field "code".' });
    expect(cognito.commandCalls(AdminUpdateUserAttributesCommand)).toHaveLength(0);
  });
});

describe('401 and the Authorization header', () => {
  test.each([
    ['no Authorization header', { Origin: ORIGIN }],
    ['an empty Bearer', { Origin: ORIGIN, Authorization: 'Bearer ' }],
    ['only spaces', { Origin: ORIGIN, Authorization: '   ' }],
  ])('%s: 401 without asking Cognito, nothing sent', async (_, headers) => {
    const response = await startChange(undefined, { email: 'new@example.com' }, { headers });
    expect(response.statusCode).toBe(401);
    expect(body(response)).toEqual(UNAUTHORIZED);
    expect(response.headers).toMatchObject({ 'Access-Control-Allow-Origin': ORIGIN });
    expect(cognito.calls()).toHaveLength(0);
    expect(emails).toHaveLength(0);
  });

  test('a token Cognito refuses (expired, revoked, forged): 401, nothing sent or written', async () => {
    const response = await startChange('revoked-token', { email: 'new@example.com', givenName: 'Eve' });
    expect(response.statusCode).toBe(401);
    expect(body(response)).toEqual(UNAUTHORIZED);
    expect(cognito.commandCalls(GetUserCommand)[0].args[0].input).toEqual({ AccessToken: 'revoked-token' });
    expect(cognito.commandCalls(AdminUpdateUserAttributesCommand)).toHaveLength(0);
    expect(emails).toHaveLength(0);
  });

  test('verify without a token: 401', async () => {
    const response = await verifyChange(undefined, { email: 'new@example.com', code: '123456' });
    expect(response.statusCode).toBe(401);
    expect(body(response)).toEqual(UNAUTHORIZED);
  });

  test.each([
    ['Authorization', 'Bearer %s'],
    ['authorization', 'bearer %s'],
    ['AUTHORIZATION', 'BEARER   %s'],
    ['Authorization', '%s'],
    ['Authorization', 'Bearer %s  '],
  ])('%s: %j passes the bare token to GetUser', async (name, format) => {
    const { token } = signedIn();
    const response = await startChange(undefined, { givenName: 'Ada' }, { headers: { Origin: ORIGIN, [name]: format.replace('%s', token) } });
    expect(response.statusCode).toBe(200);
    expect(cognito.commandCalls(GetUserCommand).map((call) => call.args[0].input.AccessToken)).toEqual([token]);
  });
});

describe('CORS', () => {
  test('an allowed origin is echoed', async () => {
    const { token } = signedIn();
    const response = await startChange(token, { givenName: 'Ada' }, { headers: { origin: 'http://localhost:3000', Authorization: `Bearer ${token}` } });
    expect(response.headers).toMatchObject({ 'Access-Control-Allow-Origin': 'http://localhost:3000', 'Vary': 'Origin' });
  });

  test.each([['another origin', 'https://evil.example'], ['a null origin', 'null']])('%s is not echoed, on success or error', async (_, origin) => {
    const { token } = signedIn();
    const ok = await startChange(token, { givenName: 'Ada' }, { headers: { Origin: origin, Authorization: `Bearer ${token}` } });
    const unauthorized = await startChange(undefined, { givenName: 'Ada' }, { headers: { Origin: origin } });
    expect([ok.statusCode, unauthorized.statusCode]).toEqual([200, 401]);
    for (const response of [ok, unauthorized]) {
      expect(response.headers).not.toHaveProperty('Access-Control-Allow-Origin');
      expect(response.headers).toHaveProperty('Vary', 'Origin');
    }
  });
});

test('no log line holds a code, a token or a value, even at debug level', async () => {
  const { token } = signedIn();
  await startChange(token, { email: 'private@example.com', givenName: 'Ada' });
  const emailCode = lastCode();
  await verifyChange(token, { email: 'private@example.com', code: emailCode === '000000' ? '000001' : '000000' });
  await verifyChange(token, { email: 'private@example.com', code: emailCode });
  clock += 61_000;
  jest.setSystemTime(clock);
  await startChange(token, { phoneNumber: '+14155550188' });
  const smsCode = lastCode();
  await verifyChange(token, { phoneNumber: '+14155550188', code: smsCode });
  await startChange('some-revoked-token', { givenName: 'Eve' });
  expect(logLines.length).toBeGreaterThan(3);
  for (const line of logLines) {
    for (const secret of [emailCode, smsCode, token, 'some-revoked-token', 'private@example.com', '4155550188', 'Ada']) {
      expect(line).not.toContain(secret);
    }
  }
});
