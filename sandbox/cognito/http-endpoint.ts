import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CognitoService } from './cognito-service';
import { CognitoError } from './errors';
import { TokenError } from './tokens';

const TARGET_PREFIX = 'AWSCognitoIdentityProviderService.';
const CONTENT_TYPE = 'application/x-amz-json-1.1';
/** Cognito's requests are small; anything larger is refused before parsing. */
const MAX_BODY_BYTES = 256 * 1024;

/** Headers browsers may send (AWS SDK v3 and Amplify v6) and read, as Cognito allows them. */
export const CORS_HEADERS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'POST, OPTIONS',
  'Access-Control-Allow-Headers':
    'amz-sdk-invocation-id, amz-sdk-request, cache-control, content-type, x-amz-target, x-amz-user-agent, x-amz-date, x-amz-security-token, x-amz-content-sha256, authorization',
  'Access-Control-Expose-Headers': 'x-amzn-requestid, x-amzn-errortype, x-amzn-errormessage, date',
  'Access-Control-Max-Age': '600',
};

/** Serves `POST /` in AWS JSON 1.1 (`X-Amz-Target: AWSCognitoIdentityProviderService.<Operation>`). */
export async function serveCognito(
  service: CognitoService,
  request: IncomingMessage,
  response: ServerResponse,
  onCall?: (operation: string, request: IncomingMessage) => void,
): Promise<void> {
  const requestId = randomUUID();
  try {
    const target = String(request.headers['x-amz-target'] ?? '');
    if (!target.startsWith(TARGET_PREFIX)) {
      throw new CognitoError('UnknownOperationException', 'Missing or unknown X-Amz-Target header');
    }
    onCall?.(target.slice(TARGET_PREFIX.length), request);
    const body = await readJson(request);
    const result = await service.call(target.slice(TARGET_PREFIX.length), body);
    send(response, 200, requestId, result);
  } catch (error) {
    const failure = error instanceof CognitoError ? error
      : error instanceof TokenError ? new CognitoError(error.type, error.message)
        : internalError(error);
    response.setHeader('x-amzn-ErrorType', `${failure.type}:`);
    response.setHeader('x-amzn-ErrorMessage', failure.message);
    send(response, failure.status, requestId, { __type: failure.type, message: failure.message });
  }
}

function send(response: ServerResponse, status: number, requestId: string, body: object): void {
  response.writeHead(status, { ...CORS_HEADERS, 'Content-Type': CONTENT_TYPE, 'x-amzn-RequestId': requestId });
  response.end(JSON.stringify(body));
}

async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  // An oversized body is read to its end, unkept: leaving it unread would break the keep-alive connection the
  // client reuses for its next call.
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk as Buffer);
  }
  if (size > MAX_BODY_BYTES) throw new CognitoError('InvalidParameterException', 'Request body too large', 413);
  const text = Buffer.concat(chunks).toString('utf-8');
  if (text.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new CognitoError('SerializationException', 'Request body is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new CognitoError('SerializationException', 'Request body must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}

/** Unexpected failures: logged by type only (never the request), answered like Cognito's 500. */
function internalError(error: unknown): CognitoError {
  process.stderr.write(`sandbox: internal error in the Cognito endpoint: ${error instanceof Error ? error.name + ': ' + error.message : 'unknown'}\n`);
  return new CognitoError('InternalErrorException', 'Internal error in the sandbox; see its standard error.', 500);
}
