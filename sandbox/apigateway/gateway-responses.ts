import type { GatewayResponseModel } from '../model';
import type { HttpAnswer } from './proxy-result';

/** The gateway responses the sandbox gives; DEFAULT_5XX stands for a failed Lambda proxy invocation (502). */
export type GatewayResponseType =
  | 'MISSING_AUTHENTICATION_TOKEN'
  | 'BAD_REQUEST_BODY'
  | 'REQUEST_TOO_LARGE'
  | 'INTEGRATION_TIMEOUT'
  | 'DEFAULT_5XX';

/** API Gateway's own answer when the API does not customize it. */
const DEFAULTS: Record<GatewayResponseType, { statusCode: number; message: string; errorType?: string }> = {
  MISSING_AUTHENTICATION_TOKEN: { statusCode: 403, message: 'Missing Authentication Token', errorType: 'MissingAuthenticationTokenException' },
  BAD_REQUEST_BODY: { statusCode: 400, message: 'Invalid request body', errorType: 'BadRequestException' },
  REQUEST_TOO_LARGE: { statusCode: 413, message: 'Request Too Long' },
  INTEGRATION_TIMEOUT: { statusCode: 504, message: 'Endpoint request timed out' },
  DEFAULT_5XX: { statusCode: 502, message: 'Internal server error', errorType: 'InternalServerErrorException' },
};

const DEFAULT_TEMPLATE = '{"message":$context.error.messageString}';

/** The request, as gateway-response templates and header mappings can read it. */
export interface GatewayContext {
  readonly requestId: string;
  readonly extendedRequestId: string;
  readonly apiId: string;
  readonly stage: string;
  readonly httpMethod: string;
  readonly path: string;
  readonly resourcePath?: string;
  readonly sourceIp: string;
  readonly query: URLSearchParams;
  readonly pathParameters: Record<string, string>;
  /** A request header's value, whatever its case. */
  header(name: string): string | undefined;
}

/**
 * The answer for a gateway response of `type`: the API's customization of that type, else of DEFAULT_4XX or
 * DEFAULT_5XX (its status code applies to every type of its class that is not customized), else API
 * Gateway's default `{"message": "..."}`.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-gatewayResponse-definition.html
 */
export function gatewayAnswer(
  customized: readonly GatewayResponseModel[],
  type: GatewayResponseType,
  context: GatewayContext,
  validationErrorString = '',
): HttpAnswer {
  const defaults = DEFAULTS[type];
  const classType = defaults.statusCode < 500 ? 'DEFAULT_4XX' : 'DEFAULT_5XX';
  const own = customized.find((response) => response.type === type);
  const fallback = customized.find((response) => response.type === classType);
  const chosen = own ?? fallback;
  const statusCode = own?.statusCode ?? fallback?.statusCode ?? defaults.statusCode;
  const template = chosen?.templates['application/json'] ?? Object.values(chosen?.templates ?? {})[0] ?? DEFAULT_TEMPLATE;
  const variables: Record<string, string> = {
    'context.error.message': defaults.message,
    'context.error.messageString': JSON.stringify(defaults.message),
    'context.error.validationErrorString': JSON.stringify(validationErrorString).slice(1, -1),
    'context.error.responseType': type,
    'context.requestId': context.requestId,
    'context.extendedRequestId': context.extendedRequestId,
    'context.apiId': context.apiId,
    'context.stage': context.stage,
    'context.httpMethod': context.httpMethod,
    'context.path': `/${context.stage}${context.path}`,
    'context.resourcePath': context.resourcePath ?? '',
    'context.identity.sourceIp': context.sourceIp,
  };
  const body = template.replace(/\$(?:\{(context(?:\.[A-Za-z0-9_]+)+)\}|(context(?:\.[A-Za-z0-9_]+)+))/g,
    (_match, braced?: string, bare?: string) => variables[(braced ?? bare)!] ?? '');
  const headers: [string, string][] = [['Content-Type', 'application/json']];
  if (defaults.errorType) headers.push(['x-amzn-ErrorType', defaults.errorType]);
  for (const [name, mapping] of Object.entries(chosen?.headers ?? {})) {
    const value = mappedValue(mapping, context);
    if (value !== undefined) headers.push([name, value]);
  }
  return { statusCode, headers, body: Buffer.from(body, 'utf-8') };
}

/** A header mapping's value: a quoted literal, or a request header, query string or path parameter. */
function mappedValue(mapping: string, context: GatewayContext): string | undefined {
  const literal = /^'(.*)'$/s.exec(mapping);
  if (literal) return literal[1];
  const source = /^method\.request\.(header|querystring|path)\.(.+)$/.exec(mapping);
  if (!source) return undefined;
  if (source[1] === 'header') return context.header(source[2]);
  if (source[1] === 'querystring') return context.query.get(source[2]) ?? undefined;
  return context.pathParameters[source[2]];
}
