import type { PoolModel, TriggerName } from '../model';
import type { ChallengeResult } from './auth-sessions';
import type { UserRecord } from './user-directory';

/** Runs a pool's trigger with an event and resolves to the event as the function returned it. */
export type TriggerInvoker = (pool: PoolModel, trigger: TriggerName, event: TriggerEvent) => Promise<TriggerEvent>;

/** The common part of every Cognito trigger event, as documented for Lambda triggers. */
export interface TriggerEvent {
  version: string;
  region: string;
  userPoolId: string;
  userName: string;
  callerContext: { awsSdkVersion: string; clientId: string };
  triggerSource: string;
  request: Record<string, unknown>;
  response: Record<string, unknown>;
}

export interface ChallengeContext {
  readonly pool: PoolModel;
  readonly region: string;
  readonly clientId: string;
  /** PreventUserExistenceErrors is ENABLED on the client: only then do events carry `userNotFound`. */
  readonly preventUserExistenceErrors: boolean;
  readonly userName: string;
  readonly user?: UserRecord;
  readonly results: readonly ChallengeResult[];
  /** Only RespondToAuthChallenge's ClientMetadata reaches the challenge triggers. */
  readonly clientMetadata?: Record<string, string>;
}

/** The user's attributes as the triggers see them: strings, with `cognito:user_status`. */
export function eventAttributes(user: UserRecord | undefined): Record<string, string> {
  if (!user) return {};
  return { ...user.attributes, 'cognito:user_status': user.status };
}

function base(context: ChallengeContext, triggerSource: string): Omit<TriggerEvent, 'request' | 'response'> {
  return {
    version: '1',
    region: context.region,
    userPoolId: context.pool.userPoolId,
    userName: context.userName,
    callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: context.clientId },
    triggerSource,
  };
}

function common(context: ChallengeContext): Record<string, unknown> {
  return {
    userAttributes: eventAttributes(context.user),
    ...(context.preventUserExistenceErrors ? { userNotFound: context.user === undefined } : {}),
    ...(context.clientMetadata ? { clientMetadata: context.clientMetadata } : {}),
  };
}

function session(context: ChallengeContext): ChallengeResult[] {
  return context.results.map((result) => ({ ...result }));
}

export function defineAuthChallengeEvent(context: ChallengeContext): TriggerEvent {
  return {
    ...base(context, 'DefineAuthChallenge_Authentication'),
    request: { ...common(context), session: session(context) },
    response: { challengeName: null, issueTokens: null, failAuthentication: null },
  };
}

export function createAuthChallengeEvent(context: ChallengeContext, challengeName: string): TriggerEvent {
  return {
    ...base(context, 'CreateAuthChallenge_Authentication'),
    request: { ...common(context), challengeName, session: session(context) },
    response: { publicChallengeParameters: null, privateChallengeParameters: null, challengeMetadata: null },
  };
}

export function verifyAuthChallengeEvent(
  context: ChallengeContext,
  privateChallengeParameters: Record<string, string>,
  challengeAnswer: string,
): TriggerEvent {
  return {
    ...base(context, 'VerifyAuthChallengeResponse_Authentication'),
    request: { ...common(context), privateChallengeParameters, challengeAnswer },
    // Powertools' schema (built from real events) types this as a boolean: prefilled false, never null.
    response: { answerCorrect: false },
  };
}
