import { CfnResource } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Records a cdk-nag rule suppression on a resource in the metadata format cdk-nag reads, so the library needs no
 * runtime dependency on cdk-nag; suppressions already present (for example from NagSuppressions) are kept.
 */
export function suppressNagRule(construct: IConstruct, id: string, reason: string, appliesTo?: string[]): void {
  const resource = construct instanceof CfnResource ? construct : construct.node.defaultChild;
  if (!(resource instanceof CfnResource)) {
    throw new Error(`Cannot record a cdk-nag suppression on ${construct.node.path}: it has no CloudFormation resource`);
  }
  const existing = resource.getMetadata('cdk_nag')?.rules_to_suppress ?? [];
  resource.addMetadata('cdk_nag', {
    rules_to_suppress: [...existing, { id, reason, ...(appliesTo ? { applies_to: appliesTo } : {}) }],
  });
}
