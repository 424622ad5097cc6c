import { AdminGetUserCommand, CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { JSON_TO_APP, ORIGIN, postEvent, PostOptions } from './support/api-gateway-proxy';
import { capturedLogLines } from './support/captured-log';
import { FakeCognitoPool } from './support/fake-cognito-pool';
import { fakeDate } from './support/fake-date';
import { loadedApiHandler } from './support/loaded-handlers';
import { localStateTable } from './support/local-state-table';
import { MAGIC_LINK_API_ENVIRONMENT } from './support/magic-link-api-environment';
import { newP256Key } from './support/p256-key';
import { parseToken, signedMessage } from '../../lambda/core/magic-link-token';

const POOL = MAGIC_LINK_API_ENVIRONMENT.USER_POOL_ID;
const KEY_ARN = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const REDIRECT = 'https://app.example.com/auth/callback';
const ACCEPTED = { message: 'If that address can sign in, a link is on its way.' };

const table = localStateTable();
const handler = loadedApiHandler(() => ({
  ...table.db.awsEnvironment,
  ...MAGIC_LINK_API_ENVIRONMENT,
  KEY_ID: KEY_ARN,
  REDIRECT_URIS: `${REDIRECT},http://localhost:3000/callback`,
  EMAIL_TEXT_BODY: 'Sign in: {link} (valid for {minutes} minutes)',
  EMAIL_HTML_BODY: '<a href="{link}">Sign in</a>',
  EMAIL_CONFIGURATION_SET: 'tracking',
  LOG_LEVEL: 'debug',
}), () => import('../../lambda/magic-link-api.lambda'));
// Only Date is faked (a fixed minute for the per-network window); DynamoDB and the decoy wait use real timers.
fakeDate();
const logLines = capturedLogLines();
const cognito = mockClient(CognitoIdentityProviderClient);
const pool = new FakeCognitoPool(cognito);
const kms = mockClient(KMSClient);
const ses = mockClient(SESv2Client);
const key = newP256Key();

beforeEach(() => {
  kms.reset();
  kms.on(SignCommand).callsFake((input) => ({ KeyId: KEY_ARN, Signature: key.signDer(input.Message) }));
  ses.reset();
  ses.on(SendEmailCommand).resolves({ MessageId: 'm' });
});

let count = 0;

/** A user with a verified email: its address. */
function newUser(): string {
  count += 1;
  const email = `person${count}-${Date.now()}@example.com`;
  pool.add({ email, email_verified: 'true', sub: 'x' });
  return email;
}

const event = (body: string | null, options?: PostOptions) => postEvent('/magic-link', body, options);
const post = (payload: unknown, options?: PostOptions) => handler(event(JSON.stringify(payload), options));

describe('202 for every well-formed request (R17)', () => {
  test('a known user gets a link by email; the answer is 202 with a fixed body and no-store', async () => {
    const email = newUser();
    const response = await post({ email, redirectUri: REDIRECT });
    expect(response.statusCode).toBe(202);
    expect(JSON.parse(response.body)).toEqual(ACCEPTED);
    expect(response.headers).toEqual(JSON_TO_APP);
    expect(cognito.commandCalls(AdminGetUserCommand)[0].args[0].input).toEqual({ UserPoolId: POOL, Username: email });
    expect(kms.commandCalls(SignCommand)[0].args[0].input).toMatchObject({ KeyId: KEY_ARN, MessageType: 'RAW', SigningAlgorithm: 'ECDSA_SHA_256' });

    const sent = ses.commandCalls(SendEmailCommand);
    expect(sent).toHaveLength(1);
    const input = sent[0].args[0].input;
    expect(input).toMatchObject({ FromEmailAddress: 'no-reply@example.com', Destination: { ToAddresses: [email] }, ConfigurationSetName: 'tracking' });
    const text = input.Content!.Simple!.Body!.Text!.Data!;
    const link = /^Sign in: (\S+) \(valid for 10 minutes\)$/.exec(text)![1];
    expect(link.startsWith(`${REDIRECT}#`)).toBe(true);
    expect(link.length).toBeLessThan(300);
    expect(input.Content!.Simple!.Body!.Html!.Data).toBe(`<a href="${link}">Sign in</a>`);
    const token = parseToken(link.slice(REDIRECT.length + 1))!;
    expect(key.verifyRaw(signedMessage(POOL, pool.find(email)!.Username, token.encodedPayload), token.signature)).toBe(true);
  });

  test('an unknown user gets the same status, body and headers, and nothing is signed or sent', async () => {
    const known = await post({ email: newUser(), redirectUri: REDIRECT });
    kms.resetHistory();
    ses.resetHistory();
    const unknown = await post({ email: `nobody-${Date.now()}@example.com`, redirectUri: REDIRECT });
    expect(unknown).toEqual(known);
    expect(kms.commandCalls(SignCommand)).toHaveLength(0);
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(0);
  });

  test('a request within the cooldown gets the same answer and sends nothing', async () => {
    const email = newUser();
    const first = await post({ email, redirectUri: REDIRECT });
    const second = await post({ email, redirectUri: REDIRECT });
    expect(second).toEqual(first);
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(1);
  });

  test('a base64-encoded body is decoded', async () => {
    const email = newUser();
    const response = await handler(event(JSON.stringify({ email, redirectUri: REDIRECT }), { base64: true }));
    expect(response.statusCode).toBe(202);
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(1);
  });
});

describe('400 with a clear message', () => {
  test.each([
    ['not JSON', '{"email": ', 'Invalid request: the body must be JSON: {"email": "...", "redirectUri": "..."}.'],
    ['an empty body', '', 'Invalid request: the body must be JSON: {"email": "...", "redirectUri": "..."}.'],
    ['no body', null, 'Invalid request: the body must be JSON: {"email": "...", "redirectUri": "..."}.'],
    ['an array', '[{"email":"a@example.com"}]', 'Invalid request: the body must be a JSON object: {"email": "...", "redirectUri": "..."}.'],
    ['a string', '"a@example.com"', 'Invalid request: the body must be a JSON object: {"email": "...", "redirectUri": "..."}.'],
    ['null', 'null', 'Invalid request: the body must be a JSON object: {"email": "...", "redirectUri": "..."}.'],
    ['an unexpected field', `{"email":"a@example.com","redirectUri":"${REDIRECT}","bcc":"eve@evil.com"}`, 'Invalid request: unexpected field "bcc".'],
    ['a __proto__ field', `{"email":"a@example.com","redirectUri":"${REDIRECT}","__proto__":{"x":1}}`, 'Invalid request: unexpected field "__proto__".'],
    ['a missing email', `{"redirectUri":"${REDIRECT}"}`, 'Invalid request: email must be a string.'],
    ['an email that is a list', `{"email":["a@example.com","eve@evil.com"],"redirectUri":"${REDIRECT}"}`, 'Invalid request: email must be a string.'],
    ['two addresses', `{"email":"a@example.com,eve@evil.com","redirectUri":"${REDIRECT}"}`, 'Invalid request: email must contain exactly one @ with a local part before it.'],
    ['a display name', `{"email":"A <a@example.com>","redirectUri":"${REDIRECT}"}`, 'Invalid request: email must be printable ASCII without spaces or line breaks (write an international domain in punycode).'],
    ['a missing redirectUri', '{"email":"a@example.com"}', 'Invalid request: redirectUri must be a string.'],
    ['a redirectUri not on the list', '{"email":"a@example.com","redirectUri":"https://evil.com/auth/callback"}', 'Invalid request: redirectUri is not one of the allowed redirect URLs.'],
    ['a listed redirectUri with a query', `{"email":"a@example.com","redirectUri":"${REDIRECT}?x=1"}`, 'Invalid request: redirectUri is not one of the allowed redirect URLs.'],
  ])('%s', async (_, body, message) => {
    const response = await handler(event(body));
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body)).toEqual({ message });
    expect(response.headers).toMatchObject({ 'Content-Type': 'application/json', 'Cache-Control': 'no-store', 'Access-Control-Allow-Origin': ORIGIN });
    expect(cognito.commandCalls(AdminGetUserCommand)).toHaveLength(0);
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(0);
  });

  test('a body over 4 KB is refused at once, raw or base64-encoded', async () => {
    const big = JSON.stringify({ email: `${'a'.repeat(5000)}@example.com`, redirectUri: REDIRECT });
    for (const response of [await handler(event(big)), await handler(event(big, { base64: true })), await handler(event('x'.repeat(2_000_000)))]) {
      expect(response.statusCode).toBe(400);
      expect(JSON.parse(response.body)).toEqual({ message: 'Invalid request: the body is larger than 4096 bytes.' });
    }
    expect(cognito.commandCalls(AdminGetUserCommand)).toHaveLength(0);
  });

  test('the unexpected field named in the message is cut short', async () => {
    const response = await handler(event(JSON.stringify({ email: 'a@example.com', redirectUri: REDIRECT, ['x'.repeat(500)]: 1 })));
    expect(JSON.parse(response.body).message).toBe(`Invalid request: unexpected field "${'x'.repeat(40)}".`);
  });
});

describe('CORS', () => {
  test.each([
    ['Origin', ORIGIN],
    ['origin', 'http://localhost:3000'],
    ['ORIGIN', ORIGIN],
  ])('an allowed origin is echoed whatever the header case: %s', async (name, origin) => {
    const response = await handler(event(JSON.stringify({ email: 'a@example.com', redirectUri: REDIRECT }), { headers: { [name]: origin } }));
    expect(response.headers).toMatchObject({ 'Access-Control-Allow-Origin': origin, 'Vary': 'Origin' });
  });

  test.each([
    ['another origin', 'https://evil.com'],
    ['an allowed origin with a trailing slash', `${ORIGIN}/`],
    ['an allowed origin in capitals', 'HTTPS://APP.EXAMPLE.COM'],
    ['a null origin', 'null'],
    ['a wildcard', '*'],
  ])('%s is not echoed, and there is no wildcard', async (_, origin) => {
    const response = await handler(event(JSON.stringify({ email: 'a@example.com', redirectUri: REDIRECT }), { headers: { Origin: origin } }));
    expect(response.statusCode).toBe(202);
    expect(response.headers).not.toHaveProperty('Access-Control-Allow-Origin');
    expect(response.headers).toHaveProperty('Vary', 'Origin');
  });

  test('no Origin header: no CORS header', async () => {
    const response = await handler(event('{}', { headers: { 'Content-Type': 'application/json' } }));
    expect(response.headers).not.toHaveProperty('Access-Control-Allow-Origin');
  });
});

describe('429 from the per-network limit', () => {
  test('the 11th request in a minute from one source address is refused, whatever X-Forwarded-For says', async () => {
    const responses: APIGatewayProxyResult[] = [];
    for (let i = 0; i < 11; i++) {
      responses.push(await post({ email: `someone-${i}@example.com`, redirectUri: REDIRECT }, {
        sourceIp: '203.0.113.50',
        headers: { 'Origin': ORIGIN, 'X-Forwarded-For': `198.51.100.${i}`, 'X-Real-IP': `198.51.100.${i}`, 'Forwarded': `for=198.51.100.${i}` },
      }));
    }
    expect(responses.slice(0, 10).map((r) => r.statusCode)).toEqual(Array(10).fill(202));
    expect(responses[10].statusCode).toBe(429);
    expect(JSON.parse(responses[10].body)).toEqual({ message: 'Too many requests from this address; try again in a minute.' });
    expect(responses[10].headers).toMatchObject({ 'Access-Control-Allow-Origin': ORIGIN, 'Cache-Control': 'no-store' });
  });
});

describe('500 when a link cannot be sent', () => {
  test('an SES failure is a generic 500 that names nothing', async () => {
    const email = newUser();
    ses.on(SendEmailCommand).rejects(Object.assign(new Error(`Email address is not verified: ${email}`), { name: 'MessageRejected' }));
    const response = await post({ email, redirectUri: REDIRECT });
    expect(response.statusCode).toBe(500);
    expect(JSON.parse(response.body)).toEqual({ message: 'Could not send the link; try again later.' });
    expect(response.headers).toMatchObject({ 'Access-Control-Allow-Origin': ORIGIN, 'Cache-Control': 'no-store' });
    expect(logLines.filter((line) => line.includes('"level":"error"'))).toHaveLength(1);
    expect(logLines.join('\n')).toContain('"cause":"MessageRejected"');
    expect(logLines.join('\n')).not.toContain(email);
  });

  test('a failed user lookup is the same generic 500', async () => {
    cognito.on(AdminGetUserCommand).rejects(Object.assign(new Error('internal'), { name: 'InternalErrorException' }));
    const response = await post({ email: 'a@example.com', redirectUri: REDIRECT });
    expect(response.statusCode).toBe(500);
    expect(JSON.parse(response.body)).toEqual({ message: 'Could not send the link; try again later.' });
    expect(logLines.join('\n')).toContain('"cause":"InternalErrorException"');
  });
});

test('no log line holds the address, the link or the token, even at debug level', async () => {
  const email = newUser();
  await post({ email, redirectUri: REDIRECT });
  await post({ email: `nobody-${Date.now()}@example.com`, redirectUri: REDIRECT });
  await post({ email: `bad ${email}`, redirectUri: REDIRECT });
  const text = ses.commandCalls(SendEmailCommand)[0].args[0].input.Content!.Simple!.Body!.Text!.Data!;
  const link = /^Sign in: (\S+) /.exec(text)![1];
  const token = link.slice(link.indexOf('#') + 1);
  expect(logLines.length).toBeGreaterThan(0);
  for (const line of logLines) {
    for (const secret of [email, 'nobody-', link, ...token.split('.')]) expect(line).not.toContain(secret);
  }
});
