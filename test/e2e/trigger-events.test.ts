import {
  ChallengeResultSchema,
  CreateAuthChallengeTriggerSchema,
  DefineAuthChallengeTriggerSchema,
  VerifyAuthChallengeTriggerSchema,
} from '@aws-lambda-powertools/parser/schemas/cognito';
import { z } from 'zod';
import { answerChallenge, startSignIn } from './support/custom-auth';
import { cognitoClient, latestCode, seedUser, startExampleSandbox, uniqueEmail } from './support/example-sandbox';
import type { Sandbox } from '../../sandbox/start';
import type { TriggerCall } from '../../sandbox/trigger-invoker';

jest.setTimeout(60_000);

/**
 * Powertools' Define and Create schemas require a non-empty `session` because their examples start with
 * SRP_A. A CUSTOM_AUTH flow without SRP starts with an empty session (docs/sandbox.md): that one
 * constraint is relaxed, everything else is the schemas as published.
 */
const SCHEMAS = {
  DefineAuthChallenge: DefineAuthChallengeTriggerSchema.extend({
    request: DefineAuthChallengeTriggerSchema.shape.request.extend({ session: z.array(ChallengeResultSchema) }),
  }),
  CreateAuthChallenge: CreateAuthChallengeTriggerSchema.extend({
    request: CreateAuthChallengeTriggerSchema.shape.request.extend({ session: z.array(ChallengeResultSchema) }),
  }),
  VerifyAuthChallengeResponse: VerifyAuthChallengeTriggerSchema,
} as const;

let sandbox: Sandbox;
const calls: TriggerCall[] = [];

beforeAll(async () => {
  sandbox = await startExampleSandbox({ onTriggerCall: (call) => calls.push(call) });
});

afterAll(async () => {
  await sandbox?.stop();
});

beforeEach(() => {
  calls.length = 0;
});

/**
 * A whole sign-in: InitiateAuth with metadata, then the method, a wrong code and the right code (a
 * made-up one for an unknown user), each answer with its own metadata.
 */
async function signIn(identifier: string, known: boolean) {
  const cognito = cognitoClient(sandbox);
  let step = await startSignIn(sandbox, cognito, identifier, { from: 'initiate' });
  const answers: (() => Promise<string>)[] = [
    async () => 'email-otp',
    async () => (known && (await latestCode(sandbox, identifier)) === '000000' ? '111111' : '000000'),
    async () => (known ? latestCode(sandbox, identifier) : '123456'),
  ];
  for (const [round, answer] of answers.entries()) {
    step = await answerChallenge(sandbox, cognito, step, await answer(), { from: `respond-${round}` });
  }
  cognito.destroy();
  return step;
}

test('every trigger event matches the Powertools parser schemas of Cognito trigger events', async () => {
  const email = uniqueEmail();
  await seedUser(sandbox, { email });
  const result = await signIn(email, true);
  expect(result.AuthenticationResult?.IdToken).toBeDefined();

  expect(calls.map((call) => call.trigger)).toEqual([
    'DefineAuthChallenge', 'CreateAuthChallenge',
    'VerifyAuthChallengeResponse', 'DefineAuthChallenge', 'CreateAuthChallenge',
    'VerifyAuthChallengeResponse', 'DefineAuthChallenge', 'CreateAuthChallenge',
    'VerifyAuthChallengeResponse', 'DefineAuthChallenge',
  ]);
  for (const call of calls) {
    expect(call.event.request.userNotFound).toBe(false);
    if (call.trigger !== 'VerifyAuthChallengeResponse' && (call.event.request.session as unknown[]).length > 0) {
      const published = call.trigger === 'DefineAuthChallenge' ? DefineAuthChallengeTriggerSchema : CreateAuthChallengeTriggerSchema;
      expect(published.safeParse(call.event).success).toBe(true);
    }
    const parsed = SCHEMAS[call.trigger as keyof typeof SCHEMAS].safeParse(call.event);
    expect({ trigger: call.trigger, issues: parsed.success ? [] : parsed.error.issues }).toEqual({ trigger: call.trigger, issues: [] });
  }
});

test('InitiateAuth metadata reaches no challenge trigger; each answer\'s metadata reaches Verify, Define and Create', async () => {
  const email = uniqueEmail();
  await seedUser(sandbox, { email });
  await signIn(email, true);

  const [firstDefine, firstCreate, ...rest] = calls;
  expect(firstDefine.event.request.clientMetadata).toBeUndefined();
  expect(firstCreate.event.request.clientMetadata).toBeUndefined();
  for (const call of rest) expect(call.event.request.clientMetadata).toEqual({ from: expect.stringMatching(/^respond-\d$/) });
  const verifies = rest.filter((call) => call.trigger === 'VerifyAuthChallengeResponse');
  expect(verifies.map((call) => call.event.request.clientMetadata)).toEqual([{ from: 'respond-0' }, { from: 'respond-1' }, { from: 'respond-2' }]);
});

test('the session array grows by one result per answered round, with the challenge metadata', async () => {
  const email = uniqueEmail();
  await seedUser(sandbox, { email });
  await signIn(email, true);
  const defines = calls.filter((call) => call.trigger === 'DefineAuthChallenge');
  expect(defines.map((call) => (call.event.request.session as unknown[]).length)).toEqual([0, 1, 2, 3]);
  const last = defines[3].event.request.session as { challengeName: string; challengeResult: boolean; challengeMetadata?: string }[];
  expect(last.map((entry) => [entry.challengeName, entry.challengeResult])).toEqual([
    ['CUSTOM_CHALLENGE', false], ['CUSTOM_CHALLENGE', false], ['CUSTOM_CHALLENGE', true],
  ]);
  const created = calls.filter((call) => call.trigger === 'CreateAuthChallenge').map((call) => call.result?.response.challengeMetadata ?? undefined);
  expect(last.map((entry) => entry.challengeMetadata)).toEqual(created);
});

test('an unknown user\'s events carry userNotFound, no attributes, and a stand-in userName', async () => {
  const email = uniqueEmail();
  await signIn(email, false);
  expect(calls.length).toBeGreaterThan(0);
  const userNames = new Set(calls.map((call) => call.event.userName));
  expect(userNames.size).toBe(1);
  expect([...userNames][0]).not.toBe(email);
  for (const call of calls) {
    expect(call.event.request).toMatchObject({ userNotFound: true, userAttributes: {} });
  }
});
