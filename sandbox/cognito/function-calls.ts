import type { IncomingMessage } from 'node:http';
import { CognitoError } from './errors';
import type { FaultInjectable } from '../backends/backend';
import { type InjectedError, OperationGate } from '../backends/operation-gate';
import { SANDBOX_CREDENTIALS } from '../lambda/function-environment';

/** The functions sign with the sandbox's credentials; clients (tests, the demo page) never do. */
const FUNCTION_CREDENTIAL = `Credential=${SANDBOX_CREDENTIALS.AWS_ACCESS_KEY_ID}/`;
/** What the SDK adds to its user agent inside Lambda, where AWS_EXECUTION_ENV is set (the sandbox sets it too). */
const LAMBDA_USER_AGENT = 'exec-env/AWS_Lambda_';

/**
 * Whether a Cognito request comes from one of the app's functions: by the access key in its signature, or, for the
 * operations the SDK does not sign (InitiateAuth, RespondToAuthChallenge, GetUser...), by its user agent.
 */
export function isFunctionCall(request: IncomingMessage): boolean {
  const { authorization, 'user-agent': userAgent, 'x-amz-user-agent': amzUserAgent } = request.headers;
  return String(authorization ?? '').includes(FUNCTION_CREDENTIAL)
    || `${userAgent ?? ''} ${amzUserAgent ?? ''}`.includes(LAMBDA_USER_AGENT);
}

/**
 * The Cognito calls the app's functions make (AdminGetUser, InitiateAuth, GetUser...): counted by operation,
 * and failed on purpose for tests of error handling. A client's calls pass untouched and uncounted.
 */
export class FunctionCognitoCalls implements FaultInjectable {
  private readonly gate = new OperationGate();

  /** Counts a function's call; throws the injected error (answered in Cognito's error format), if any. */
  enter(operation: string, request: IncomingMessage): void {
    if (!isFunctionCall(request)) return;
    const fault = this.gate.enter(operation);
    if (fault) throw new CognitoError(fault.code, fault.message, fault.status ?? 400);
  }

  failNext(operation: string, error: InjectedError, times?: number, after?: number): void {
    this.gate.failNext(operation, error, times, after);
  }

  /** Calls per operation, failed ones included, e.g. `{ AdminGetUser: 2 }`. */
  calls(): Record<string, number> {
    return this.gate.calls();
  }
}
