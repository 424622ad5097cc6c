import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import { assetFunction, removeTempDirs, synthesizeStack } from './support/temp-assembly';
import { readAssembly } from '../../sandbox/assembly/read-assembly';

afterAll(removeTempDirs);

const SCHEMA = {
  type: apigateway.JsonSchemaType.OBJECT,
  required: ['email'],
  properties: { email: { type: apigateway.JsonSchemaType.STRING, maxLength: 254 } },
  additionalProperties: false,
};

/** A REST API like MagicLinkApi's: a validated POST, a nested GET with a path parameter, CORS for given origins. */
function synthesizeApi(allowOrigins: string[]): string {
  return synthesizeStack((stack) => {
    const request = assetFunction(stack, 'Request', 'exports.handler = async () => ({ statusCode: 202, body: "" });');
    const lookup = assetFunction(stack, 'Lookup', 'exports.handler = async () => ({ statusCode: 200, body: "{}" });');
    const api = new apigateway.RestApi(stack, 'Api', {
      deployOptions: { stageName: 'v1' },
      defaultCorsPreflightOptions: { allowOrigins, allowMethods: ['GET', 'POST'] },
    });
    const model = api.addModel('Request', { contentType: 'application/json', schema: SCHEMA });
    api.root.addResource('magic-link').addMethod('POST', new apigateway.LambdaIntegration(request), {
      requestModels: { 'application/json': model },
      requestValidatorOptions: { validateRequestBody: true },
    });
    api.root.addResource('users').addResource('{id}').addMethod('GET', new apigateway.LambdaIntegration(lookup));
    api.root.addMethod('GET', new apigateway.LambdaIntegration(lookup));
  });
}

test('a REST API with Lambda proxy methods becomes routes to its functions', () => {
  // When
  const app = readAssembly(synthesizeApi(['https://app.example']));

  // Then
  expect(app.apis).toHaveLength(1);
  const [api] = app.apis;
  expect(api.stageName).toBe('v1');
  const routes = api.routes.map((route) => [route.method, route.path, route.function.id.replace(/[0-9A-F]{8}$/, '')]).sort();
  expect(routes).toEqual([
    ['GET', '/', 'TestStack/Lookup'],
    ['GET', '/users/{id}', 'TestStack/Lookup'],
    ['POST', '/magic-link', 'TestStack/Request'],
  ]);
  const post = api.routes.find((route) => route.method === 'POST')!;
  expect(post.function.codeDir).toMatch(/asset\./);
});

test('a method validated against a model carries the model\'s JSON schema; others have none', () => {
  // When
  const [api] = readAssembly(synthesizeApi(['https://app.example'])).apis;

  // Then
  const post = api.routes.find((route) => route.method === 'POST')!;
  expect(post.requestSchemas['application/json']).toEqual({
    $schema: 'http://json-schema.org/draft-04/schema#',
    type: 'object',
    required: ['email'],
    properties: { email: { type: 'string', maxLength: 254 } },
    additionalProperties: false,
  });
  expect(Object.keys(post.requestSchemas)).toEqual(['application/json']);
  expect(api.routes.filter((route) => route.method === 'GET').map((route) => route.requestSchemas)).toEqual([{}, {}]);
});

test.each([
  [['https://app.example'], ['https://app.example']],
  [['https://app.example', 'http://localhost:3000', 'http://127.0.0.1:5173'], ['https://app.example', 'http://localhost:3000', 'http://127.0.0.1:5173']],
])('the CORS origins of the OPTIONS methods: %j', (allowOrigins, expected) => {
  // When
  const [api] = readAssembly(synthesizeApi(allowOrigins)).apis;

  // Then
  expect(api.corsOrigins).toEqual(expected);
  expect(api.routes.map((route) => route.method)).not.toContain('OPTIONS');
});

test('an API without CORS has no origins', () => {
  // Given
  const dir = synthesizeStack((stack) => {
    const api = new apigateway.RestApi(stack, 'Api');
    api.root.addMethod('POST', new apigateway.LambdaIntegration(assetFunction(stack, 'Fn', 'exports.handler = async () => ({ statusCode: 200 });')));
  });

  // When
  const [api] = readAssembly(dir).apis;

  // Then
  expect(api).toMatchObject({ stageName: 'prod', corsOrigins: [], routes: [expect.objectContaining({ method: 'POST', path: '/' })] });
});

test('the REST API ID is stable, 10 lowercase alphanumerics, and what Ref to the API resolves to', () => {
  // Given
  const synthesize = () => synthesizeStack((stack) => {
    const fn = assetFunction(stack, 'Fn', 'exports.handler = async () => ({ statusCode: 200 });');
    const api = new apigateway.RestApi(stack, 'Api');
    api.root.addMethod('POST', new apigateway.LambdaIntegration(fn));
    fn.addEnvironment('API_ID', api.restApiId);
  });

  // When
  const [first] = readAssembly(synthesize()).apis;
  const [second] = readAssembly(synthesize()).apis;

  // Then
  expect(first.restApiId).toMatch(/^[a-z0-9]{10}$/);
  expect(second.restApiId).toBe(first.restApiId);
  expect(first.routes[0].function.environment.API_ID).toBe(first.restApiId);
});

test('the preflights carry the static headers and the origins the response template echoes', () => {
  // When
  const [api] = readAssembly(synthesizeApi(['https://app.example', 'http://127.0.0.1:5173'])).apis;

  // Then
  const preflight = api.preflights.find((candidate) => candidate.path === '/magic-link')!;
  expect(preflight).toEqual({
    path: '/magic-link',
    statusCode: 204,
    headers: {
      'Access-Control-Allow-Headers': 'Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token,X-Amz-User-Agent',
      'Access-Control-Allow-Origin': 'https://app.example',
      'Access-Control-Allow-Methods': 'GET,POST',
      'Vary': 'Origin',
    },
    echoedOrigins: ['http://127.0.0.1:5173'],
  });
  expect(api.preflights.map((candidate) => candidate.path).sort()).toEqual(['/', '/magic-link', '/users', '/users/{id}']);
});

test('gateway responses are read with their status, header mappings and templates', () => {
  // Given
  const dir = synthesizeStack((stack) => {
    const api = new apigateway.RestApi(stack, 'Api');
    api.root.addMethod('POST', new apigateway.LambdaIntegration(assetFunction(stack, 'Fn', 'exports.handler = async () => ({ statusCode: 200 });')));
    api.addGatewayResponse('BadBody', {
      type: apigateway.ResponseType.BAD_REQUEST_BODY,
      statusCode: '422',
      responseHeaders: { 'Access-Control-Allow-Origin': "'https://app.example'", 'X-Echo': 'method.request.header.origin' },
      templates: { 'application/json': '{"message":"Invalid request body: $context.error.validationErrorString"}' },
    });
    api.addGatewayResponse('Default4xx', { type: apigateway.ResponseType.DEFAULT_4XX });
  });

  // When
  const [api] = readAssembly(dir).apis;

  // Then
  expect(api.gatewayResponses).toEqual(expect.arrayContaining([
    {
      type: 'BAD_REQUEST_BODY',
      statusCode: 422,
      headers: { 'Access-Control-Allow-Origin': "'https://app.example'", 'X-Echo': 'method.request.header.origin' },
      templates: { 'application/json': '{"message":"Invalid request body: $context.error.validationErrorString"}' },
    },
    { type: 'DEFAULT_4XX', headers: {}, templates: {} },
  ]));
  expect(api.gatewayResponses).toHaveLength(2);
});
