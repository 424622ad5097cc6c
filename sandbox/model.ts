/**
 * What the sandbox knows about a synthesized app: the parts of its cloud assembly that the local
 * Cognito endpoint, the function runner and the local backends need. Values are already resolved
 * to local ones (table names, pool and client IDs, ARNs in the sandbox's fake account).
 */

/** The whole app, as read from one cloud assembly. */
export interface AppModel {
  /** The region of the stacks (the first stack's, when they differ). */
  readonly region: string;
  /** The account the sandbox pretends to be (12 digits). */
  readonly account: string;
  readonly userPools: PoolModel[];
  readonly tables: TableModel[];
  readonly keys: KeyModel[];
  readonly apis: ApiModel[];
}

/** A Lambda function of the template, runnable from its asset directory. */
export interface FunctionModel {
  /** Stack name + '/' + logical ID, unique in the app. */
  readonly id: string;
  /** The local function name (as AWS_LAMBDA_FUNCTION_NAME). */
  readonly name: string;
  readonly arn: string;
  /** Absolute path of the asset directory (holds the bundle, e.g. index.js). */
  readonly codeDir: string;
  /** "file.export", e.g. "index.handler". */
  readonly handler: string;
  readonly runtime: string;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  /** The template's environment variables, references resolved to local values. */
  readonly environment: Record<string, string>;
}

export interface TableModel {
  readonly id: string;
  /** The local table name (what `Ref` resolves to). */
  readonly name: string;
  readonly arn: string;
  readonly keySchema: { AttributeName: string; KeyType: 'HASH' | 'RANGE' }[];
  readonly attributeDefinitions: { AttributeName: string; AttributeType: 'S' | 'N' | 'B' }[];
  readonly ttlAttribute?: string;
}

export interface KeyModel {
  readonly id: string;
  /** The key ID (a UUID), what `Ref` resolves to. */
  readonly keyId: string;
  readonly arn: string;
  /** e.g. SYMMETRIC_DEFAULT, HMAC_256, ECC_NIST_P256. */
  readonly keySpec: string;
  /** e.g. ENCRYPT_DECRYPT, GENERATE_VERIFY_MAC, SIGN_VERIFY. */
  readonly keyUsage: string;
}

export type TriggerName =
  | 'DefineAuthChallenge'
  | 'CreateAuthChallenge'
  | 'VerifyAuthChallengeResponse'
  | 'PreSignUp'
  | 'PostConfirmation'
  | 'PreAuthentication'
  | 'PostAuthentication'
  | 'PreTokenGeneration'
  | 'CustomMessage';

export interface PoolModel {
  readonly id: string;
  /** Like AWS: `<region>_<9 alphanumerics>`, stable for a given stack and logical ID. */
  readonly userPoolId: string;
  readonly arn: string;
  /** `UsernameAttributes`: which attributes may be given as the username (email, phone_number). */
  readonly usernameAttributes: string[];
  readonly aliasAttributes: string[];
  readonly autoVerifiedAttributes: string[];
  readonly caseSensitiveUsernames: boolean;
  /** `UserAttributeUpdateSettings.AttributesRequireVerificationBeforeUpdate`. */
  readonly attributesRequireVerificationBeforeUpdate: string[];
  readonly allowAdminCreateUserOnly: boolean;
  /** Custom attribute names from the schema (with the `custom:` prefix). */
  readonly customAttributes: string[];
  readonly triggers: Partial<Record<TriggerName, FunctionModel>>;
  readonly clients: ClientModel[];
  /** True when the pool's challenge triggers are the functions of this library. */
  readonly usesOurTriggers: boolean;
}

export interface ClientModel {
  readonly id: string;
  /** 26 lowercase alphanumerics, like AWS; stable for a given stack and logical ID. */
  readonly clientId: string;
  readonly name: string;
  readonly explicitAuthFlows: string[];
  readonly preventUserExistenceErrors: boolean;
  readonly authSessionValiditySeconds: number;
  readonly accessTokenValiditySeconds: number;
  readonly idTokenValiditySeconds: number;
  readonly refreshTokenValiditySeconds: number;
  readonly enableTokenRevocation: boolean;
  /** `RefreshTokenRotation.Feature` is ENABLED: GetTokensFromRefreshToken returns a new refresh token. */
  readonly refreshTokenRotation?: boolean;
  /** Empty means all attributes (Cognito's default). */
  readonly readAttributes: string[];
  readonly writeAttributes: string[];
  readonly callbackUrls: string[];
  readonly hasSecret: boolean;
}

/** An HTTP API (API Gateway REST API) whose methods are Lambda proxy integrations. */
export interface ApiModel {
  readonly id: string;
  /** 10 lowercase alphanumerics like a REST API ID (what `Ref` resolves to), stable for a given stack and logical ID. */
  readonly restApiId: string;
  readonly stageName: string;
  readonly routes: RouteModel[];
  /** CORS origins allowed by the API (from its OPTIONS methods), empty when none. */
  readonly corsOrigins: string[];
  /** The OPTIONS mock methods that answer CORS preflights, one per resource that has one. */
  readonly preflights: PreflightModel[];
  /** The API's own gateway responses (`AWS::ApiGateway::GatewayResponse`), which replace API Gateway's defaults. */
  readonly gatewayResponses: GatewayResponseModel[];
}

export interface RouteModel {
  /** GET, POST, ... or ANY. */
  readonly method: string;
  /** The resource path, e.g. "/magic-link" or "/users/{id}". */
  readonly path: string;
  readonly function: FunctionModel;
  /**
   * The JSON schemas of the request models by content type (`application/json`, `$default`), when a request
   * validator checks the body; empty otherwise.
   */
  readonly requestSchemas: Record<string, unknown>;
}

/** A CORS preflight answer as CDK's `addCorsPreflight` synthesizes it: a MOCK integration with static headers. */
export interface PreflightModel {
  /** The resource path. */
  readonly path: string;
  readonly statusCode: number;
  /** Header name → value, as the integration response's parameters set them (quotes removed). */
  readonly headers: Record<string, string>;
  /** Origins the response template puts in Access-Control-Allow-Origin when the request comes from one of them. */
  readonly echoedOrigins: string[];
}

/**
 * A customized gateway response.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html
 */
export interface GatewayResponseModel {
  /** e.g. BAD_REQUEST_BODY, DEFAULT_4XX, DEFAULT_5XX. */
  readonly type: string;
  readonly statusCode?: number;
  /** Header name → mapping expression: `'literal'` or `method.request.header.<name>` (and `.querystring.`, `.path.`). */
  readonly headers: Record<string, string>;
  /** Content type → body template (`$context.error.messageString` and other `$context` variables). */
  readonly templates: Record<string, string>;
}
