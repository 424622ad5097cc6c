import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { readMagicLinkApiConfig } from './core/config';
import { header, jsonResponse } from './core/http-response';
import { createLogger, errorName } from './core/log';
import { createMagicLinkDeps } from './core/magic-link-deps';
import { LinkDeliveryError, requestMagicLink } from './core/magic-link-request';
import { readJsonBody, sourceIpOf } from './core/request-body';

const config = readMagicLinkApiConfig(process.env);
const log = createLogger(config.logLevel);
const deps = createMagicLinkDeps(config, log);

export const ACCEPTED_MESSAGE = 'If that address can sign in, a link is on its way.';

/** POST /magic-link: `{"email", "redirectUri"}` → 202 for every well-formed request (R17). */
export const handler = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
  const origin = header(event.headers, 'origin');
  const respond = (status: number, message: string) => jsonResponse(status, { message }, origin, config.allowedOrigins);
  const body = readJsonBody(event, ['email', 'redirectUri'], '{"email": "...", "redirectUri": "..."}', config.maxBodyBytes);
  if (typeof body === 'string') return respond(400, body);
  try {
    const result = await requestMagicLink(deps, {
      email: body.email,
      redirectUri: body.redirectUri,
      sourceIp: sourceIpOf(event),
    });
    if (result.kind === 'invalid') return respond(400, `Invalid request: ${result.message}.`);
    if (result.kind === 'too-many-requests') return respond(429, 'Too many requests from this address; try again in a minute.');
    return respond(202, ACCEPTED_MESSAGE);
  } catch (error) {
    if (!(error instanceof LinkDeliveryError)) log.error('magic-link request failed', { cause: errorName(error) });
    return respond(500, 'Could not send the link; try again later.');
  }
};
