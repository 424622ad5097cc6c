import { Duration, Fn, Names, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ownRoleFunctionProps, grantStateTable, suppressDefaultRuntime } from './api-function';
import { addPostRoute, ApiRoutes } from './api-route';
import { addAttributeRoutes } from './attribute-api';
import { sesResources } from './delivery-environment';
import { MagicLinkApiFunction } from './magic-link-api-function';
import { MAGIC_LINK_DEFAULTS } from './magic-link-defaults';
import { MagicLinkApiOptions, MagicLinkEmailOptions } from './magic-link-options';
import { originsOf, validateMagicLinkProps } from './magic-link-validation';
import { suppressNagRule } from './nag-suppressions';
import { OtpChallengeTriggers } from './otp-challenge-triggers';
import { RateLimitWebAcl } from './rate-limit-web-acl';
import { addSignInRoute } from './sign-in-api';
import { validateEnvironmentSize } from './trigger-validation';

/**
 * Properties of `MagicLinkApi`.
 */
export interface MagicLinkApiProps extends MagicLinkApiOptions {
  /**
   * The user pool whose users sign in with the links; its users sign in with their email address.
   */
  readonly userPool: cognito.IUserPool;

  /**
   * The trigger set of that user pool: the API shares its state table, send limits and failure limits, and its
   * verify function redeems the links (the construct calls `triggers.enableMagicLinks`).
   */
  readonly triggers: OtpChallengeTriggers;

  /**
   * The link email; with `attributeUpdates`, its sender and configuration set also send the verification codes.
   */
  readonly email: MagicLinkEmailOptions;

  /**
   * The app client `POST /sign-in` starts sign-ins with: custom auth allowed, no client secret.
   * @default - none; required with `autoSignUp`
   */
  readonly userPoolClient?: cognito.IUserPoolClient;

  /**
   * Whether the pool's users sign in with their email address or phone number as username attributes (Cognito generates
   * the usernames), rather than with sign-in aliases. `autoSignUp` requires it (true): with sign-in aliases, Cognito
   * resolves an email address or phone number only once it is verified, so a user that auto sign-up created unverified
   * could not be found by that identifier, nor start a sign-in with it.
   * @default true
   * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-attributes.html#user-pool-settings-aliases
   */
  readonly usernameAttributes?: boolean;
}

/** The request body the API accepts; anything else is refused by API Gateway before the function runs. */
const REQUEST_SCHEMA: apigateway.JsonSchema = {
  schema: apigateway.JsonSchemaVersion.DRAFT4,
  title: 'MagicLinkRequest',
  type: apigateway.JsonSchemaType.OBJECT,
  required: ['email', 'redirectUri'],
  additionalProperties: false,
  properties: {
    email: { type: apigateway.JsonSchemaType.STRING, minLength: 3, maxLength: 254 },
    redirectUri: { type: apigateway.JsonSchemaType.STRING, minLength: 1, maxLength: 2048 },
  },
};

/** One JSON line per request, without body or query string (they could hold an email address). */
const ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: '$context.requestId',
  extendedRequestId: '$context.extendedRequestId',
  requestTime: '$context.requestTimeEpoch',
  sourceIp: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
  httpMethod: '$context.httpMethod',
  resourcePath: '$context.resourcePath',
  protocol: '$context.protocol',
  status: '$context.status',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  integrationStatus: '$context.integration.status',
  integrationLatency: '$context.integration.latency',
  errorType: '$context.error.responseType',
  errorMessage: '$context.error.message',
  wafResponseCode: '$context.wafResponseCode',
});

/**
 * A public REST API, `POST /magic-link` with `{"email": "...", "redirectUri": "..."}`, that emails a sign-in link
 * to a user of the pool, and the wiring that lets the pool's triggers redeem it.
 *
 * With `autoSignUp`, `POST /sign-in` with `{"identifier": "...", "channel": "email" | "sms"}` starts a sign-in for
 * any email address or phone number, creating the user when it has no account, and `POST /magic-link` does the same.
 * With `attributeUpdates`, `POST /attributes` and `POST /attributes/verify` let a signed-in user change their email
 * address, phone number (each verified by a code sent to the new value) and names.
 *
 * Every well-formed request gets the same `202`, whether or not the address has an account or is over a limit.
 * The link is `<redirectUri>#<token>`: the token, signed with a KMS key that never leaves KMS, binds the user, the
 * pool and an expiry, travels only in the fragment, and works once. The landing page reads it, removes it from the
 * address bar and answers the first custom-auth challenge with it (ClientMetadata `{"signInMethod":"magic-link"}`).
 *
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-rest-api.html
 */
export class MagicLinkApi extends Construct {
  /** The REST API. */
  public readonly api: apigateway.IRestApi;

  /** URL of the API's stage, ending in '/'. */
  public readonly url: string;

  /** URL clients POST link requests to: `url` + 'magic-link'. */
  public readonly endpoint: string;

  /** The key that signs the links. */
  public readonly signingKey: kms.IKey;

  /** The function behind `POST /magic-link`. */
  public readonly function: lambda.IFunction;

  /** URL clients POST sign-in requests to, `url` + 'sign-in', when `autoSignUp` is on. */
  public readonly signInEndpoint?: string;

  /** The function behind `POST /sign-in`, when `autoSignUp` is on. */
  public readonly signInFunction?: lambda.IFunction;

  /** URL clients POST attribute changes to, `url` + 'attributes' (and + 'attributes/verify'), when `attributeUpdates` is on. */
  public readonly attributesEndpoint?: string;

  /** The function behind `POST /attributes` and `POST /attributes/verify`, when `attributeUpdates` is on. */
  public readonly attributeFunction?: lambda.IFunction;

  /** The log group of the API's access logs. */
  public readonly accessLogGroup: logs.ILogGroup;

  /** ARN of the WAF web ACL associated with the stage, when `wafRateLimit` is set. */
  public readonly webAclArn?: string;

  constructor(scope: Construct, id: string, props: MagicLinkApiProps) {
    super(scope, id);
    validateMagicLinkProps(props);
    const allowedOrigins = props.allowedOrigins ?? originsOf(props.redirectUrls);
    const linkLifetime = props.linkLifetime ?? MAGIC_LINK_DEFAULTS.linkLifetime;
    const throttling = {
      rateLimit: props.throttling?.rateLimit ?? MAGIC_LINK_DEFAULTS.rateLimit,
      burstLimit: props.throttling?.burstLimit ?? MAGIC_LINK_DEFAULTS.burstLimit,
    };

    this.signingKey = props.signingKey ?? new kms.Key(this, 'SigningKey', {
      keySpec: kms.KeySpec.ECC_NIST_P256,
      keyUsage: kms.KeyUsage.SIGN_VERIFY,
      description: 'Signs magic links for passwordless sign-in (cdk-passwordless MagicLinkApi); links live minutes, so replacing it only voids links in flight',
      // The key signs links that live at most an hour: nothing to keep once the stack is gone.
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    props.triggers.enableMagicLinks(this.signingKey);
    if (props.autoSignUp) props.triggers.enableAutoSignUp(props.userPool);

    const fn = this.createFunction(props, allowedOrigins, linkLifetime);
    this.function = fn;

    this.accessLogGroup = new logs.LogGroup(this, 'AccessLogs', {
      retention: props.accessLogRetention ?? MAGIC_LINK_DEFAULTS.accessLogRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const api = new apigateway.RestApi(this, 'Api', {
      restApiName: Names.uniqueResourceName(this, { maxLength: 128 }),
      description: 'Sends magic links for passwordless sign-in (cdk-passwordless)',
      endpointTypes: [apigateway.EndpointType.REGIONAL],
      // The account-wide CloudWatch role is a singleton a library must not own.
      cloudWatchRole: false,
      deployOptions: {
        stageName: 'v1',
        throttlingRateLimit: throttling.rateLimit,
        throttlingBurstLimit: throttling.burstLimit,
        accessLogDestination: new apigateway.LogGroupLogDestination(this.accessLogGroup),
        accessLogFormat: apigateway.AccessLogFormat.custom(ACCESS_LOG_FORMAT),
      },
    });
    this.api = api;
    this.url = api.url;
    this.endpoint = api.urlForPath('/magic-link');

    // No request parameter is required, so checking them costs nothing; cdk-nag (APIG2) asks for both.
    const validator = api.addRequestValidator('RequestValidator', { validateRequestBody: true, validateRequestParameters: true });
    const routes: ApiRoutes = { api, validator, allowedOrigins };
    addPostRoute(routes, api.root, 'magic-link', {
      schema: REQUEST_SCHEMA,
      handler: fn,
      allowHeaders: ['Content-Type'],
      publicBecause: {
        apig4: 'POST /magic-link is public by design: it is how a signed-out user asks for a sign-in link. It answers every well-formed request with the same 202, is throttled per stage and per source IP, and sends each address at most a few links per hour.',
        cog4: 'POST /magic-link is called by signed-out users, who have no Cognito token to present; a user pool authorizer would make the endpoint unusable. It reveals nothing about accounts (same 202 for every well-formed request).',
      },
    });
    if (props.autoSignUp) {
      this.signInFunction = addSignInRoute(this, routes, props);
      this.signInEndpoint = api.urlForPath('/sign-in');
    }
    if (props.attributeUpdates) {
      this.attributeFunction = addAttributeRoutes(this, routes, props);
      this.attributesEndpoint = api.urlForPath('/attributes');
    }
    this.addGatewayResponses(api, allowedOrigins[0]);

    const stage = api.deploymentStage;
    suppressNagRule(stage, 'AwsSolutions-APIG6',
      'Access logging (JSON, no body, no query string) is on. Execution logging needs the account-wide API Gateway CloudWatch role, a singleton this library does not manage, and at INFO level it logs request bodies (email addresses).');

    if (props.wafRateLimit !== undefined) {
      this.webAclArn = new RateLimitWebAcl(this, 'RateLimit', {
        resourceArn: stage.stageArn,
        limit: props.wafRateLimit,
        metricName: 'MagicLinkApi',
        description: 'the magic-link API',
      }).webAclArn;
    } else {
      suppressNagRule(stage, 'AwsSolutions-APIG3',
        'No WAF web ACL unless wafRateLimit is set (WAF has a monthly cost): the stage is throttled and the function limits requests per source IP (maxRequestsPerIpPerMinute) and sends per address.');
    }
  }

  /** The function with its own role and log group, allowed exactly the calls the handler makes. */
  private createFunction(props: MagicLinkApiProps, allowedOrigins: string[], linkLifetime: Duration): lambda.Function {
    const { userPool, triggers, email } = props;
    const environment: Record<string, string> = {
      USER_POOL_ID: userPool.userPoolId,
      TABLE_NAME: triggers.table.tableName,
      KEY_ID: this.signingKey.keyArn,
      REDIRECT_URIS: Token.isUnresolved(props.redirectUrls) ? Fn.join(',', props.redirectUrls) : props.redirectUrls.join(','),
      ALLOWED_ORIGINS: allowedOrigins.join(','),
      LINK_TTL_SECONDS: String(linkLifetime.toSeconds()),
      SEND_COOLDOWN_SECONDS: String(triggers.sendCooldown.toSeconds()),
      MAX_SENDS_PER_HOUR: String(triggers.maxSendsPerHour),
      MAX_FAILURES: String(triggers.maxFailuresPerIdentifier),
      FAILURE_WINDOW_SECONDS: String(triggers.failureWindow.toSeconds()),
      MAX_REQUESTS_PER_IP_PER_MINUTE: String(props.maxRequestsPerIpPerMinute ?? MAGIC_LINK_DEFAULTS.maxRequestsPerIpPerMinute),
      MAX_BODY_BYTES: String(triggers.maxRequestBodyBytes),
      EMAIL_FROM: email.fromAddress,
      EMAIL_SUBJECT: email.subject ?? MAGIC_LINK_DEFAULTS.emailSubject,
      EMAIL_TEXT_BODY: email.textBody ?? MAGIC_LINK_DEFAULTS.emailTextBody,
      ...(email.htmlBody !== undefined ? { EMAIL_HTML_BODY: email.htmlBody } : {}),
      ...(email.configurationSetName !== undefined ? { EMAIL_CONFIGURATION_SET: email.configurationSetName } : {}),
      ...(props.autoSignUp ? { AUTO_SIGN_UP: 'true' } : {}),
      LOG_LEVEL: props.logLevel ?? triggers.logLevel,
    };
    validateEnvironmentSize(environment, 'the magic-link API function',
      'redirectUrls, allowedOrigins, email.textBody, email.htmlBody or email.subject');

    const fn = new MagicLinkApiFunction(this, 'Function', {
      ...ownRoleFunctionProps(this, 'Function', props.functionOptions),
      description: 'HTTP MagicLinkApi handler: POST /magic-link sends sign-in links (cdk-passwordless)',
      environment,
    });
    suppressDefaultRuntime(fn);

    // Exactly what the handler calls: look the user up (and create an unknown one with autoSignUp), keep link and
    // rate-limit state, sign, send.
    userPool.grant(fn, 'cognito-idp:AdminGetUser',
      ...(props.autoSignUp ? ['cognito-idp:AdminCreateUser', 'cognito-idp:AdminSetUserPassword'] : []));
    grantStateTable(fn, triggers.table, 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem');
    this.signingKey.grant(fn, 'kms:Sign');
    fn.addToRolePolicy(new iam.PolicyStatement({
      actions: ['ses:SendEmail'],
      resources: sesResources(Stack.of(this), email),
    }));
    return fn;
  }

  /** API Gateway's own errors (malformed body, throttling, ...) as JSON, uncached, readable by the first origin. */
  private addGatewayResponses(api: apigateway.RestApi, origin: string): void {
    const responseHeaders = {
      'Access-Control-Allow-Origin': `'${origin}'`,
      'Vary': "'Origin'",
      'Cache-Control': "'no-store'",
    };
    api.addGatewayResponse('BadRequestBody', {
      type: apigateway.ResponseType.BAD_REQUEST_BODY,
      statusCode: '400',
      responseHeaders,
      templates: {
        // A fixed text, the same for every route: the validation error string is not JSON-escaped in gateway response templates.
        'application/json': '{"message":"Invalid request body: see the API\'s documentation for the fields each route accepts."}',
      },
    });
    api.addGatewayResponse('Default4xx', { type: apigateway.ResponseType.DEFAULT_4XX, responseHeaders });
    api.addGatewayResponse('Default5xx', { type: apigateway.ResponseType.DEFAULT_5XX, responseHeaders });
  }
}
