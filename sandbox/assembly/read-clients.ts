import { ClientModel } from '../model';
import { localClientId } from './local-ids';
import { StackScope } from './stack-scope';
import { asBoolean, asNumber, asStrings } from './template-values';

/** The flows of a client that sets no `ExplicitAuthFlows`. */
const DEFAULT_AUTH_FLOWS = ['ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_CUSTOM_AUTH'];

const SECONDS_PER_UNIT: Record<string, number> = { seconds: 1, minutes: 60, hours: 3600, days: 86400 };

/**
 * The app clients of the pool `userPoolId` in a stack, with Cognito's defaults where the template sets nothing.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-cognito-userpoolclient.html
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateUserPoolClient.html
 */
export function readClients(scope: StackScope, userPoolId: string): ClientModel[] {
  return scope.resourcesOfType('AWS::Cognito::UserPoolClient')
    .filter(([logicalId, resource]) => scope.resolve(resource.Properties?.UserPoolId, logicalId) === userPoolId)
    .map(([logicalId, resource]) => {
      const properties = resource.Properties ?? {};
      const resolve = (value: unknown): any => scope.resolve(value, logicalId);
      const units = resolve(properties.TokenValidityUnits) ?? {};
      const explicitAuthFlows = resolve(properties.ExplicitAuthFlows);
      return {
        id: scope.idOf(logicalId),
        clientId: localClientId(scope.stackName, logicalId),
        name: scope.resolveString(properties.ClientName, logicalId, logicalId),
        explicitAuthFlows: explicitAuthFlows === undefined ? DEFAULT_AUTH_FLOWS : asStrings(explicitAuthFlows),
        // CloudFormation's default is LEGACY: existence errors are not hidden.
        preventUserExistenceErrors: resolve(properties.PreventUserExistenceErrors) === 'ENABLED',
        authSessionValiditySeconds: asNumber(resolve(properties.AuthSessionValidity), 3) * 60,
        accessTokenValiditySeconds: validity(resolve(properties.AccessTokenValidity), units.AccessToken ?? 'hours', 3600),
        idTokenValiditySeconds: validity(resolve(properties.IdTokenValidity), units.IdToken ?? 'hours', 3600),
        refreshTokenValiditySeconds: validity(resolve(properties.RefreshTokenValidity), units.RefreshToken ?? 'days', 30 * 86400),
        enableTokenRevocation: asBoolean(resolve(properties.EnableTokenRevocation), true),
        refreshTokenRotation: (resolve(properties.RefreshTokenRotation) as { Feature?: string } | undefined)?.Feature === 'ENABLED',
        readAttributes: asStrings(resolve(properties.ReadAttributes)),
        writeAttributes: asStrings(resolve(properties.WriteAttributes)),
        callbackUrls: asStrings(resolve(properties.CallbackURLs)),
        hasSecret: asBoolean(resolve(properties.GenerateSecret), false),
      };
    });
}

/** A token validity in seconds: the value in its unit, or the default when the template sets no value. */
function validity(value: unknown, unit: string, defaultSeconds: number): number {
  return value === undefined ? defaultSeconds : asNumber(value, 0) * SECONDS_PER_UNIT[unit];
}
