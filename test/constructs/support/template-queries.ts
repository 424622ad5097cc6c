import { Match, Template } from 'aws-cdk-lib/assertions';

// Lookups in a synthesized template: functions by their description, their policies, API resources and models.

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
/** The trigger function of `trigger`, e.g. 'DefineAuthChallenge'. */
export const triggerFunction = (template: Template, trigger: string) => functionByDescription(template, `Cognito ${trigger} trigger`);
export const verifyFunction = (template: Template) => triggerFunction(template, 'VerifyAuthChallengeResponse');

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

/** The one method with this HTTP method in the whole API. */
export function onlyMethod(template: Template, httpMethod: string): any {
  const methods = Object.values(template.findResources('AWS::ApiGateway::Method', {
    Properties: { HttpMethod: httpMethod },
  })) as any[];
  expect(methods).toHaveLength(1);
  return methods[0];
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

/** The ARN of an SES resource (`identity/<domain>`, `configuration-set/<name>`) as the template joins it. */
export const sesArn = (resource: string) => ({
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ses:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, `:${resource}`]],
});
