import { DeliveryError } from './delivery';
import { errorName, type Logger } from './log';

/** What the client reads when the verify trigger fails for any reason but a failed delivery (Cognito adds the period). */
export const SIGN_IN_UNAVAILABLE = 'Sign-in is unavailable; try again later';

/**
 * The error the verify trigger throws instead of `error`. Cognito puts its message in the client's
 * UserLambdaValidationException, so it is one of two fixed texts, never an AWS error's message (which may
 * name an address or a table), and it carries no cause. A failed delivery was logged where it happened.
 */
export function triggerFailure(error: unknown, log: Logger): Error {
  if (error instanceof DeliveryError) return new Error(error.message);
  log.error('verify auth challenge failed', { cause: errorName(error) });
  return new Error(SIGN_IN_UNAVAILABLE);
}
