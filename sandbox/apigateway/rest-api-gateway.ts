import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BodyTooLargeError, readBody } from '../backends/request-body';
import type { ApiModel, FunctionModel, PreflightModel, RouteModel } from '../model';
import { gatewayAnswer, type GatewayContext, type GatewayResponseType } from './gateway-responses';
import { schemaViolations, uncheckedKeywords, validationErrorString } from './json-schema';
import { newTraceId, proxyEvent } from './proxy-event';
import { proxyAnswer, type HttpAnswer } from './proxy-result';
import { matchResource } from './resource-match';

/** Where the APIs live on the sandbox's server: `/apis/<restApiId>/<stage>/<resource path>`. */
export const APIS_PATH = '/apis/';
/** API Gateway's maximum integration timeout for REST APIs. */
export const INTEGRATION_TIMEOUT_MS = 29_000;
/** API Gateway's payload limit for REST APIs. */
export const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

export interface RestApiGatewayOptions {
  readonly apis: readonly ApiModel[];
  /** The account the sandbox pretends to be (`requestContext.accountId`). */
  readonly account: string;
  /** Runs a function to completion, or rejects when it fails or runs past `timeoutMs`. */
  readonly invoke: (fn: FunctionModel, event: unknown, timeoutMs: number) => Promise<unknown>;
  /** @default INTEGRATION_TIMEOUT_MS */
  readonly integrationTimeoutMs?: number;
  /** @default MAX_PAYLOAD_BYTES */
  readonly maxPayloadBytes?: number;
  /** Where warnings go (request models with keywords the sandbox does not check). @default stderr */
  readonly warn?: (message: string) => void;
}

/**
 * API Gateway REST APIs with Lambda proxy integrations, served under `/apis/`: routing, CORS preflights
 * from the API's OPTIONS mock methods, request-body validation against the method's model, the proxy
 * event and result (payload format 1.0), the integration timeout and the API's gateway responses.
 * Not emulated: throttling, usage plans and API keys, authorizers, WAF, mapping templates, binary media types.
 */
export class RestApiGateway {
  /** The local base URL of an API, like API Gateway's invoke URL: `<origin>/apis/<restApiId>/<stage>/`. */
  static baseUrl(origin: string, api: ApiModel): string {
    return `${origin}${APIS_PATH}${api.restApiId}/${api.stageName}/`;
  }

  private readonly integrationTimeoutMs: number;
  private readonly maxPayloadBytes: number;

  constructor(private readonly options: RestApiGatewayOptions) {
    this.integrationTimeoutMs = options.integrationTimeoutMs ?? INTEGRATION_TIMEOUT_MS;
    this.maxPayloadBytes = options.maxPayloadBytes ?? MAX_PAYLOAD_BYTES;
    const warn = options.warn ?? ((message: string) => process.stderr.write(`sandbox: ${message}\n`));
    for (const api of options.apis) {
      for (const route of api.routes) {
        const unchecked = [...new Set(Object.values(route.requestSchemas).flatMap(uncheckedKeywords))];
        if (unchecked.length > 0) {
          warn(`the request model of ${route.method} ${route.path} (API ${api.id}) uses JSON-schema keywords the sandbox does not check: ${unchecked.join(', ')}`);
        }
      }
    }
  }

  get apis(): readonly ApiModel[] {
    return this.options.apis;
  }

  /** Answers one request whose path starts with `/apis/`. */
  async serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const answer = await this.answer(request);
    const headers = [...answer.headers, ['Content-Length', String(answer.body.length)]];
    response.writeHead(answer.statusCode, headers.flat());
    response.end(request.method === 'HEAD' ? undefined : answer.body);
  }

  private async answer(request: IncomingMessage): Promise<HttpAnswer> {
    const receivedAt = new Date();
    const url = new URL(request.url ?? '/', 'http://sandbox');
    const [apiId = '', stage = ''] = url.pathname.slice(APIS_PATH.length).split('/');
    const path = url.pathname.slice(APIS_PATH.length + apiId.length + 1 + stage.length) || '/';
    const api = this.options.apis.find((candidate) => candidate.restApiId === apiId);
    if (!api) {
      const known = this.options.apis.map((candidate) => candidate.restApiId).join(', ') || 'none';
      return sandboxAnswer(404, `The sandbox serves no REST API ${JSON.stringify(apiId)} (APIs: ${known}).`);
    }
    const httpMethod = request.method ?? 'GET';
    const requestId = randomUUID();
    const sourceIp = peerAddress(request);
    const context: GatewayContext = {
      requestId,
      extendedRequestId: randomBytes(12).toString('base64url').slice(0, 16),
      apiId,
      stage,
      httpMethod,
      path,
      sourceIp,
      header: (name) => headerOf(request, name),
      query: url.searchParams,
      pathParameters: {},
    };
    const fail = (type: GatewayResponseType, validation?: string) =>
      withRequestIds(gatewayAnswer(api.gatewayResponses, type, context, validation), context);
    if (stage !== api.stageName) return fail('MISSING_AUTHENTICATION_TOKEN');

    const resourcePaths = [...api.routes.map((route) => route.path), ...api.preflights.map((preflight) => preflight.path)];
    const match = matchResource(resourcePaths, path);
    if (!match) return fail('MISSING_AUTHENTICATION_TOKEN');
    const matched: GatewayContext = { ...context, resourcePath: match.resourcePath, pathParameters: match.pathParameters };
    const failMatched = (type: GatewayResponseType, validation?: string) =>
      withRequestIds(gatewayAnswer(api.gatewayResponses, type, matched, validation), matched);

    const onResource = api.routes.filter((route) => route.path === match.resourcePath);
    const preflight = api.preflights.find((candidate) => candidate.path === match.resourcePath);
    if (httpMethod === 'OPTIONS' && preflight && !onResource.some((route) => route.method === 'OPTIONS')) {
      return withRequestIds(preflightAnswer(preflight, headerOf(request, 'origin')), matched);
    }
    const route = onResource.find((candidate) => candidate.method === httpMethod) ?? onResource.find((candidate) => candidate.method === 'ANY');
    if (!route) return failMatched('MISSING_AUTHENTICATION_TOKEN');

    let body: Buffer;
    try {
      body = await readBody(request, this.maxPayloadBytes);
    } catch (error) {
      if (error instanceof BodyTooLargeError) return failMatched('REQUEST_TOO_LARGE');
      throw error;
    }
    const violations = bodyViolations(route, headerOf(request, 'content-type'), body);
    if (violations) return failMatched('BAD_REQUEST_BODY', validationErrorString(violations));

    const event = proxyEvent({
      httpMethod,
      httpVersion: request.httpVersion,
      rawHeaders: request.rawHeaders,
      path,
      resourcePath: match.resourcePath,
      resourceId: resourceIdOf(api, match.resourcePath),
      pathParameters: match.pathParameters,
      query: url.searchParams,
      body,
      sourceIp,
      localPort: request.socket.localPort ?? 0,
      stage,
      apiId,
      accountId: this.options.account,
      requestId,
      extendedRequestId: matched.extendedRequestId,
      traceId: newTraceId(receivedAt),
      receivedAt,
    });
    const outcome = await this.integrate(route.function, event);
    if (outcome === 'timeout') return failMatched('INTEGRATION_TIMEOUT');
    const answer = outcome === 'failed' ? undefined : proxyAnswer(outcome.output);
    if (!answer) return failMatched('DEFAULT_5XX');
    const hasContentType = answer.headers.some(([name]) => name.toLowerCase() === 'content-type');
    return withRequestIds({
      ...answer,
      headers: hasContentType ? answer.headers : [...answer.headers, ['Content-Type', 'application/json']],
    }, matched);
  }

  /**
   * Invokes the function with its own timeout, while the gateway waits at most the integration timeout:
   * a function that fails or times out by itself is a 502, a gateway that stops waiting a 504.
   */
  private async integrate(fn: FunctionModel, event: unknown): Promise<{ output: unknown } | 'failed' | 'timeout'> {
    let timer: NodeJS.Timeout | undefined;
    const gatewayTimeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.integrationTimeoutMs);
    });
    const invocation = this.options.invoke(fn, event, fn.timeoutSeconds * 1000)
      .then((output) => ({ output }), () => 'failed' as const);
    try {
      return await Promise.race([invocation, gatewayTimeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}

/**
 * The violations of the body against the method's model for the request's content type (no Content-Type
 * header counts as application/json; `$default` serves other types). No model for the type: no validation,
 * as in API Gateway. Undefined when the body passes.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-method-request-validation.html
 */
function bodyViolations(route: RouteModel, contentType: string | undefined, body: Buffer): string[] | undefined {
  const mediaType = (contentType ?? 'application/json').split(';')[0].trim().toLowerCase();
  const schema = route.requestSchemas[mediaType] ?? route.requestSchemas.$default;
  if (schema === undefined) return undefined;
  const text = body.toString('utf-8');
  let value: unknown = {};
  if (text.trim() !== '') {
    try {
      value = JSON.parse(text);
    } catch {
      return ['the body is not valid JSON'];
    }
  }
  const violations = schemaViolations(schema, value);
  return violations.length > 0 ? violations : undefined;
}

/** The preflight's static headers, with Access-Control-Allow-Origin set to the request's origin when listed. */
function preflightAnswer(preflight: PreflightModel, origin: string | undefined): HttpAnswer {
  const headers = Object.entries(preflight.headers).map(([name, value]): [string, string] =>
    name.toLowerCase() === 'access-control-allow-origin' && origin !== undefined && preflight.echoedOrigins.includes(origin)
      ? [name, origin] : [name, value]);
  return { statusCode: preflight.statusCode, headers: [...headers, ['Content-Type', 'application/json']], body: Buffer.alloc(0) };
}

function withRequestIds(answer: HttpAnswer, context: GatewayContext): HttpAnswer {
  return {
    ...answer,
    headers: [
      ...answer.headers,
      ['x-amzn-RequestId', context.requestId],
      ['x-amz-apigw-id', context.extendedRequestId],
    ],
  };
}

function sandboxAnswer(statusCode: number, message: string): HttpAnswer {
  return { statusCode, headers: [['Content-Type', 'application/json']], body: Buffer.from(JSON.stringify({ message })) };
}

/** The TCP peer, as an IPv4 address when it is one (not the IPv4-mapped IPv6 form). */
function peerAddress(request: IncomingMessage): string {
  const address = request.socket.remoteAddress ?? '';
  return address.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, '$1');
}

function headerOf(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[value.length - 1] : value;
}

/** A resource ID like API Gateway's (10 lowercase alphanumerics; here hex digits), stable for the API and path. */
function resourceIdOf(api: ApiModel, resourcePath: string): string {
  return createHash('sha256').update(`${api.restApiId}${resourcePath}`).digest('hex').slice(0, 10);
}
