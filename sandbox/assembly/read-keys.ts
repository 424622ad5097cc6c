import { KeyModel } from '../model';
import { localKeyId } from './local-ids';
import { StackScope } from './stack-scope';

/**
 * The KMS keys of a stack, with their local key IDs.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-kms-key.html
 */
export function readKeys(scope: StackScope): KeyModel[] {
  return scope.resourcesOfType('AWS::KMS::Key').map(([logicalId, resource]) => ({
    id: scope.idOf(logicalId),
    keyId: localKeyId(scope.stackName, logicalId),
    arn: String(scope.getAtt(logicalId, 'Arn')),
    keySpec: scope.resolveString(resource.Properties?.KeySpec, logicalId, 'SYMMETRIC_DEFAULT'),
    keyUsage: scope.resolveString(resource.Properties?.KeyUsage, logicalId, 'ENCRYPT_DECRYPT'),
  }));
}
