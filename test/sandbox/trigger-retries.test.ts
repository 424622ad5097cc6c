import { POOL_ID, poolApp } from './support/pool-app';
import { CognitoService } from '../../sandbox/cognito/cognito-service';
import type { TriggerEvent } from '../../sandbox/cognito/trigger-events';
import type { FunctionModel } from '../../sandbox/model';
import { triggerInvoker, type TriggerCall } from '../../sandbox/trigger-invoker';
import { TriggerRetries } from '../../sandbox/trigger-retries';

/** Triggers that count their invocations and answer "right" to the answer "right". */
function countingTriggers(failFirstVerify = false) {
  const invocations: { name: string; event: TriggerEvent }[] = [];
  const invoke = async (fn: FunctionModel, input: unknown) => {
    const event = input as TriggerEvent;
    invocations.push({ name: fn.name, event });
    const session = (event.request.session ?? []) as { challengeResult: boolean }[];
    if (fn.name === 'define') event.response = session.some((round) => round.challengeResult) ? { issueTokens: true } : { challengeName: 'CUSTOM_CHALLENGE' };
    if (fn.name === 'create') event.response = { publicChallengeParameters: { round: String(session.length) }, privateChallengeParameters: { answer: 'right' } };
    if (fn.name === 'verify') {
      if (failFirstVerify && invocations.filter((call) => call.name === 'verify').length === 1) throw new Error('timed out after its work');
      event.response = { answerCorrect: event.request.challengeAnswer === 'right' };
    }
    return event;
  };
  return { invocations, invoke };
}

async function signIn(cognito: CognitoService, answer: string) {
  await cognito.call('AdminCreateUser', { UserPoolId: POOL_ID, Username: 'a@example.com', MessageAction: 'SUPPRESS' });
  const step = await cognito.call('InitiateAuth', {
    AuthFlow: 'CUSTOM_AUTH', ClientId: 'abcdefghijklmnopqrstuvwxyz', AuthParameters: { USERNAME: 'a@example.com' },
  }) as { Session: string; ChallengeParameters: Record<string, string> };
  return cognito.call('RespondToAuthChallenge', {
    ClientId: 'abcdefghijklmnopqrstuvwxyz',
    ChallengeName: 'CUSTOM_CHALLENGE',
    Session: step.Session,
    ChallengeResponses: { USERNAME: step.ChallengeParameters.USERNAME, ANSWER: answer },
  }) as Promise<{ AuthenticationResult?: object }>;
}

test('a retried trigger runs twice with equal events, and only the second result counts', async () => {
  const triggers = countingTriggers();
  const retries = new TriggerRetries();
  const calls: TriggerCall[] = [];
  const cognito = new CognitoService(poolApp(), triggerInvoker(triggers.invoke, (call) => calls.push(call), retries));
  retries.retryNext('VerifyAuthChallengeResponse');

  const done = await signIn(cognito, 'right');

  expect(done.AuthenticationResult).toBeDefined();
  const verifies = triggers.invocations.filter((call) => call.name === 'verify');
  expect(verifies).toHaveLength(2);
  expect(verifies[0].event).not.toBe(verifies[1].event);
  expect({ ...verifies[0].event, response: {} }).toEqual({ ...verifies[1].event, response: {} });
  expect(calls.filter((call) => call.trigger === 'VerifyAuthChallengeResponse').map((call) => call.discarded ?? false)).toEqual([true, false]);
  // Only the Verify was retried: Define runs for InitiateAuth and after the answer, Create once.
  expect(triggers.invocations.map((call) => call.name)).toEqual(['define', 'create', 'verify', 'verify', 'define']);
});

test('a first invocation that fails is thrown away too: the retry answers', async () => {
  const triggers = countingTriggers(true);
  const retries = new TriggerRetries();
  const calls: TriggerCall[] = [];
  const cognito = new CognitoService(poolApp(), triggerInvoker(triggers.invoke, (call) => calls.push(call), retries));
  retries.retryNext('VerifyAuthChallengeResponse');

  expect((await signIn(cognito, 'right')).AuthenticationResult).toBeDefined();
  const verifies = calls.filter((call) => call.trigger === 'VerifyAuthChallengeResponse');
  expect(verifies.map((call) => [call.discarded ?? false, call.result !== undefined])).toEqual([[true, false], [false, true]]);
});

test('without a retry asked for, each trigger runs once; a retry applies to the next `times` invocations only', () => {
  const retries = new TriggerRetries();
  expect(retries.take('CreateAuthChallenge')).toBe(false);
  retries.retryNext('CreateAuthChallenge', 2);
  retries.retryNext('DefineAuthChallenge');
  expect([retries.take('CreateAuthChallenge'), retries.take('CreateAuthChallenge'), retries.take('CreateAuthChallenge')]).toEqual([true, true, false]);
  expect([retries.take('DefineAuthChallenge'), retries.take('DefineAuthChallenge')]).toEqual([true, false]);
  expect(retries.take('VerifyAuthChallengeResponse')).toBe(false);
});

test('times must be a positive integer', () => {
  expect(() => new TriggerRetries().retryNext('DefineAuthChallenge', 0)).toThrow(/times must be a positive integer \(received: 0\)/);
});
