import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { ownRoleFunctionProps, grantStateTable, suppressDefaultRuntime } from './api-function';
import { addPostRoute, ApiRoutes } from './api-route';
import { smsEnvironment } from './delivery-environment';
import type { MagicLinkApiProps } from './magic-link-api';
import { MAGIC_LINK_DEFAULTS } from './magic-link-defaults';
import { SignInApiFunction } from './sign-in-api-function';
import { validateEnvironmentSize } from './trigger-validation';

/** The body of `POST /sign-in`: who signs in, and where the first code or link goes. */
const SIGN_IN_REQUEST_SCHEMA: apigateway.JsonSchema = {
  schema: apigateway.JsonSchemaVersion.DRAFT4,
  title: 'SignInRequest',
  type: apigateway.JsonSchemaType.OBJECT,
  required: ['identifier', 'channel'],
  additionalProperties: false,
  properties: {
    identifier: { type: apigateway.JsonSchemaType.STRING, minLength: 3, maxLength: 254 },
    channel: { type: apigateway.JsonSchemaType.STRING, enum: ['email', 'sms'] },
  },
};

/**
 * `POST /sign-in` and the function behind it, which starts a custom-auth sign-in with `userPoolClient` and first
 * creates the user when the email address or phone number has no account (`autoSignUp`).
 */
export function addSignInRoute(scope: Construct, routes: ApiRoutes, props: MagicLinkApiProps): lambda.Function {
  const { userPool, triggers } = props;
  const environment: Record<string, string> = {
    USER_POOL_ID: userPool.userPoolId,
    // Validation makes sure the client is there whenever this route is.
    CLIENT_ID: props.userPoolClient!.userPoolClientId,
    TABLE_NAME: triggers.table.tableName,
    METHODS: triggers.methods.join(','),
    ...(triggers.sms ? { SMS_ALLOWED_COUNTRY_CODES: smsEnvironment(triggers.sms).SMS_ALLOWED_COUNTRY_CODES } : {}),
    ALLOWED_ORIGINS: routes.allowedOrigins.join(','),
    MAX_REQUESTS_PER_IP_PER_MINUTE: String(props.maxRequestsPerIpPerMinute ?? MAGIC_LINK_DEFAULTS.maxRequestsPerIpPerMinute),
    MAX_BODY_BYTES: String(triggers.maxRequestBodyBytes),
    LOG_LEVEL: props.logLevel ?? triggers.logLevel,
  };
  validateEnvironmentSize(environment, 'the sign-in API function', 'allowedOrigins');

  const fn = new SignInApiFunction(scope, 'SignInFunction', {
    ...ownRoleFunctionProps(scope, 'SignInFunction', props.functionOptions),
    description: 'HTTP SignInApi handler: POST /sign-in starts a sign-in, creating unknown users (cdk-passwordless)',
    environment,
  });
  suppressDefaultRuntime(fn);
  // Exactly what the handler calls: look the user up, create a new one, and count requests per source IP.
  // InitiateAuth and RespondToAuthChallenge are public client calls that need no IAM permission.
  userPool.grant(fn, 'cognito-idp:AdminGetUser', 'cognito-idp:AdminCreateUser', 'cognito-idp:AdminSetUserPassword');
  grantStateTable(fn, triggers.table, 'dynamodb:UpdateItem');

  addPostRoute(routes, routes.api.root, 'sign-in', {
    schema: SIGN_IN_REQUEST_SCHEMA,
    handler: fn,
    allowHeaders: ['Content-Type'],
    publicBecause: {
      apig4: 'POST /sign-in is public by design: it is how a signed-out user starts signing in, and it gives new and existing users the same answer. It is throttled per stage and per source IP.',
      cog4: 'POST /sign-in is called by signed-out users, who have no Cognito token to present; a user pool authorizer would make the endpoint unusable. It answers new and existing users alike.',
    },
  });
  return fn;
}
