import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { type AttributeResult, startAttributeChange, verifyAttributeChange } from './core/attribute-change';
import { createAttributeDeps } from './core/attribute-deps';
import { readAttributeApiConfig } from './core/config';
import { DeliveryError } from './core/delivery';
import { header, jsonResponse } from './core/http-response';
import { attributeLabel } from './core/identifier';
import { createLogger, errorName } from './core/log';
import { readJsonBody, sourceIpOf } from './core/request-body';

const config = readAttributeApiConfig(process.env);
const log = createLogger(config.logLevel);
const deps = createAttributeDeps(config, log);

const START_FIELDS = ['email', 'phoneNumber', 'givenName', 'familyName'];
const VERIFY_FIELDS = ['email', 'phoneNumber', 'code'];

/**
 * POST /attributes (`{"email"|"phoneNumber", "givenName", "familyName"}`) and POST /attributes/verify
 * (`{"email"|"phoneNumber", "code"}`), for the user whose access token is in `Authorization: Bearer`.
 */
export const handler = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
  const origin = header(event.headers, 'origin');
  const respond = (status: number, body: object) => jsonResponse(status, body, origin, config.allowedOrigins);
  const verifying = (event.resource ?? event.path ?? '').endsWith('/verify');
  const body = verifying
    ? readJsonBody(event, VERIFY_FIELDS, '{"email": "..." or "phoneNumber": "...", "code": "..."}', config.maxBodyBytes)
    : readJsonBody(event, START_FIELDS, '{"email": "..." or "phoneNumber": "...", "givenName": "...", "familyName": "..."}', config.maxBodyBytes);
  if (typeof body === 'string') return respond(400, { message: body });
  const request = { ...body, accessToken: bearerToken(header(event.headers, 'authorization')), sourceIp: sourceIpOf(event) };
  try {
    const result = verifying ? await verifyAttributeChange(deps, request) : await startAttributeChange(deps, request);
    const [status, answer] = response(result);
    return respond(status, answer);
  } catch (error) {
    if (!(error instanceof DeliveryError)) log.error('attribute request failed', { cause: errorName(error) });
    return respond(500, { message: verifying ? 'Could not verify the change; try again later.' : 'Could not send the code; try again later.' });
  }
};

function response(result: AttributeResult): [number, object] {
  switch (result.kind) {
    case 'code-sent':
      return [202, { message: `A code is on its way to the new ${attributeLabel(result.attribute)}; send it to /attributes/verify.`, attribute: result.attribute }];
    case 'updated':
      return [200, { message: 'Profile updated; refresh your tokens to see it in their claims.' }];
    case 'verified':
      return [200, { message: `The ${attributeLabel(result.attribute)} is verified; refresh your tokens to see it in their claims.`, attribute: result.attribute }];
    case 'invalid':
      return [400, { message: `Invalid request: ${result.message}.` }];
    case 'unauthorized':
      return [401, { message: 'Sign in first: send your access token as "Authorization: Bearer <token>"; it may have expired or been revoked.' }];
    case 'too-many-requests':
      return [429, { message: result.message }];
    case 'wrong-code':
      return [400, { message: `The code is wrong, used or expired; the ${attributeLabel(result.attribute)} stays unverified.`, attribute: result.attribute }];
    case 'taken':
      return [409, { message: `This ${attributeLabel(result.attribute)} belongs to another account.`, attribute: result.attribute }];
  }
}

/** The token of `Authorization: Bearer <token>`, or a bare token. */
function bearerToken(value: string | undefined): string | undefined {
  const token = value?.replace(/^Bearer\s+/i, '').trim();
  return token ? token : undefined;
}
