import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { definedValues } from './defined-values';
import { suppressNagRule } from './nag-suppressions';
import { DEFAULTS } from './trigger-defaults';
import { TriggerFunctionOptions } from './trigger-function-options';

/** What every function of the library is built from: sizing from the function options, an own role and log group. */
export interface OwnRoleFunctionProps {
  readonly runtime: lambda.Runtime;
  readonly memorySize: number;
  readonly architecture: lambda.Architecture;
  readonly timeout: Duration;
  readonly logGroup: logs.ILogGroup;
  readonly role: iam.Role;
}

/** The props of a function `<id>` (a trigger or an API function): log group `<id>Logs` and a role `<id>Role` that may write only to it. */
export function ownRoleFunctionProps(scope: Construct, id: string, functionOptions?: TriggerFunctionOptions): OwnRoleFunctionProps {
  const options = { ...DEFAULTS, ...definedValues(functionOptions ?? {}) };
  const logGroup = new logs.LogGroup(scope, `${id}Logs`, {
    retention: options.logRetention,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  // An own role that may write only to this log group, instead of AWSLambdaBasicExecutionRole's logs:* on *.
  const role = new iam.Role(scope, `${id}Role`, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  logGroup.grantWrite(role);
  return {
    runtime: options.runtime,
    memorySize: options.memorySize,
    architecture: options.architecture,
    timeout: options.timeout,
    logGroup,
    role,
  };
}

/** Records why the default runtime is fine (cdk-nag L1), unless the user picked another runtime, which nag then checks. */
export function suppressDefaultRuntime(fn: lambda.Function): void {
  if (fn.runtime === DEFAULTS.runtime) {
    suppressNagRule(fn, 'AwsSolutions-L1',
      'The default runtime is pinned to the Node.js version the bundled handler is built and tested for; choose another with functionOptions.runtime.');
  }
}

/** Grants `actions` on the state table and, when the table has a customer managed key, what DynamoDB needs of it. */
export function grantStateTable(fn: lambda.Function, table: dynamodb.ITable, ...actions: string[]): void {
  table.grant(fn, ...actions);
  const tableKey = table.encryptionKey;
  if (tableKey) {
    tableKey.grant(fn, 'kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*');
    suppressNagRule(fn.role!.node.findChild('DefaultPolicy'), 'AwsSolutions-IAM5',
      'kms:GenerateDataKey* is what DynamoDB needs on the table key to write encrypted items; the statement is scoped to that one key.',
      ['Action::kms:GenerateDataKey*']);
  }
}
