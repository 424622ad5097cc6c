import { Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Overrides, synth, tableKeyIdOf, withTableKey } from './support/magic-link-stack';
import { attributeFunction, FoundFunction, getAtt, magicLinkFunction, policyStatementsOfFunction, signInFunction } from './support/template-queries';

/** Each function of MagicLinkApi: the props that add it, how to find it, and its construct ID (the prefix of its role and log group). */
const FUNCTIONS: [string, Overrides, (template: Template) => FoundFunction, string][] = [
  ['the magic-link function', {}, magicLinkFunction, 'MagicLinkFunction'],
  ['the sign-in function', { autoSignUp: true }, signInFunction, 'MagicLinkSignInFunction'],
  ['the attribute function', { attributeUpdates: true }, attributeFunction, 'MagicLinkAttributeFunction'],
];

describe.each(FUNCTIONS)('MagicLinkApi %s', (_name, enabledBy, functionOf, id) => {
  test('defaults to Node.js 22 on arm64 with 256 MB and a 5 second timeout, logging to its own log group', () => {
    // Given / When
    const template = synth(enabledBy);

    // Then
    const fn = functionOf(template);
    expect(fn.properties).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'], MemorySize: 256, Timeout: 5, Handler: 'index.handler' });
    const logGroupId = fn.properties.LoggingConfig.LogGroup.Ref;
    expect(logGroupId).toMatch(new RegExp(`^${id}Logs`));
    expect(template.toJSON().Resources[logGroupId]).toMatchObject({ Properties: { RetentionInDays: 30 }, DeletionPolicy: 'Delete' });
  });

  test('takes runtime, memory, architecture, timeout and log retention from functionOptions', () => {
    // Given / When
    const template = synth({
      ...enabledBy,
      functionOptions: {
        runtime: lambda.Runtime.NODEJS_20_X,
        memorySize: 512,
        architecture: lambda.Architecture.X86_64,
        timeout: Duration.seconds(10),
        logRetention: logs.RetentionDays.ONE_WEEK,
      },
    });

    // Then
    const fn = functionOf(template);
    expect(fn.properties).toMatchObject({ Runtime: 'nodejs20.x', Architectures: ['x86_64'], MemorySize: 512, Timeout: 10 });
    expect(template.toJSON().Resources[fn.properties.LoggingConfig.LogGroup.Ref].Properties.RetentionInDays).toBe(7);
  });

  test('has its own role with no managed policy', () => {
    // Given / When
    const template = synth(enabledBy);

    // Then
    const roleId = functionOf(template).properties.Role['Fn::GetAtt'][0];
    expect(roleId).toMatch(new RegExp(`^${id}Role`));
    const role = template.toJSON().Resources[roleId];
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } },
    ]);
  });

  test('with a customer managed table key, may also use that key for DynamoDB', () => {
    // Given / When
    const template = synth(enabledBy, withTableKey);

    // Then
    expect(policyStatementsOfFunction(template, functionOf(template))).toContainEqual({
      Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*'],
      Effect: 'Allow',
      Resource: getAtt(tableKeyIdOf(template)),
    });
  });
});
