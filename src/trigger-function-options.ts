import { Duration } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';

/**
 * Settings of a Cognito challenge trigger function.
 */
export interface TriggerFunctionOptions {
  /**
   * The Node.js runtime of the function.
   * @default lambda.Runtime.NODEJS_22_X
   * @see https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html
   */
  readonly runtime?: lambda.Runtime;

  /**
   * Memory of the function in MB, from 128 to 10240; CPU grows with it.
   * @default 256
   * @see https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html
   */
  readonly memorySize?: number;

  /**
   * Instruction set architecture of the function.
   * @default lambda.Architecture.ARM_64
   */
  readonly architecture?: lambda.Architecture;

  /**
   * Timeout of the function, from 1 to 5 seconds: Cognito waits at most 5 seconds for a trigger.
   * @default Duration.seconds(5)
   * @see https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-working-with-lambda-triggers.html
   */
  readonly timeout?: Duration;

  /**
   * Retention of the function's log group, which the construct creates and deletes with the stack.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
}
