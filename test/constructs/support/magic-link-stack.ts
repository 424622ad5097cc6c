import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as kms from 'aws-cdk-lib/aws-kms';
import { MagicLinkApi, MagicLinkApiProps, OtpChallengeTriggers, OtpChallengeTriggersProps } from '../../../src';

// Fixtures and template queries for the tests of MagicLinkApi's optional routes (sign-in, attributes).

export const EMAIL = { fromAddress: 'no-reply@example.com' };
export const SMS = { allowedCountryCallingCodes: ['1', '44'] };
export const REDIRECT_URLS = ['https://app.example.com/sign-in'];

export type Overrides = Partial<Omit<MagicLinkApiProps, 'userPool' | 'triggers'>>;

export interface Fixture {
  readonly stack: Stack;
  readonly userPool: cognito.UserPool;
  readonly userPoolClient: cognito.UserPoolClient;
  readonly triggers: OtpChallengeTriggers;
}

export type TriggerOverrides = Partial<OtpChallengeTriggersProps> | ((stack: Stack) => Partial<OtpChallengeTriggersProps>);

/** A stack with a user pool, a custom-auth client and email-code triggers attached to the pool. */
export function fixture(triggerProps: TriggerOverrides = {}): Fixture {
  const stack = new Stack(new App(), 'TestStack');
  const userPool = new cognito.UserPool(stack, 'Pool');
  const userPoolClient = userPool.addClient('Client', { authFlows: { custom: true }, generateSecret: false });
  const overrides = typeof triggerProps === 'function' ? triggerProps(stack) : triggerProps;
  const triggers = new OtpChallengeTriggers(stack, 'Triggers', { email: EMAIL, userPool, ...overrides });
  return { stack, userPool, userPoolClient, triggers };
}

/** A MagicLinkApi on the fixture, given the fixture's client. */
export function magicLinkApi(f: Fixture, overrides: Overrides = {}): MagicLinkApi {
  return new MagicLinkApi(f.stack, 'MagicLink', {
    userPool: f.userPool,
    triggers: f.triggers,
    userPoolClient: f.userPoolClient,
    redirectUrls: REDIRECT_URLS,
    email: EMAIL,
    ...overrides,
  });
}

export function synth(overrides: Overrides = {}, triggerProps: TriggerOverrides = {}): Template {
  const f = fixture(triggerProps);
  magicLinkApi(f, overrides);
  return Template.fromStack(f.stack);
}

export interface FoundFunction { readonly id: string; readonly properties: any }

/** The functions whose description matches `pattern`. */
export function functionsByDescription(template: Template, pattern: string): FoundFunction[] {
  return Object.entries(template.findResources('AWS::Lambda::Function', {
    Properties: { Description: Match.stringLikeRegexp(pattern) },
  })).map(([id, resource]) => ({ id, properties: resource.Properties }));
}

/** The one function whose description matches `pattern`. */
export function functionByDescription(template: Template, pattern: string): FoundFunction {
  const found = functionsByDescription(template, pattern);
  expect(found).toHaveLength(1);
  return found[0];
}

export const magicLinkFunction = (template: Template) => functionByDescription(template, 'MagicLinkApi handler');
export const signInFunction = (template: Template) => functionByDescription(template, 'SignInApi handler');
export const attributeFunction = (template: Template) => functionByDescription(template, 'AttributeApi handler');
export const verifyFunction = (template: Template) => functionByDescription(template, 'Cognito VerifyAuthChallengeResponse trigger');

/** Every statement of the policies attached to the function's role. */
export function policyStatementsOfFunction(template: Template, fn: FoundFunction): any[] {
  const roleId = fn.properties.Role['Fn::GetAtt'][0];
  const policies = Object.values(template.findResources('AWS::IAM::Policy', {
    Properties: { Roles: [{ Ref: roleId }] },
  }));
  return policies.flatMap((policy: any) => policy.Properties.PolicyDocument.Statement);
}

/** The logical ID of the one resource of `type`. */
export function logicalIdOf(template: Template, type: string): string {
  const ids = Object.keys(template.findResources(type));
  expect(ids).toHaveLength(1);
  return ids[0];
}

/** The logical ID of the one API resource with this path part. */
export function resourceIdOf(template: Template, pathPart: string): string {
  const ids = Object.keys(template.findResources('AWS::ApiGateway::Resource', { Properties: { PathPart: pathPart } }));
  expect(ids).toHaveLength(1);
  return ids[0];
}

/** The one method with this HTTP method on the API resource with this path part. */
export function methodOn(template: Template, pathPart: string, httpMethod: string): any {
  const methods = Object.values(template.findResources('AWS::ApiGateway::Method', {
    Properties: { HttpMethod: httpMethod, ResourceId: { Ref: resourceIdOf(template, pathPart) } },
  })) as any[];
  expect(methods).toHaveLength(1);
  return methods[0];
}

/** The logical ID of the model with this name (its schema title). */
export function modelIdOf(template: Template, title: string): string {
  const ids = Object.keys(template.findResources('AWS::ApiGateway::Model', {
    Properties: { Schema: Match.objectLike({ title }) },
  }));
  expect(ids).toHaveLength(1);
  return ids[0];
}

export const getAtt = (logicalId: string, attribute = 'Arn') => ({ 'Fn::GetAtt': [logicalId, attribute] });

/** Triggers whose state table is encrypted with a customer managed key `TableKey`. */
export const withTableKey = (stack: Stack): Partial<OtpChallengeTriggersProps> => ({
  stateTable: { encryptionKey: new kms.Key(stack, 'TableKey', { enableKeyRotation: true }) },
});

/** The logical ID of the customer managed table key of `withTableKey`. */
export function tableKeyIdOf(template: Template): string {
  return Object.keys(template.findResources('AWS::KMS::Key')).find((id) => id.startsWith('TableKey'))!;
}
