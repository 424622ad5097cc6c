// Several execution environments of the real VerifyAuthChallengeResponse bundle, running at the same time.
//
// The sandbox runs each function like one Lambda execution environment: one invocation at a time, the others
// queued. So requests a test sends in parallel reach Verify one after another, and a check-then-write race
// between two invocations could never show there. In AWS, concurrent answers run in separate environments at
// once; these containers do the same, with the sandbox's own function model, environment and backends, so their
// conditional writes race on the one state item for real.
import type { VerifyAuthChallengeResponseTriggerEvent } from 'aws-lambda';
import { MOST_VERBOSE_LOG_LEVEL, type SecurityContext } from './security-sandbox';
import type { LocalBackend } from '../../../sandbox/backends/backend';
import { FunctionRunner } from '../../../sandbox/lambda/function-runner';
import type { Sandbox } from '../../../sandbox/start';
import { TRIGGER_TIMEOUT_MS, type TriggerCall } from '../../../sandbox/trigger-invoker';

/** The Verify events the sandbox's Cognito sent, newest last (fed by `onTriggerCall`). */
export class VerifyEvents {
  private readonly events: VerifyAuthChallengeResponseTriggerEvent[] = [];

  /** Pass as the sandbox's `onTriggerCall`. */
  readonly record = (call: TriggerCall): void => {
    if (call.trigger === 'VerifyAuthChallengeResponse') this.events.push(structuredClone(call.event) as unknown as VerifyAuthChallengeResponseTriggerEvent);
  };

  /** The newest Verify event of `username`: the template of events for its state item. */
  latestOf(username: string): VerifyAuthChallengeResponseTriggerEvent {
    const event = this.events.filter((candidate) => candidate.userName === username).pop();
    if (!event) throw new Error('Cognito sent no Verify event for the user');
    return event;
  }
}

/** `template` with another answer, challenge and ClientMetadata, and a fresh response. */
export function answerEvent(
  template: VerifyAuthChallengeResponseTriggerEvent,
  challenge: string,
  answer: string,
  clientMetadata?: Record<string, string>,
): VerifyAuthChallengeResponseTriggerEvent {
  const event = structuredClone(template);
  event.request.privateChallengeParameters = { challenge };
  event.request.challengeAnswer = answer;
  if (clientMetadata) event.request.clientMetadata = clientMetadata;
  else delete event.request.clientMetadata;
  event.response = { answerCorrect: false };
  return event;
}

export interface VerifyContainers {
  /**
   * Sends every event at once, spread over the containers (event i to container i mod count), and resolves to
   * each invocation's `answerCorrect`, in the order of `events`.
   */
  answerAll(events: readonly VerifyAuthChallengeResponseTriggerEvent[]): Promise<boolean[]>;
  stop(): Promise<void>;
}

/**
 * Starts `count` warm Verify containers with the environment the sandbox gives its own (the template's, the local
 * endpoints, `functionEnvironment`, the most verbose log level); their log lines go to `context.logs`, so the
 * harness scans them for secrets like every other line.
 */
export async function startVerifyContainers(
  context: SecurityContext,
  count: number,
  functionEnvironment: Record<string, string>,
): Promise<VerifyContainers> {
  const { sandbox } = context;
  const pool = sandbox.app.userPools.find((candidate) => candidate.userPoolId === sandbox.info.userPoolId);
  const fn = pool?.triggers.VerifyAuthChallengeResponse;
  if (!fn) throw new Error('The sandbox pool has no VerifyAuthChallengeResponse trigger');
  const extraEnv = { ...localEndpoints(sandbox), ...functionEnvironment, LOG_LEVEL: MOST_VERBOSE_LOG_LEVEL };
  const runners = Array.from({ length: count }, () => new FunctionRunner(fn, {
    extraEnv,
    timeoutMs: TRIGGER_TIMEOUT_MS,
    onLog: (line) => context.logs.push(`${fn.name} ${line}`),
  }));
  const invoke = async (runner: FunctionRunner, event: VerifyAuthChallengeResponseTriggerEvent) => {
    const result = (await runner.invoke(event)) as VerifyAuthChallengeResponseTriggerEvent;
    return result.response.answerCorrect === true;
  };
  // Warm: load the bundle and the SDK in every container first, so that cold starts do not spread the race out.
  // The warm-up answers a code for a name that belongs to nobody: it touches no user's state.
  const warmUp = (index: number) => ({
    version: '1',
    region: sandbox.info.region,
    userPoolId: sandbox.info.userPoolId,
    userName: `warm-up-${index}`,
    callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: sandbox.info.userPoolClientId },
    triggerSource: 'VerifyAuthChallengeResponse_Authentication',
    request: { userAttributes: {}, privateChallengeParameters: { challenge: 'CODE' }, challengeAnswer: 'warm-up', userNotFound: true },
    response: { answerCorrect: false },
  }) as unknown as VerifyAuthChallengeResponseTriggerEvent;
  try {
    expect(await Promise.all(runners.map((runner, index) => invoke(runner, warmUp(index))))).toEqual(Array(count).fill(false));
  } catch (error) {
    await Promise.all(runners.map((runner) => runner.stop()));
    throw error;
  }
  return {
    answerAll: (events) => Promise.all(events.map((event, index) => invoke(runners[index % count], event))),
    stop: async () => {
      await Promise.all(runners.map((runner) => runner.stop()));
    },
  };
}

/**
 * The endpoints the sandbox gives its functions. Its `faults` are the local backends themselves, which know where
 * they listen; the Cognito endpoint is the sandbox's own.
 */
function localEndpoints(sandbox: Sandbox): Record<string, string> {
  const backends = sandbox.faults as unknown as Record<'dynamodb' | 'ses' | 'sns' | 'kms', Partial<LocalBackend>>;
  const endpoint = (name: keyof typeof backends) => {
    const url = backends[name]?.endpoint;
    if (!url) throw new Error(`The sandbox does not say where its ${name} backend listens`);
    return url;
  };
  return {
    AWS_ENDPOINT_URL_DYNAMODB: endpoint('dynamodb'),
    AWS_ENDPOINT_URL_SESV2: endpoint('ses'),
    AWS_ENDPOINT_URL_SNS: endpoint('sns'),
    AWS_ENDPOINT_URL_KMS: endpoint('kms'),
    AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: sandbox.info.cognitoEndpoint,
  };
}
