import { CognitoService } from '../../../sandbox/cognito/cognito-service';
import { MAX_ROUNDS } from '../../../sandbox/cognito/custom-auth';
import type { TriggerEvent } from '../../../sandbox/cognito/trigger-events';
import { FunctionError } from '../../../sandbox/lambda/function-error';
import type { AppModel, ClientModel, FunctionModel, PoolModel } from '../../../sandbox/model';
import { triggerInvoker } from '../../../sandbox/trigger-invoker';
import { clientModel as client } from '../support/client-model';
import { functionModel } from '../support/function-model';

// The emulator's own rules, with small in-test triggers: the real bundles are exercised in test/e2e.

const trigger = (name: string): FunctionModel => functionModel('/nowhere', { name, id: `Test/${name}` });


function app(clients: ClientModel[]): AppModel {
  const pool: PoolModel = {
    id: 'Test/Pool',
    userPoolId: 'us-east-1_Test12345',
    arn: 'arn:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1_Test12345',
    usernameAttributes: ['email'],
    aliasAttributes: [],
    autoVerifiedAttributes: ['email'],
    caseSensitiveUsernames: false,
    attributesRequireVerificationBeforeUpdate: ['email'],
    allowAdminCreateUserOnly: true,
    customAttributes: [],
    triggers: {
      DefineAuthChallenge: trigger('define'),
      CreateAuthChallenge: trigger('create'),
      VerifyAuthChallengeResponse: trigger('verify'),
    },
    clients,
    usesOurTriggers: true,
  };
  return { region: 'us-east-1', account: '000000000000', userPools: [pool], tables: [], keys: [], apis: [] };
}

type Behaviour = (name: string, event: TriggerEvent) => TriggerEvent;

/** Define: challenge until an answer is right; Create: a challenge with private parameters; Verify: "right" is right. */
const normal: Behaviour = (name, event) => {
  const session = (event.request.session ?? []) as { challengeResult: boolean }[];
  if (name === 'define') {
    event.response = session.some((round) => round.challengeResult) ? { issueTokens: true } : { challengeName: 'CUSTOM_CHALLENGE' };
  }
  if (name === 'create') event.response = { publicChallengeParameters: { round: String(session.length) }, privateChallengeParameters: { answer: 'right' } };
  if (name === 'verify') event.response = { answerCorrect: event.request.challengeAnswer === 'right' };
  return event;
};

let now = Date.now();

function service(behaviour: Behaviour = normal, clients = [client()]) {
  const invoke = async (fn: FunctionModel, event: unknown) => behaviour(fn.name, event as TriggerEvent);
  return new CognitoService(app(clients), triggerInvoker(invoke), () => now);
}

async function seeded(cognito: CognitoService, enabled = true) {
  const created = (await cognito.call('AdminCreateUser', {
    UserPoolId: 'us-east-1_Test12345',
    Username: 'a@example.com',
    MessageAction: 'SUPPRESS',
    UserAttributes: [{ Name: 'email_verified', Value: 'true' }],
  })) as { User: { Username: string } };
  if (!enabled) await cognito.call('AdminDisableUser', { UserPoolId: 'us-east-1_Test12345', Username: 'a@example.com' });
  return created.User.Username;
}

const initiate = (cognito: CognitoService, username = 'a@example.com', clientId = 'abcdefghijklmnopqrstuvwxyz') =>
  cognito.call('InitiateAuth', { AuthFlow: 'CUSTOM_AUTH', ClientId: clientId, AuthParameters: { USERNAME: username } }) as Promise<any>;

const respond = (cognito: CognitoService, step: any, answer: string) => cognito.call('RespondToAuthChallenge', {
  ClientId: 'abcdefghijklmnopqrstuvwxyz',
  ChallengeName: 'CUSTOM_CHALLENGE',
  Session: step.Session,
  ChallengeResponses: { USERNAME: step.ChallengeParameters.USERNAME, ANSWER: answer },
}) as Promise<any>;

beforeEach(() => {
  now = Date.now();
});

test('a right answer gets tokens; the USERNAME challenge parameter is the UUID username', async () => {
  const cognito = service();
  const username = await seeded(cognito);
  const step = await initiate(cognito);
  expect(step.ChallengeParameters).toEqual({ round: '0', USERNAME: username });
  expect((await respond(cognito, step, 'right')).AuthenticationResult.AccessToken).toEqual(expect.any(String));
});

test('a session answered after AuthSessionValidity is refused as expired', async () => {
  const cognito = service();
  await seeded(cognito);
  const step = await initiate(cognito);
  now += 181_000;
  await expect(respond(cognito, step, 'right')).rejects.toMatchObject({ type: 'NotAuthorizedException', message: 'Invalid session for the user, session is expired.' });
});

test('a session never issued is refused', async () => {
  const cognito = service();
  await seeded(cognito);
  const step = await initiate(cognito);
  await expect(respond(cognito, { ...step, Session: step.Session.slice(1) }, 'right')).rejects.toMatchObject({ message: 'Invalid session for the user.' });
});

test(`a sign-in ends after ${MAX_ROUNDS} rounds even if Define keeps challenging`, async () => {
  const cognito = service();
  await seeded(cognito);
  let step = await initiate(cognito);
  for (let round = 1; round < MAX_ROUNDS; round++) step = await respond(cognito, step, 'wrong');
  await expect(respond(cognito, step, 'wrong')).rejects.toMatchObject({ type: 'NotAuthorizedException', message: 'Incorrect username or password.' });
});

test('with PreventUserExistenceErrors LEGACY an unknown user is UserNotFoundException; with ENABLED it is challenged', async () => {
  const legacy = service(normal, [client({ preventUserExistenceErrors: false })]);
  await expect(initiate(legacy, 'nobody@example.com')).rejects.toMatchObject({ type: 'UserNotFoundException', message: 'User does not exist.' });
  const enabled = service();
  const step = await initiate(enabled, 'nobody@example.com');
  expect(step.ChallengeName).toBe('CUSTOM_CHALLENGE');
  await expect(respond(enabled, step, 'right')).rejects.toMatchObject({ type: 'NotAuthorizedException', message: 'Incorrect username or password.' });
});

test('a disabled user is told so', async () => {
  const cognito = service();
  await seeded(cognito, false);
  await expect(initiate(cognito)).rejects.toMatchObject({ type: 'NotAuthorizedException', message: 'User is disabled.' });
});

test('CUSTOM_AUTH on a client without ALLOW_CUSTOM_AUTH is refused', async () => {
  const cognito = service(normal, [client({ explicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'] })]);
  await seeded(cognito);
  await expect(initiate(cognito)).rejects.toMatchObject({ type: 'InvalidParameterException', message: 'Auth flow not enabled for this client' });
});

test('a challenge without private parameters fails the sign-in, as Cognito does', async () => {
  const cognito = service((name, event) => {
    const result = normal(name, event);
    if (name === 'create') result.response = { publicChallengeParameters: { round: '0' }, privateChallengeParameters: {} };
    return result;
  });
  await seeded(cognito);
  await expect(initiate(cognito)).rejects.toMatchObject({ type: 'NotAuthorizedException' });
});

test('a trigger that throws is UserLambdaValidationException with its message; one that times out is UnexpectedLambdaException', async () => {
  const throwing = service((name) => {
    throw new FunctionError('handler', name, 'Error', 'boom');
  });
  await seeded(throwing);
  await expect(initiate(throwing)).rejects.toMatchObject({ type: 'UserLambdaValidationException', message: 'DefineAuthChallenge failed with error boom.' });

  const slow = service((name) => {
    throw new FunctionError('timeout', name, 'Sandbox.Timedout', 'Task timed out after 5.00 seconds');
  });
  await seeded(slow);
  await expect(initiate(slow)).rejects.toMatchObject({
    type: 'UnexpectedLambdaException',
    message: 'DefineAuthChallenge invocation failed due to error Socket timeout while invoking Lambda function.',
  });
});

test('output without a response object is InvalidLambdaResponseException', async () => {
  const cognito = service(() => ({}) as TriggerEvent);
  await seeded(cognito);
  await expect(initiate(cognito)).rejects.toMatchObject({ type: 'InvalidLambdaResponseException', message: 'Unrecognizable lambda output' });
});
