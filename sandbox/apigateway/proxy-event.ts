import { randomBytes } from 'node:crypto';
import type { APIGatewayProxyEvent } from 'aws-lambda';

/** What the gateway knows about a request when it invokes the function. */
export interface ProxyRequest {
  readonly httpMethod: string;
  readonly httpVersion: string;
  /** Header names and values in the order received, names as the client wrote them (Node's `rawHeaders`). */
  readonly rawHeaders: readonly string[];
  /** The path after the stage, as requested, e.g. "/magic-link". */
  readonly path: string;
  readonly resourcePath: string;
  readonly resourceId: string;
  readonly pathParameters: Record<string, string>;
  readonly query: URLSearchParams;
  readonly body: Buffer;
  /** The TCP peer's address: the only source of `identity.sourceIp`, never a forwarded header. */
  readonly sourceIp: string;
  readonly localPort: number;
  readonly stage: string;
  readonly apiId: string;
  readonly accountId: string;
  readonly requestId: string;
  readonly extendedRequestId: string;
  readonly traceId: string;
  readonly receivedAt: Date;
}

/**
 * The Lambda proxy integration's input (payload format 1.0), as API Gateway builds it for a REST API.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html#api-gateway-simple-proxy-for-lambda-input-format
 */
export function proxyEvent(request: ProxyRequest): APIGatewayProxyEvent {
  const headerPairs = forwardedHeaders(request);
  const multiValueHeaders: Record<string, string[]> = {};
  for (const [name, value] of headerPairs) (multiValueHeaders[name] ??= []).push(value);
  // Single-valued maps keep the last value of a repeated header or parameter.
  const headers = Object.fromEntries(Object.entries(multiValueHeaders).map(([name, values]) => [name, values[values.length - 1]]));
  const multiValueQuery: Record<string, string[]> = {};
  for (const [name, value] of request.query) (multiValueQuery[name] ??= []).push(value);
  const query = Object.fromEntries(Object.entries(multiValueQuery).map(([name, values]) => [name, values[values.length - 1]]));
  const host = headerValue(headerPairs, 'host') ?? '';
  const hasQuery = Object.keys(query).length > 0;
  const hasPathParameters = Object.keys(request.pathParameters).length > 0;
  return {
    resource: request.resourcePath,
    path: request.path,
    httpMethod: request.httpMethod,
    headers,
    multiValueHeaders,
    queryStringParameters: hasQuery ? query : null,
    multiValueQueryStringParameters: hasQuery ? multiValueQuery : null,
    pathParameters: hasPathParameters ? request.pathParameters : null,
    stageVariables: null,
    requestContext: {
      accountId: request.accountId,
      apiId: request.apiId,
      authorizer: undefined,
      domainName: host,
      domainPrefix: host.split('.')[0],
      extendedRequestId: request.extendedRequestId,
      httpMethod: request.httpMethod,
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: request.sourceIp,
        user: null,
        userAgent: headerValue(headerPairs, 'user-agent') ?? null,
        userArn: null,
      },
      path: `/${request.stage}${request.path}`,
      protocol: `HTTP/${request.httpVersion}`,
      requestId: request.requestId,
      requestTime: clfTime(request.receivedAt),
      requestTimeEpoch: request.receivedAt.getTime(),
      resourceId: request.resourceId,
      resourcePath: request.resourcePath,
      stage: request.stage,
    },
    body: request.body.length > 0 ? request.body.toString('utf-8') : null,
    isBase64Encoded: false,
  };
}

/** A trace header value like X-Ray's: `Root=1-<epoch seconds, hex>-<24 hex digits>`. */
export function newTraceId(now: Date): string {
  return `Root=1-${Math.floor(now.getTime() / 1000).toString(16)}-${randomBytes(12).toString('hex')}`;
}

/**
 * The client's headers plus what API Gateway adds on the way: the peer address appended to X-Forwarded-For
 * (whatever the client claimed stays in front of it), X-Forwarded-Port and -Proto, and X-Amzn-Trace-Id.
 */
function forwardedHeaders(request: ProxyRequest): [string, string][] {
  const pairs: [string, string][] = [];
  for (let index = 0; index + 1 < request.rawHeaders.length; index += 2) {
    pairs.push([request.rawHeaders[index], request.rawHeaders[index + 1]]);
  }
  const added = new Set(['x-forwarded-for', 'x-forwarded-port', 'x-forwarded-proto', 'x-amzn-trace-id']);
  const claimed = pairs.filter(([name]) => name.toLowerCase() === 'x-forwarded-for').map(([, value]) => value);
  return [
    ...pairs.filter(([name]) => !added.has(name.toLowerCase())),
    ['X-Forwarded-For', [...claimed, request.sourceIp].join(', ')],
    ['X-Forwarded-Port', String(request.localPort)],
    ['X-Forwarded-Proto', 'http'],
    ['X-Amzn-Trace-Id', request.traceId],
  ];
}

function headerValue(pairs: [string, string][], name: string): string | undefined {
  return pairs.filter(([candidate]) => candidate.toLowerCase() === name).pop()?.[1];
}

/** `09/Apr/2015:12:34:56 +0000`, the format of `requestContext.requestTime`. */
function clfTime(date: Date): string {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const two = (value: number) => String(value).padStart(2, '0');
  return `${two(date.getUTCDate())}/${months[date.getUTCMonth()]}/${date.getUTCFullYear()}:`
    + `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} +0000`;
}
