import { Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { ownRoleFunctionProps, grantStateTable, suppressDefaultRuntime } from './api-function';
import { addPostRoute, ApiRoutes } from './api-route';
import { AttributeApiFunction } from './attribute-api-function';
import { emailEnvironment, sesResources, smsEnvironment } from './delivery-environment';
import type { MagicLinkApiProps } from './magic-link-api';
import { MAGIC_LINK_DEFAULTS } from './magic-link-defaults';
import { suppressNagRule } from './nag-suppressions';
import { validateEnvironmentSize } from './trigger-validation';

const STRING = apigateway.JsonSchemaType.STRING;

/** The body of `POST /attributes`: at least one attribute to add or change. */
const ATTRIBUTES_REQUEST_SCHEMA: apigateway.JsonSchema = {
  schema: apigateway.JsonSchemaVersion.DRAFT4,
  title: 'AttributesRequest',
  type: apigateway.JsonSchemaType.OBJECT,
  additionalProperties: false,
  minProperties: 1,
  properties: {
    email: { type: STRING, minLength: 3, maxLength: 254 },
    phoneNumber: { type: STRING, minLength: 2, maxLength: 20 },
    givenName: { type: STRING, minLength: 1, maxLength: 256 },
    familyName: { type: STRING, minLength: 1, maxLength: 256 },
  },
};

/** The body of `POST /attributes/verify`: the new email address or phone number and the code sent to it. */
const ATTRIBUTES_VERIFY_REQUEST_SCHEMA: apigateway.JsonSchema = {
  schema: apigateway.JsonSchemaVersion.DRAFT4,
  title: 'AttributesVerifyRequest',
  type: apigateway.JsonSchemaType.OBJECT,
  required: ['code'],
  additionalProperties: false,
  properties: {
    email: { type: STRING, minLength: 3, maxLength: 254 },
    phoneNumber: { type: STRING, minLength: 2, maxLength: 20 },
    code: { type: STRING, minLength: 1, maxLength: 64 },
  },
};

/** Why the attribute routes have no API Gateway authorizer. */
const AUTHENTICATED_BY_HANDLER = {
  apig4: 'The attribute routes are authenticated by the handler, not API Gateway: it calls Cognito GetUser with the access token from "Authorization: Bearer <token>" before anything else, which also refuses revoked tokens, unlike an API Gateway Cognito authorizer. They are throttled per stage and per source IP.',
  cog4: 'A Cognito user pool authorizer only checks the token signature and expiry, so it would accept revoked access tokens; the handler instead checks every token with Cognito GetUser, which honours revocation.',
};

/**
 * `POST /attributes` and `POST /attributes/verify` and the function behind them, which let a signed-in user change
 * their email address or phone number (verified by a code sent to the new value) and their names.
 */
export function addAttributeRoutes(scope: Construct, routes: ApiRoutes, props: MagicLinkApiProps): lambda.Function {
  const { userPool, triggers, email } = props;
  const environment: Record<string, string> = {
    USER_POOL_ID: userPool.userPoolId,
    TABLE_NAME: triggers.table.tableName,
    METHODS: triggers.methods.join(','),
    CODE_LENGTH: String(triggers.codeLength),
    CODE_TTL_SECONDS: String(triggers.codeLifetime.toSeconds()),
    MAX_ATTEMPTS: String(triggers.maxAttemptsPerCode),
    SEND_COOLDOWN_SECONDS: String(triggers.sendCooldown.toSeconds()),
    MAX_SENDS_PER_HOUR: String(triggers.maxSendsPerHour),
    MAX_FAILURES: String(triggers.maxFailuresPerIdentifier),
    FAILURE_WINDOW_SECONDS: String(triggers.failureWindow.toSeconds()),
    ...emailEnvironment({
      fromAddress: email.fromAddress,
      configurationSetName: email.configurationSetName,
      subject: MAGIC_LINK_DEFAULTS.verificationEmailSubject,
      textBody: MAGIC_LINK_DEFAULTS.verificationEmailTextBody,
    }),
    ...(triggers.sms ? { ...smsEnvironment(triggers.sms), SMS_MESSAGE: MAGIC_LINK_DEFAULTS.verificationSmsMessage } : {}),
    ALLOWED_ORIGINS: routes.allowedOrigins.join(','),
    MAX_REQUESTS_PER_IP_PER_MINUTE: String(props.maxRequestsPerIpPerMinute ?? MAGIC_LINK_DEFAULTS.maxRequestsPerIpPerMinute),
    MAX_BODY_BYTES: String(triggers.maxRequestBodyBytes),
    LOG_LEVEL: props.logLevel ?? triggers.logLevel,
  };
  validateEnvironmentSize(environment, 'the attribute API function', 'allowedOrigins');

  const fn = new AttributeApiFunction(scope, 'AttributeFunction', {
    ...ownRoleFunctionProps(scope, 'AttributeFunction', props.functionOptions),
    description: 'HTTP AttributeApi handler: POST /attributes and /attributes/verify change email, phone number and names (cdk-passwordless)',
    environment,
  });
  suppressDefaultRuntime(fn);
  // Exactly what the handler calls: read and change the user, keep code and rate-limit state, send the code.
  // GetUser with the caller's access token is authorized by the token and needs no IAM permission.
  userPool.grant(fn, 'cognito-idp:AdminGetUser', 'cognito-idp:AdminUpdateUserAttributes', 'cognito-idp:AdminDeleteUser');
  grantStateTable(fn, triggers.table, 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem');
  fn.addToRolePolicy(new iam.PolicyStatement({
    actions: ['ses:SendEmail'],
    resources: sesResources(Stack.of(scope), email),
  }));
  if (triggers.sms) {
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['sns:Publish'], resources: ['*'] }));
    suppressNagRule(fn.role!.node.findChild('DefaultPolicy'), 'AwsSolutions-IAM5',
      'sns:Publish to a phone number has no resource ARN, so the statement needs Resource *; the handler only sends to numbers in the allowed country calling codes.',
      ['Resource::*']);
  }

  const attributes = addPostRoute(routes, routes.api.root, 'attributes', {
    schema: ATTRIBUTES_REQUEST_SCHEMA,
    handler: fn,
    allowHeaders: ['Content-Type', 'Authorization'],
    publicBecause: AUTHENTICATED_BY_HANDLER,
  });
  addPostRoute(routes, attributes.resource, 'verify', {
    schema: ATTRIBUTES_VERIFY_REQUEST_SCHEMA,
    handler: fn,
    allowHeaders: ['Content-Type', 'Authorization'],
    publicBecause: AUTHENTICATED_BY_HANDLER,
  });
  return fn;
}
