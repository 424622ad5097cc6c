import type { APIGatewayProxyEvent } from 'aws-lambda';
import { freshSourceIp } from './source-ips';

/** The origin of the app, allowed by every API environment of the tests. */
export const ORIGIN = 'https://app.example.com';
/** What a browser on the app sends: a JSON body from an allowed origin. */
export const JSON_FROM_APP = { 'Content-Type': 'application/json', 'Origin': ORIGIN };
/** The headers of every JSON answer to the app: never cached or sniffed, CORS for its origin. */
export const JSON_TO_APP = {
  'Content-Type': 'application/json',
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'Access-Control-Allow-Origin': ORIGIN,
  'Vary': 'Origin',
};

export interface PostOptions {
  /** Replace the default headers (JSON_FROM_APP). */
  readonly headers?: Record<string, string>;
  /** A fresh address unless given. */
  readonly sourceIp?: string;
  /** Sends the body base64-encoded, as API Gateway does for binary media types. */
  readonly base64?: boolean;
}

/** The REST API proxy event of a POST to `resource`. */
export function postEvent(resource: string, body: string | null, options: PostOptions = {}): APIGatewayProxyEvent {
  return {
    httpMethod: 'POST',
    path: resource,
    resource,
    body: options.base64 && body !== null ? Buffer.from(body).toString('base64') : body,
    isBase64Encoded: options.base64 === true,
    headers: options.headers ?? JSON_FROM_APP,
    multiValueHeaders: {},
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    requestContext: { identity: { sourceIp: options.sourceIp ?? freshSourceIp() } },
  } as unknown as APIGatewayProxyEvent;
}
