import * as http from 'node:http';
import { Duration } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { assetFunction, removeTempDirs, synthesizeStack } from './support/temp-assembly';
import { RestApiGateway } from '../../sandbox/apigateway/rest-api-gateway';
import { readAssembly } from '../../sandbox/assembly/read-assembly';
import { FunctionRunner } from '../../sandbox/lambda/function-runner';
import type { ApiModel, FunctionModel } from '../../sandbox/model';
import { closeServer, listenLocal, localUrl } from '../../sandbox/net/listen';

// API Gateway REST API emulation on a test stack: routing, the proxy event and result, body validation,
// CORS preflights, gateway responses and timeouts, with real functions in worker threads.

jest.setTimeout(60_000);

const ECHO = `exports.handler = async (event) => ({
  statusCode: 200,
  headers: { 'x-echo': 'yes', 'Set-Cookie': 'c=3' },
  multiValueHeaders: { 'Set-Cookie': ['a=1', 'b=2'] },
  body: JSON.stringify(event),
});`;

const SCHEMA = {
  type: apigateway.JsonSchemaType.OBJECT,
  required: ['email', 'redirectUri'],
  properties: {
    email: { type: apigateway.JsonSchemaType.STRING, minLength: 3, maxLength: 254 },
    redirectUri: { type: apigateway.JsonSchemaType.STRING, minLength: 1, maxLength: 2048 },
  },
  additionalProperties: false,
};

const ORIGINS = ['https://app.example', 'http://127.0.0.1:5173'];

let api: ApiModel;
let server: http.Server;
let baseUrl: string;
const runners = new Map<string, FunctionRunner>();
const warnings: string[] = [];

function runnerOf(fn: FunctionModel): FunctionRunner {
  let runner = runners.get(fn.id);
  if (!runner) {
    runner = new FunctionRunner(fn, { extraEnv: {}, onLog: () => undefined });
    runners.set(fn.id, runner);
  }
  return runner;
}

/** How many times the function with this logical ID prefix ran. */
function invocationsOf(logicalIdPrefix: string): number {
  const runner = [...runners.entries()].find(([id]) => id.startsWith(`TestStack/${logicalIdPrefix}`))?.[1];
  return runner?.stats.invocations ?? 0;
}

beforeAll(async () => {
  const dir = synthesizeStack((stack) => {
    const echo = assetFunction(stack, 'Echo', ECHO);
    const throws = assetFunction(stack, 'Throws', 'exports.handler = async () => { throw new Error("boom"); };');
    const malformed = assetFunction(stack, 'Malformed', 'exports.handler = async () => ({ statusCode: 200, body: { not: "a string" } });');
    const extraKey = assetFunction(stack, 'ExtraKey', 'exports.handler = async () => ({ statusCode: 200, body: "", cookies: [] });');
    const binary = assetFunction(stack, 'Binary',
      'exports.handler = async () => ({ statusCode: 201, isBase64Encoded: true, headers: { "Content-Type": "application/octet-stream" }, body: Buffer.from([0, 1, 2, 255]).toString("base64") });');
    const slow = assetFunction(stack, 'Slow', 'exports.handler = () => new Promise((resolve) => setTimeout(() => resolve({ statusCode: 200, body: "late" }), 3000));',
      { timeout: Duration.seconds(60) });
    const selfTimeout = assetFunction(stack, 'SelfTimeout', 'exports.handler = () => new Promise(() => undefined);', { timeout: Duration.seconds(1) });

    const restApi = new apigateway.RestApi(stack, 'Api', {
      deployOptions: { stageName: 'v1' },
      defaultCorsPreflightOptions: { allowOrigins: ORIGINS, allowMethods: ['POST'] },
    });
    const model = restApi.addModel('Request', { contentType: 'application/json', schema: SCHEMA });
    restApi.root.addResource('magic-link').addMethod('POST', new apigateway.LambdaIntegration(echo), {
      requestModels: { 'application/json': model },
      requestValidatorOptions: { validateRequestBody: true },
    });
    const users = restApi.root.addResource('users');
    users.addResource('{id}').addMethod('GET', new apigateway.LambdaIntegration(echo));
    users.addResource('me').addMethod('GET', new apigateway.LambdaIntegration(echo));
    restApi.root.addResource('files').addResource('{path+}').addMethod('ANY', new apigateway.LambdaIntegration(echo));
    const failures = restApi.root.addResource('fail');
    failures.addResource('throws').addMethod('POST', new apigateway.LambdaIntegration(throws));
    failures.addResource('malformed').addMethod('POST', new apigateway.LambdaIntegration(malformed));
    failures.addResource('extra-key').addMethod('POST', new apigateway.LambdaIntegration(extraKey));
    failures.addResource('slow').addMethod('POST', new apigateway.LambdaIntegration(slow));
    failures.addResource('self-timeout').addMethod('POST', new apigateway.LambdaIntegration(selfTimeout));
    restApi.root.addResource('binary').addMethod('GET', new apigateway.LambdaIntegration(binary));
    restApi.addGatewayResponse('BadBody', {
      type: apigateway.ResponseType.BAD_REQUEST_BODY,
      statusCode: '400',
      responseHeaders: { 'Access-Control-Allow-Origin': `'${ORIGINS[0]}'` },
      templates: { 'application/json': '{"message":"Invalid request body: $context.error.validationErrorString"}' },
    });
    restApi.addGatewayResponse('Default5xx', {
      type: apigateway.ResponseType.DEFAULT_5XX,
      responseHeaders: { 'Access-Control-Allow-Origin': `'${ORIGINS[0]}'`, 'X-Request-Origin': 'method.request.header.origin' },
    });
  });
  const app = readAssembly(dir);
  api = app.apis[0];
  const gateway = new RestApiGateway({
    apis: app.apis,
    account: app.account,
    invoke: (fn, event, timeoutMs) => runnerOf(fn).invoke(event, { timeoutMs }),
    integrationTimeoutMs: 1500,
    maxPayloadBytes: 64 * 1024,
    warn: (message) => warnings.push(message),
  });
  server = http.createServer((request, response) => void gateway.serve(request, response));
  baseUrl = RestApiGateway.baseUrl(localUrl(await listenLocal(server)), api);
}, 120_000);

afterAll(async () => {
  await Promise.all([...runners.values()].map((runner) => runner.stop()));
  if (server) await closeServer(server);
  removeTempDirs();
});

async function post(path: string, body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }): Promise<Response> {
  return fetch(baseUrl + path, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
}

async function echoed(response: Response): Promise<APIGatewayProxyEvent> {
  expect(response.status).toBe(200);
  expect(response.headers.get('x-echo')).toBe('yes');
  return response.json() as Promise<APIGatewayProxyEvent>;
}

const VALID = { email: 'person@example.com', redirectUri: 'https://app.example/' };

describe('the base URL', () => {
  test('is /apis/<restApiId>/<stage>/ on the server', () => {
    expect(baseUrl).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:\\d+/apis/${api.restApiId}/v1/$`));
  });

  test('an unknown API ID is a 404 naming the APIs served', async () => {
    const response = await fetch(baseUrl.replace(api.restApiId, 'nosuchapi0'));
    expect(response.status).toBe(404);
    expect((await response.json()).message).toContain(api.restApiId);
  });
});

describe('the proxy event (payload format 1.0)', () => {
  test('carries the method, paths, headers, query, body and request context', async () => {
    // When
    const before = Date.now();
    const event = await echoed(await post('magic-link?a=1&a=2&b=x%20y', VALID, {
      'content-type': 'application/json',
      'x-multi': 'one',
      'user-agent': 'gateway-test',
    }));

    // Then
    expect(event).toMatchObject({
      resource: '/magic-link',
      path: '/magic-link',
      httpMethod: 'POST',
      queryStringParameters: { a: '2', b: 'x y' },
      multiValueQueryStringParameters: { a: ['1', '2'], b: ['x y'] },
      pathParameters: null,
      stageVariables: null,
      body: JSON.stringify(VALID),
      isBase64Encoded: false,
    });
    expect(event.headers).toMatchObject({ 'content-type': 'application/json', 'x-multi': 'one', 'X-Forwarded-Proto': 'http' });
    expect(event.multiValueHeaders['x-multi']).toEqual(['one']);
    expect(event.headers['X-Amzn-Trace-Id']).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
    const context = event.requestContext;
    expect(context).toMatchObject({
      accountId: '000000000000',
      apiId: api.restApiId,
      stage: 'v1',
      httpMethod: 'POST',
      path: '/v1/magic-link',
      resourcePath: '/magic-link',
      protocol: 'HTTP/1.1',
      identity: { sourceIp: '127.0.0.1', userAgent: 'gateway-test', accessKey: null, user: null },
    });
    expect(context.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(context.requestTimeEpoch).toBeGreaterThanOrEqual(before);
    expect(context.requestTimeEpoch).toBeLessThanOrEqual(Date.now());
    expect(context.requestTime).toMatch(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
    expect(context.resourceId).toMatch(/^[a-z0-9]{10}$/);
  });

  test('sourceIp is the connection\'s address, never X-Forwarded-For, which only gets the address appended', async () => {
    // When: the client connects from 127.0.0.2 and claims another address
    const event = await new Promise<APIGatewayProxyEvent>((resolve, reject) => {
      const request = http.request(`${baseUrl}users/42`, {
        localAddress: '127.0.0.2',
        headers: { 'X-Forwarded-For': '203.0.113.9' },
      }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf-8'))));
      });
      request.on('error', reject);
      request.end();
    });

    // Then
    expect(event.requestContext.identity.sourceIp).toBe('127.0.0.2');
    expect(event.headers['X-Forwarded-For']).toBe('203.0.113.9, 127.0.0.2');
    expect(event.multiValueHeaders['X-Forwarded-For']).toEqual(['203.0.113.9, 127.0.0.2']);
  });

  test('path parameters: literal parts win over parameters, and a greedy parameter takes the rest', async () => {
    const byId = await echoed(await fetch(`${baseUrl}users/a%20b`));
    expect(byId).toMatchObject({ resource: '/users/{id}', pathParameters: { id: 'a b' }, queryStringParameters: null, body: null });

    const me = await echoed(await fetch(`${baseUrl}users/me`));
    expect(me).toMatchObject({ resource: '/users/me', pathParameters: null });

    const file = await echoed(await fetch(`${baseUrl}files/a/b/c.txt`, { method: 'DELETE' }));
    expect(file).toMatchObject({ resource: '/files/{path+}', httpMethod: 'DELETE', pathParameters: { path: 'a/b/c.txt' } });
  });
});

describe('the proxy result', () => {
  test('status, headers merged with multiValueHeaders, body, and API Gateway\'s request IDs', async () => {
    const response = await fetch(`${baseUrl}users/1`);

    expect(response.status).toBe(200);
    expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2', 'c=3']);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers.get('x-amz-apigw-id')).toBeTruthy();
    expect((await response.json()).requestContext.requestId).toBe(response.headers.get('x-amzn-requestid'));
  });

  test('a base64-encoded body is decoded', async () => {
    const response = await fetch(`${baseUrl}binary`);

    expect(response.status).toBe(201);
    expect(response.headers.get('content-type')).toBe('application/octet-stream');
    expect([...new Uint8Array(await response.arrayBuffer())]).toEqual([0, 1, 2, 255]);
  });

  test('HEAD gets the headers and no body', async () => {
    const response = await fetch(`${baseUrl}files/x`, { method: 'HEAD' });

    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
  });
});

describe('routing failures: 403 Missing Authentication Token, as API Gateway answers', () => {
  test.each([
    ['an unknown resource', 'GET', 'nowhere'],
    ['a method the resource does not have', 'GET', 'magic-link'],
    ['a wrong stage', 'GET', '../prod/users/1'],
    ['a path below a resource without a greedy parameter', 'GET', 'users/1/2'],
  ])('%s', async (_case, method, path) => {
    const url = new URL(path, baseUrl).href.replace('/v1/../prod/', '/prod/');
    const response = await fetch(url, { method });

    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ message: 'Missing Authentication Token' });
    expect(response.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
  });
});

describe('request-body validation against the method\'s model', () => {
  test.each([
    ['a missing property', { email: 'person@example.com' }, '[object has missing required properties ([\\"redirectUri\\"])]'],
    ['an extra property', { ...VALID, admin: true }, '[object instance has properties which are not allowed by the schema: [\\"admin\\"]]'],
    ['a wrong type', { ...VALID, email: 42 }, '[instance type (integer) does not match any allowed primitive type (allowed: [\\"string\\"])]'],
    ['a too short string', { ...VALID, email: 'ab' }, '[string \\"ab\\" is too short (length: 2, required minimum: 3)]'],
    ['not an object', '[1]', '[instance type (array) does not match any allowed primitive type (allowed: [\\"object\\"])]'],
    ['not JSON', '{"email":', '[the body is not valid JSON]'],
  ])('%s: 400 from the API\'s BAD_REQUEST_BODY response, and the function never runs', async (_case, body, detail) => {
    // Given
    const invocations = invocationsOf('Echo');

    // When
    const response = await post('magic-link', body);

    // Then
    expect(response.status).toBe(400);
    const text = await response.text();
    expect(text).toBe(`{"message":"Invalid request body: ${detail}"}`);
    expect(JSON.parse(text).message).toMatch(/^Invalid request body: \[/);
    expect(response.headers.get('access-control-allow-origin')).toBe(ORIGINS[0]);
    expect(response.headers.get('x-amzn-errortype')).toBe('BadRequestException');
    expect(invocationsOf('Echo')).toBe(invocations);
  });

  test('several violations are listed together', async () => {
    const response = await post('magic-link', { email: 'x'.repeat(255), extra: 1 });

    const { message } = await response.json();
    expect(message).toContain('object has missing required properties (["redirectUri"])');
    expect(message).toContain('object instance has properties which are not allowed by the schema: ["extra"]');
    expect(message).toContain('is too long (length: 255, maximum allowed: 254)');
  });

  test('no Content-Type counts as application/json; a content type without a model is not validated', async () => {
    const untyped = await fetch(`${baseUrl}magic-link`, { method: 'POST', body: new Uint8Array(Buffer.from('{}')) });
    expect(untyped.status).toBe(400);

    const plain = await post('magic-link', '{}', { 'content-type': 'text/plain' });
    expect((await echoed(plain)).body).toBe('{}');
  });

  test('application/json with parameters uses the application/json model', async () => {
    const response = await post('magic-link', {}, { 'content-type': 'application/json; charset=utf-8' });
    expect(response.status).toBe(400);
  });

  test('a valid body reaches the function unchanged', async () => {
    const body = JSON.stringify(VALID, null, 2);
    expect((await echoed(await post('magic-link', body))).body).toBe(body);
  });

  test('a body over the payload limit is a 413', async () => {
    const response = await post('magic-link', JSON.stringify({ email: 'x'.repeat(70 * 1024) }));

    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ message: 'Request Too Long' });
  });
});

describe('CORS preflight from the OPTIONS mock methods', () => {
  test.each([
    [ORIGINS[0], ORIGINS[0]],
    [ORIGINS[1], ORIGINS[1]],
    ['https://evil.example', ORIGINS[0]],
  ])('Origin %s gets Access-Control-Allow-Origin %s', async (origin, allowed) => {
    const response = await fetch(`${baseUrl}magic-link`, {
      method: 'OPTIONS',
      headers: { 'Origin': origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
    });

    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(allowed);
    expect(response.headers.get('access-control-allow-methods')).toBe('POST');
    expect(response.headers.get('access-control-allow-headers')).toContain('Content-Type');
    expect(response.headers.get('vary')).toBe('Origin');
  });

  test('the function answers real requests\' CORS itself: API Gateway adds no CORS header to a proxy response', async () => {
    const response = await post('magic-link', VALID, { 'content-type': 'application/json', 'origin': ORIGINS[0] });

    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('integration failures', () => {
  test.each([
    ['a handler that throws', 'fail/throws'],
    ['a result whose body is not a string', 'fail/malformed'],
    ['a result with a key outside the proxy format', 'fail/extra-key'],
    ['a function that runs past its own timeout', 'fail/self-timeout'],
  ])('%s: 502 Internal server error, with the DEFAULT_5XX headers', async (_case, path) => {
    const response = await post(path, {}, { 'content-type': 'application/json', 'origin': 'https://someone.example' });

    expect(response.status).toBe(502);
    expect(await response.json()).toEqual({ message: 'Internal server error' });
    expect(response.headers.get('access-control-allow-origin')).toBe(ORIGINS[0]);
    expect(response.headers.get('x-request-origin')).toBe('https://someone.example');
  });

  test('a function still running at the integration timeout: 504 Endpoint request timed out', async () => {
    const started = Date.now();
    const response = await post('fail/slow', {});

    expect(response.status).toBe(504);
    expect(await response.json()).toEqual({ message: 'Endpoint request timed out' });
    expect(Date.now() - started).toBeLessThan(2900);
  });
});

test('functions are invoked once per request, through the runner that counts them', async () => {
  const before = invocationsOf('Echo');
  await Promise.all([1, 2, 3].map(async (id) => (await fetch(`${baseUrl}users/${id}`)).arrayBuffer()));
  expect(invocationsOf('Echo')).toBe(before + 3);
});

test('no warning for the models used here: every keyword is checked', () => {
  expect(warnings).toEqual([]);
});
