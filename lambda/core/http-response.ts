import type { APIGatewayProxyResult } from 'aws-lambda';

/** A JSON response that is never cached, with CORS for the request's origin when it is allowed. */
export function jsonResponse(
  status: number,
  body: object,
  origin: string | undefined,
  allowedOrigins: readonly string[],
): APIGatewayProxyResult {
  const cors: Record<string, string> = origin !== undefined && allowedOrigins.includes(origin)
    ? { 'Access-Control-Allow-Origin': origin, 'Vary': 'Origin' }
    : { Vary: 'Origin' };
  return {
    statusCode: status,
    headers: {
      'Content-Type': 'application/json',
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      ...cors,
    },
    body: JSON.stringify(body),
  };
}

/** A header's value whatever its case (API Gateway passes them as the client sent them). */
export function header(headers: Record<string, string | undefined> | null, name: string): string | undefined {
  const wanted = name.toLowerCase();
  return Object.entries(headers ?? {}).find(([key]) => key.toLowerCase() === wanted)?.[1];
}
