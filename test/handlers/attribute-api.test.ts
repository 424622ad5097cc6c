import {
  AdminDeleteUserCommand,
  AdminUpdateUserAttributesCommand,
  CognitoIdentityProviderClient,
  GetUserCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { SNSClient } from '@aws-sdk/client-sns';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { JSON_FROM_APP, JSON_TO_APP, ORIGIN, postEvent, PostOptions } from './support/api-gateway-proxy';
import { ATTRIBUTE_API_ENVIRONMENT } from './support/attribute-api-environment';
import { capturedLogLines } from './support/captured-log';
import { attributeOf, CognitoUser, FakeCognitoPool } from './support/fake-cognito-pool';
import { fakeDate } from './support/fake-date';
import { loadedApiHandler } from './support/loaded-handlers';
import { localStateTable } from './support/local-state-table';
import { recordedMessages } from './support/recorded-messages';

const POOL = ATTRIBUTE_API_ENVIRONMENT.USER_POOL_ID;
const START_EXAMPLE = '{"email": "..." or "phoneNumber": "...", "givenName": "...", "familyName": "..."}';
const VERIFY_EXAMPLE = '{"email": "..." or "phoneNumber": "...", "code": "..."}';
const UNAUTHORIZED = { message: 'Sign in first: send your access token as "Authorization: Bearer <token>"; it may have expired or been revoked.' };

const table = localStateTable();
const handler = loadedApiHandler(() => ({ ...table.db.awsEnvironment, ...ATTRIBUTE_API_ENVIRONMENT, LOG_LEVEL: 'debug' }), () => import('../../lambda/attribute-api.lambda'));
const date = fakeDate();
const logLines = capturedLogLines();
const cognito = mockClient(CognitoIdentityProviderClient);
const pool = new FakeCognitoPool(cognito);
const ses = mockClient(SESv2Client);
const { emails, texts } = recordedMessages(ses, mockClient(SNSClient));

let count = 0;

/** A signed-in user with a verified email `old-<count>@example.com` and these attributes, and its access token. */
function signedIn(attributes: Record<string, string> = {}): { user: CognitoUser; token: string } {
  count += 1;
  const user = pool.add({ email: `old-${count}@example.com`, email_verified: 'true', ...attributes });
  return { user, token: pool.signIn(user) };
}

interface Options extends PostOptions { token?: string; resource?: string }

/** POST /attributes (or `resource`) with the token as a bearer token, from the app, unless `headers` are given. */
function event(body: string | null, options: Options = {}): APIGatewayProxyEvent {
  const fromApp = { ...JSON_FROM_APP, ...options.token !== undefined && { Authorization: `Bearer ${options.token}` } };
  return postEvent(options.resource ?? '/attributes', body, { ...options, headers: options.headers ?? fromApp });
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
    expect(response.headers).toEqual(JSON_TO_APP);
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
  date.advance(61_000);
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
