import { CognitoError } from './cognito/errors';
import type { TriggerEvent, TriggerInvoker } from './cognito/trigger-events';
import { FunctionError } from './lambda/function-runner';
import type { FunctionModel, PoolModel, TriggerName } from './model';
import type { TriggerRetries } from './trigger-retries';

/** Cognito waits 5 seconds for a trigger. */
export const TRIGGER_TIMEOUT_MS = 5000;

export interface TriggerCall {
  readonly pool: PoolModel;
  readonly trigger: TriggerName;
  readonly event: TriggerEvent;
  /** The event as the function returned it, when it succeeded. */
  readonly result?: TriggerEvent;
  /** This invocation was retried (see `TriggerRetries`): Cognito threw its result or error away. */
  readonly discarded?: boolean;
}

/**
 * Invokes a pool's trigger function and turns its failures into the errors Cognito answers:
 * a throw becomes UserLambdaValidationException, a timeout UnexpectedLambdaException, bad output
 * InvalidLambdaResponseException. An invocation `retries` names runs twice with the same event, and only
 * the second one counts, as when Cognito retries a trigger that timed out.
 */
export function triggerInvoker(
  invoke: (fn: FunctionModel, event: unknown) => Promise<unknown>,
  onCall?: (call: TriggerCall) => void,
  retries?: TriggerRetries,
): TriggerInvoker {
  const run = async (pool: PoolModel, trigger: TriggerName, fn: FunctionModel, event: TriggerEvent, discarded: boolean) => {
    const report = (result?: TriggerEvent) => onCall?.({ pool, trigger, event, ...result && { result }, ...discarded && { discarded } });
    let output: unknown;
    try {
      output = await invoke(fn, structuredClone(event));
    } catch (error) {
      report();
      throw cognitoErrorOf(trigger, error);
    }
    if (typeof output !== 'object' || output === null || typeof (output as TriggerEvent).response !== 'object' || (output as TriggerEvent).response === null) {
      report();
      throw new CognitoError('InvalidLambdaResponseException', 'Unrecognizable lambda output');
    }
    report(output as TriggerEvent);
    return output as TriggerEvent;
  };
  return async (pool, trigger, event) => {
    const fn = pool.triggers[trigger];
    if (!fn) throw new CognitoError('InvalidParameterException', 'Custom auth lambda trigger is not configured for the user pool.');
    // The first invocation does its work; what it returns or throws is lost, as after a timeout.
    if (retries?.take(trigger)) await run(pool, trigger, fn, event, true).catch(() => undefined);
    return run(pool, trigger, fn, event, false);
  };
}

function cognitoErrorOf(trigger: TriggerName, error: unknown): CognitoError {
  if (error instanceof FunctionError && error.kind === 'timeout') {
    return new CognitoError('UnexpectedLambdaException', `${trigger} invocation failed due to error Socket timeout while invoking Lambda function.`);
  }
  if (error instanceof FunctionError && error.kind === 'handler') {
    return new CognitoError('UserLambdaValidationException', `${trigger} failed with error ${error.errorMessage}.`);
  }
  const message = error instanceof Error ? error.message : String(error);
  return new CognitoError('UnexpectedLambdaException', `${trigger} invocation failed due to error ${message}.`);
}
