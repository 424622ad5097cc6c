import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { readSignInApiConfig } from './core/config';
import { header, jsonResponse } from './core/http-response';
import { createLogger, errorName } from './core/log';
import { readJsonBody, sourceIpOf } from './core/request-body';
import { createSignInDeps } from './core/sign-in-deps';
import { startSignIn } from './core/sign-in-start';

const config = readSignInApiConfig(process.env);
const log = createLogger(config.logLevel);
const deps = createSignInDeps(config, log);

/**
 * POST /sign-in: `{"identifier", "channel"}` → 200 with Cognito's `session`, `challengeName` and
 * `challengeParameters` of the code challenge, the same shape for new and existing users (R17).
 */
export const handler = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
  const origin = header(event.headers, 'origin');
  const respond = (status: number, body: object) => jsonResponse(status, body, origin, config.allowedOrigins);
  const body = readJsonBody(event, ['identifier', 'channel'], '{"identifier": "...", "channel": "email" or "sms"}', config.maxBodyBytes);
  if (typeof body === 'string') return respond(400, { message: body });
  try {
    const result = await startSignIn(deps, { identifier: body.identifier, channel: body.channel, sourceIp: sourceIpOf(event) });
    if (result.kind === 'invalid') return respond(400, { message: `Invalid request: ${result.message}.` });
    if (result.kind === 'too-many-requests') return respond(429, { message: 'Too many requests from this address; try again in a minute.' });
    return respond(200, result.signIn);
  } catch (error) {
    log.error('sign-in start failed', { cause: errorName(error) });
    return respond(500, { message: 'Could not start the sign-in; try again later.' });
  }
};
