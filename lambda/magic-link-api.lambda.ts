import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { readMagicLinkApiConfig } from './core/config';
import { header, jsonResponse } from './core/http-response';
import { createLogger, errorName } from './core/log';
import { createMagicLinkDeps } from './core/magic-link-deps';
import { LinkDeliveryError, requestMagicLink } from './core/magic-link-request';

const config = readMagicLinkApiConfig(process.env);
const log = createLogger(config.logLevel);
const deps = createMagicLinkDeps(config, log);

/** Bodies are two short strings; API Gateway's model bounds them too, this holds without it (R22). */
const MAX_BODY_BYTES = 4096;
export const ACCEPTED_MESSAGE = 'If that address can sign in, a link is on its way.';

/** POST /magic-link: `{"email", "redirectUri"}` → 202 for every well-formed request (R17). */
export const handler = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
  const origin = header(event.headers, 'origin');
  const respond = (status: number, message: string) => jsonResponse(status, { message }, origin, config.allowedOrigins);
  const body = readBody(event);
  if (typeof body === 'string') return respond(400, body);
  try {
    const result = await requestMagicLink(deps, {
      email: body.email,
      redirectUri: body.redirectUri,
      sourceIp: event.requestContext?.identity?.sourceIp ?? '',
    });
    if (result.kind === 'invalid') return respond(400, `Invalid request: ${result.message}.`);
    if (result.kind === 'too-many-requests') return respond(429, 'Too many requests from this address; try again in a minute.');
    return respond(202, ACCEPTED_MESSAGE);
  } catch (error) {
    if (!(error instanceof LinkDeliveryError)) log.error('magic-link request failed', { cause: errorName(error) });
    return respond(500, 'Could not send the link; try again later.');
  }
};

/** The JSON object body, or the message of a 400 saying what is wrong with it. */
function readBody(event: APIGatewayProxyEvent): Record<string, unknown> | string {
  const raw = event.isBase64Encoded && event.body ? Buffer.from(event.body, 'base64').toString('utf-8') : event.body ?? '';
  if (Buffer.byteLength(raw, 'utf-8') > MAX_BODY_BYTES) return `Invalid request: the body is larger than ${MAX_BODY_BYTES} bytes.`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return 'Invalid request: the body must be JSON: {"email": "...", "redirectUri": "..."}.';
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return 'Invalid request: the body must be a JSON object: {"email": "...", "redirectUri": "..."}.';
  }
  const unknown = Object.keys(parsed).filter((name) => name !== 'email' && name !== 'redirectUri');
  if (unknown.length > 0) return `Invalid request: unexpected field ${JSON.stringify(unknown[0].slice(0, 40))}.`;
  return parsed as Record<string, unknown>;
}
