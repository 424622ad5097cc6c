import { CognitoError } from './cognito/errors';
import type { TriggerEvent, TriggerInvoker } from './cognito/trigger-events';
import { FunctionError } from './lambda/function-runner';
import type { FunctionModel, PoolModel, TriggerName } from './model';

/** Cognito waits 5 seconds for a trigger. */
export const TRIGGER_TIMEOUT_MS = 5000;

export interface TriggerCall {
  readonly pool: PoolModel;
  readonly trigger: TriggerName;
  readonly event: TriggerEvent;
  /** The event as the function returned it, when it succeeded. */
  readonly result?: TriggerEvent;
}

/**
 * Invokes a pool's trigger function and turns its failures into the errors Cognito answers:
 * a throw becomes UserLambdaValidationException, a timeout UnexpectedLambdaException, bad output
 * InvalidLambdaResponseException.
 */
export function triggerInvoker(
  invoke: (fn: FunctionModel, event: unknown) => Promise<unknown>,
  onCall?: (call: TriggerCall) => void,
): TriggerInvoker {
  return async (pool, trigger, event) => {
    const fn = pool.triggers[trigger];
    if (!fn) throw new CognitoError('InvalidParameterException', 'Custom auth lambda trigger is not configured for the user pool.');
    let output: unknown;
    try {
      output = await invoke(fn, structuredClone(event));
    } catch (error) {
      onCall?.({ pool, trigger, event });
      throw cognitoErrorOf(trigger, error);
    }
    if (typeof output !== 'object' || output === null || typeof (output as TriggerEvent).response !== 'object' || (output as TriggerEvent).response === null) {
      onCall?.({ pool, trigger, event });
      throw new CognitoError('InvalidLambdaResponseException', 'Unrecognizable lambda output');
    }
    onCall?.({ pool, trigger, event, result: output as TriggerEvent });
    return output as TriggerEvent;
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
