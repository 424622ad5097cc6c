import type { Server } from 'node:http';
import { AdminGetUserCommand, CognitoIdentityProviderClient, InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { CognitoService } from '../../../sandbox/cognito/cognito-service';
import { CognitoError } from '../../../sandbox/cognito/errors';
import { FunctionCognitoCalls } from '../../../sandbox/cognito/function-calls';
import { SANDBOX_CREDENTIALS } from '../../../sandbox/lambda/function-environment';
import { closeServer, listenLocal, localUrl } from '../../../sandbox/net/listen';
import { createSandboxServer } from '../../../sandbox/sandbox-server';
import { POOL_ID, poolApp } from '../support/pool-app';

const THROTTLED = { code: 'TooManyRequestsException', message: 'Too many requests' };

let server: Server;
let calls: FunctionCognitoCalls;
let functionClient: CognitoIdentityProviderClient;
let otherClient: CognitoIdentityProviderClient;
let endpoint: string;

beforeEach(async () => {
  const cognito = new CognitoService(poolApp(), async () => {
    throw new CognitoError('UnexpectedLambdaException', 'No trigger runs here.');
  });
  await cognito.call('AdminCreateUser', { UserPoolId: POOL_ID, Username: 'a@example.com', MessageAction: 'SUPPRESS' });
  calls = new FunctionCognitoCalls();
  server = createSandboxServer({
    cognito,
    onCognitoCall: (operation, request) => calls.enter(operation, request),
    outbox: async () => [],
    demoConfig: () => ({}),
  });
  endpoint = localUrl(await listenLocal(server));
  const client = (accessKeyId: string, secretAccessKey: string) =>
    new CognitoIdentityProviderClient({ region: 'us-east-1', endpoint, credentials: { accessKeyId, secretAccessKey }, maxAttempts: 1 });
  functionClient = client(SANDBOX_CREDENTIALS.AWS_ACCESS_KEY_ID, SANDBOX_CREDENTIALS.AWS_SECRET_ACCESS_KEY);
  otherClient = client('local', 'local');
});

afterEach(async () => {
  functionClient.destroy();
  otherClient.destroy();
  await closeServer(server);
});

const getUser = (client: CognitoIdentityProviderClient) => client.send(new AdminGetUserCommand({ UserPoolId: POOL_ID, Username: 'a@example.com' }));

test('an injected error answers a function\'s call in Cognito\'s error format, as many times as asked', async () => {
  calls.failNext('AdminGetUser', THROTTLED, 2);

  await expect(getUser(functionClient)).rejects.toMatchObject({
    name: 'TooManyRequestsException', message: 'Too many requests', $metadata: { httpStatusCode: 400 },
  });
  await expect(getUser(functionClient)).rejects.toMatchObject({ name: 'TooManyRequestsException' });
  await expect(getUser(functionClient)).resolves.toMatchObject({ Username: expect.any(String) });
  expect(calls.calls()).toEqual({ AdminGetUser: 3 });
});

test('a client\'s calls are neither failed nor counted', async () => {
  calls.failNext('AdminGetUser', THROTTLED);

  await expect(getUser(otherClient)).resolves.toMatchObject({ Username: expect.any(String) });
  expect(calls.calls()).toEqual({});
  await expect(getUser(functionClient)).rejects.toMatchObject({ name: 'TooManyRequestsException' });
});

test('a status other than 400 is answered as given, and `after` lets calls through first', async () => {
  calls.failNext('AdminGetUser', { code: 'InternalErrorException', message: 'Internal error', status: 500 }, 1, 1);

  await expect(getUser(functionClient)).resolves.toBeDefined();
  await expect(getUser(functionClient)).rejects.toMatchObject({ name: 'InternalErrorException', $metadata: { httpStatusCode: 500 } });
});

test('the SDK retries an injected throttle and succeeds once the faults are used up', async () => {
  const retrying = new CognitoIdentityProviderClient({
    region: 'us-east-1',
    endpoint,
    credentials: { accessKeyId: SANDBOX_CREDENTIALS.AWS_ACCESS_KEY_ID, secretAccessKey: SANDBOX_CREDENTIALS.AWS_SECRET_ACCESS_KEY },
    maxAttempts: 2,
  });
  calls.failNext('AdminGetUser', THROTTLED);
  try {
    await expect(getUser(retrying)).resolves.toMatchObject({ Username: expect.any(String) });
  } finally {
    retrying.destroy();
  }
  expect(calls.calls()).toEqual({ AdminGetUser: 2 });
});

test('an unsigned call (InitiateAuth) from inside Lambda is told apart by its user agent, and failed', async () => {
  const lambdaLike = new CognitoIdentityProviderClient({
    region: 'us-east-1',
    endpoint,
    credentials: { accessKeyId: 'other', secretAccessKey: 'other' },
    maxAttempts: 1,
    customUserAgent: 'exec-env/AWS_Lambda_nodejs22.x',
  });
  calls.failNext('InitiateAuth', THROTTLED);
  const initiate = (client: CognitoIdentityProviderClient) =>
    client.send(new InitiateAuthCommand({ ClientId: 'abcdefghijklmnopqrstuvwxyz', AuthFlow: 'CUSTOM_AUTH', AuthParameters: { USERNAME: 'a@example.com' } }));
  try {
    // A client's InitiateAuth passes the gate and reaches the triggers (which fail here); the function's is throttled.
    await expect(initiate(otherClient)).rejects.toMatchObject({ name: 'UnexpectedLambdaException' });
    await expect(initiate(lambdaLike)).rejects.toMatchObject({ name: 'TooManyRequestsException' });
  } finally {
    lambdaLike.destroy();
  }
  expect(calls.calls()).toEqual({ InitiateAuth: 1 });
});
