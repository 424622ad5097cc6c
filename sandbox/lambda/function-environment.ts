import * as os from 'node:os';
import { FunctionModel } from '../model';

/** Credentials the functions sign their AWS calls with: accepted by the local backends, useless anywhere else. */
export const SANDBOX_CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'ASIASANDBOXLOCAL0000',
  AWS_SECRET_ACCESS_KEY: 'sandbox-secret-access-key-not-a-real-one',
  AWS_SESSION_TOKEN: 'sandbox-session-token',
};

/**
 * The whole environment of a function's worker: the template's variables, the variables the Lambda runtime
 * sets, dummy credentials, then `extraEnv` (the sandbox's endpoints and overrides). Nothing comes from the
 * sandbox's own process.env, so the developer's AWS credentials, profile or region never reach a handler;
 * the SDK's config files point to the null device so that ~/.aws is not read either.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime
 */
export function functionEnvironment(fn: FunctionModel, logStreamName: string, extraEnv: Record<string, string>): Record<string, string> {
  const region = fn.arn.split(':')[3];
  return {
    ...fn.environment,
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime}`,
    AWS_LAMBDA_FUNCTION_NAME: fn.name,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memoryMb),
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_LOG_GROUP_NAME: logGroupName(fn),
    AWS_LAMBDA_LOG_STREAM_NAME: logStreamName,
    LAMBDA_TASK_ROOT: fn.codeDir,
    _HANDLER: fn.handler,
    ...SANDBOX_CREDENTIALS,
    AWS_CONFIG_FILE: os.devNull,
    AWS_SHARED_CREDENTIALS_FILE: os.devNull,
    AWS_EC2_METADATA_DISABLED: 'true',
    ...extraEnv,
  };
}

export function logGroupName(fn: FunctionModel): string {
  return `/aws/lambda/${fn.name}`;
}
