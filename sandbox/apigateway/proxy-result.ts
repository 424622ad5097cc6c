/** An HTTP answer, ready to write. */
export interface HttpAnswer {
  readonly statusCode: number;
  /** Name-value pairs; a name may repeat. */
  readonly headers: [string, string][];
  readonly body: Buffer;
}

const PROXY_RESULT_KEYS = new Set(['statusCode', 'headers', 'multiValueHeaders', 'body', 'isBase64Encoded']);

/**
 * The HTTP answer of a Lambda proxy integration's output, or undefined when API Gateway would call the
 * output malformed (and answer 502): not an object, a key outside the format, no valid status code, a body
 * that is not a string, or headers that are not strings, numbers or booleans. Values of `headers` and
 * `multiValueHeaders` are merged; a name-value pair given in both appears once.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html#api-gateway-simple-proxy-for-lambda-output-format
 */
export function proxyAnswer(output: unknown): HttpAnswer | undefined {
  if (typeof output !== 'object' || output === null || Array.isArray(output)) return undefined;
  const result = output as Record<string, unknown>;
  if (Object.keys(result).some((key) => !PROXY_RESULT_KEYS.has(key))) return undefined;
  const statusCode = Number(result.statusCode);
  if (!Number.isInteger(statusCode) || statusCode < 100 || statusCode > 599) return undefined;
  if (result.body !== undefined && result.body !== null && typeof result.body !== 'string') return undefined;

  const headers: [string, string][] = [];
  const multi = result.multiValueHeaders ?? {};
  if (!isRecord(multi)) return undefined;
  for (const [name, values] of Object.entries(multi)) {
    if (!Array.isArray(values) || !values.every(isScalar)) return undefined;
    for (const value of values) headers.push([name, String(value)]);
  }
  const single = result.headers ?? {};
  if (!isRecord(single)) return undefined;
  for (const [name, value] of Object.entries(single)) {
    if (!isScalar(value)) return undefined;
    const exists = headers.some(([candidate, existing]) => candidate.toLowerCase() === name.toLowerCase() && existing === String(value));
    if (!exists) headers.push([name, String(value)]);
  }
  const text = typeof result.body === 'string' ? result.body : '';
  return { statusCode, headers, body: Buffer.from(text, result.isBase64Encoded === true ? 'base64' : 'utf-8') };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}
