import type { APIGatewayProxyEvent } from 'aws-lambda';

/** Bodies are a few short strings; API Gateway's models bound them too, this holds without them (R22). */
export const MAX_BODY_BYTES = 4096;

/**
 * The JSON object body of a request, or the message of a 400 saying what is wrong with it: not JSON,
 * not an object, larger than `maxBytes`, or a field outside `fields`. `example` shows the expected shape.
 */
export function readJsonBody(
  event: APIGatewayProxyEvent,
  fields: readonly string[],
  example: string,
  maxBytes = MAX_BODY_BYTES,
): Record<string, unknown> | string {
  if (bodyBytes(event) > maxBytes) return `Invalid request: the body is larger than ${maxBytes} bytes.`;
  const raw = event.isBase64Encoded && event.body ? Buffer.from(event.body, 'base64').toString('utf-8') : event.body ?? '';
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return `Invalid request: the body must be JSON: ${example}.`;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return `Invalid request: the body must be a JSON object: ${example}.`;
  }
  const unknown = Object.keys(parsed).filter((name) => !fields.includes(name));
  if (unknown.length > 0) return `Invalid request: unexpected field ${JSON.stringify(unknown[0].slice(0, 40))}.`;
  return parsed as Record<string, unknown>;
}

/** The body's size in bytes, without decoding a base64 body (a huge one costs nothing to refuse). */
function bodyBytes(event: APIGatewayProxyEvent): number {
  const body = event.body ?? '';
  if (!event.isBase64Encoded) return Buffer.byteLength(body, 'utf-8');
  const padding = body.endsWith('==') ? 2 : body.endsWith('=') ? 1 : 0;
  return Math.floor((body.length * 3) / 4) - padding;
}

/** The connection's source address; API Gateway sets it from the TCP peer, never from X-Forwarded-For (R9). */
export function sourceIpOf(event: APIGatewayProxyEvent): string {
  return event.requestContext?.identity?.sourceIp ?? '';
}
