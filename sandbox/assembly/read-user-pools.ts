import { FunctionModel, PoolModel, TriggerName } from '../model';
import { readClients } from './read-clients';
import { StackFunctions } from './read-functions';
import { StackScope } from './stack-scope';
import { asBoolean, asStrings } from './template-values';

const TRIGGERS: TriggerName[] = [
  'DefineAuthChallenge', 'CreateAuthChallenge', 'VerifyAuthChallengeResponse', 'PreSignUp', 'PostConfirmation',
  'PreAuthentication', 'PostAuthentication', 'PreTokenGeneration', 'CustomMessage',
];

/** The challenge triggers that this library's functions provide, marked in their `Description`. */
const OUR_TRIGGERS: TriggerName[] = ['DefineAuthChallenge', 'CreateAuthChallenge', 'VerifyAuthChallengeResponse'];
const OUR_MARK = '(cdk-passwordless)';

/** Attributes every pool has; any other name in `Schema` is a custom attribute. */
const STANDARD_ATTRIBUTES = new Set([
  'address', 'birthdate', 'email', 'email_verified', 'family_name', 'gender', 'given_name', 'identities', 'locale',
  'middle_name', 'name', 'nickname', 'phone_number', 'phone_number_verified', 'picture', 'preferred_username',
  'profile', 'sub', 'updated_at', 'website', 'zoneinfo',
]);

/**
 * The user pools of a stack with their clients and triggers, with Cognito's defaults where the template sets nothing.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-cognito-userpool.html
 */
export function readUserPools(scope: StackScope, functions: StackFunctions): PoolModel[] {
  return scope.resourcesOfType('AWS::Cognito::UserPool').map(([logicalId, resource]) => {
    const properties = resource.Properties ?? {};
    const resolve = (value: unknown): any => scope.resolve(value, logicalId);
    const userPoolId = String(scope.ref(logicalId));
    const triggers = readTriggers(scope, functions, logicalId, properties.LambdaConfig ?? {});
    return {
      id: scope.idOf(logicalId),
      userPoolId,
      arn: String(scope.getAtt(logicalId, 'Arn')),
      usernameAttributes: asStrings(resolve(properties.UsernameAttributes)),
      aliasAttributes: asStrings(resolve(properties.AliasAttributes)),
      autoVerifiedAttributes: asStrings(resolve(properties.AutoVerifiedAttributes)),
      // Without UsernameConfiguration, CloudFormation creates a case-sensitive pool.
      caseSensitiveUsernames: asBoolean(resolve(properties.UsernameConfiguration)?.CaseSensitive, true),
      attributesRequireVerificationBeforeUpdate: asStrings(
        resolve(properties.UserAttributeUpdateSettings)?.AttributesRequireVerificationBeforeUpdate),
      allowAdminCreateUserOnly: asBoolean(resolve(properties.AdminCreateUserConfig)?.AllowAdminCreateUserOnly, false),
      customAttributes: customAttributes(resolve(properties.Schema)),
      triggers,
      clients: readClients(scope, userPoolId),
      usesOurTriggers: OUR_TRIGGERS.every((name) => {
        const fn = triggers[name];
        return fn !== undefined && functions.description(functions.logicalIdOf(fn)).includes(OUR_MARK);
      }),
    };
  });
}

/** Each trigger's function, found by the ARN its `LambdaConfig` entry resolves to. */
function readTriggers(
  scope: StackScope, functions: StackFunctions, logicalId: string, lambdaConfig: Record<string, unknown>,
): Partial<Record<TriggerName, FunctionModel>> {
  const triggers: Partial<Record<TriggerName, FunctionModel>> = {};
  for (const name of TRIGGERS) {
    if (lambdaConfig[name] === undefined) continue;
    const arn = String(scope.resolve(lambdaConfig[name], logicalId));
    const fn = functions.findByArn(arn);
    if (!fn) throw scope.error(logicalId, `its ${name} trigger ${arn} is not a function of the stack`);
    triggers[name] = fn;
  }
  return triggers;
}

function customAttributes(schema: unknown): string[] {
  const names = Array.isArray(schema) ? schema.map((attribute) => String(attribute.Name)) : [];
  return names.filter((name) => !STANDARD_ATTRIBUTES.has(name)).map((name) => (name.startsWith('custom:') ? name : `custom:${name}`));
}
