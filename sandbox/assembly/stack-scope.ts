import { CfnResource, StackTemplate } from './cloud-assembly';
import { localClientId, localKeyId, localPhysicalName, localRestApiId, localUserPoolId, partitionOf, urlSuffixOf } from './local-ids';
import { IntrinsicScope, resolveIntrinsics } from './resolve-intrinsics';

/**
 * One stack seen from the sandbox: its resources and the local names, IDs and ARNs they get, which is
 * what `Ref` and `Fn::GetAtt` resolve to.
 */
export class StackScope implements IntrinsicScope {
  readonly stackName: string;

  constructor(private readonly stack: StackTemplate, readonly region: string, readonly account: string) {
    this.stackName = stack.stackName;
  }

  /** The logical IDs and resources of the given type. */
  resourcesOfType(type: string): [string, CfnResource][] {
    return Object.entries(this.stack.template.Resources ?? {}).filter(([, resource]) => resource.Type === type);
  }

  resource(logicalId: string): CfnResource | undefined {
    return this.stack.template.Resources?.[logicalId];
  }

  /** `<stack>/<logicalId>`, unique in the app. */
  idOf(logicalId: string): string {
    return `${this.stackName}/${logicalId}`;
  }

  /** Resolves the intrinsic functions in a property of the resource `logicalId`. */
  resolve(value: unknown, logicalId: string): unknown {
    return resolveIntrinsics(value, this, logicalId);
  }

  /** A resolved string property, or `fallback` when the property is absent. */
  resolveString(value: unknown, logicalId: string, fallback: string): string {
    const resolved = this.resolve(value, logicalId);
    return resolved === undefined ? fallback : String(resolved);
  }

  /** An error about the resource `logicalId`, naming the stack and the resource. */
  error(logicalId: string, message: string): Error {
    return new Error(`Stack ${this.stackName}, resource ${logicalId}: ${message}`);
  }

  arn(service: string, resource: string): string {
    return `arn:${partitionOf(this.region)}:${service}:${this.region}:${this.account}:${resource}`;
  }

  ref(logicalId: string): unknown {
    const parameter = this.stack.template.Parameters?.[logicalId];
    if (parameter) return parameterValue(parameter);
    switch (this.resource(logicalId)?.Type) {
      case 'AWS::DynamoDB::Table': return this.tableName(logicalId);
      case 'AWS::KMS::Key': return localKeyId(this.stackName, logicalId);
      case 'AWS::Cognito::UserPool': return localUserPoolId(this.region, this.stackName, logicalId);
      case 'AWS::Cognito::UserPoolClient': return localClientId(this.stackName, logicalId);
      case 'AWS::Lambda::Function': return this.functionName(logicalId);
      case 'AWS::ApiGateway::RestApi': return localRestApiId(this.stackName, logicalId);
      default: return undefined;
    }
  }

  getAtt(logicalId: string, attribute: string): unknown {
    const type = this.resource(logicalId)?.Type;
    switch (`${type}.${attribute}`) {
      case 'AWS::DynamoDB::Table.Arn': return this.arn('dynamodb', `table/${this.tableName(logicalId)}`);
      case 'AWS::KMS::Key.Arn': return this.arn('kms', `key/${localKeyId(this.stackName, logicalId)}`);
      case 'AWS::KMS::Key.KeyId': return localKeyId(this.stackName, logicalId);
      case 'AWS::Cognito::UserPool.Arn': return this.arn('cognito-idp', `userpool/${this.ref(logicalId)}`);
      case 'AWS::Cognito::UserPool.UserPoolId': return this.ref(logicalId);
      case 'AWS::Cognito::UserPool.ProviderName': return `cognito-idp.${this.region}.${urlSuffixOf(this.region)}/${this.ref(logicalId)}`;
      case 'AWS::Cognito::UserPool.ProviderURL': return `https://cognito-idp.${this.region}.${urlSuffixOf(this.region)}/${this.ref(logicalId)}`;
      case 'AWS::Cognito::UserPoolClient.ClientId': return localClientId(this.stackName, logicalId);
      case 'AWS::Lambda::Function.Arn': return this.arn('lambda', `function:${this.functionName(logicalId)}`);
      default: return undefined;
    }
  }

  describe(logicalId: string): string {
    const resource = this.resource(logicalId);
    return resource ? `${resource.Type} ${logicalId}` : `${logicalId} (not a resource of the stack)`;
  }

  /** The `TableName`, or the name CloudFormation would generate. */
  tableName(logicalId: string): string {
    return this.resolveString(this.resource(logicalId)?.Properties?.TableName, logicalId, localPhysicalName(this.stackName, logicalId));
  }

  /** The `FunctionName`, or the name CloudFormation would generate. */
  functionName(logicalId: string): string {
    return this.resolveString(this.resource(logicalId)?.Properties?.FunctionName, logicalId, localPhysicalName(this.stackName, logicalId));
  }
}

/** A parameter's default; SSM-backed parameters have no local value. */
function parameterValue(parameter: { readonly Type?: string; readonly Default?: unknown }): unknown {
  const type = parameter.Type ?? 'String';
  if (parameter.Default === undefined || type.startsWith('AWS::SSM::Parameter::Value')) return undefined;
  if (type === 'CommaDelimitedList' || type.startsWith('List<')) return String(parameter.Default).split(',');
  return parameter.Default;
}
