import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';

/** The AWS JSON protocol versions: 1.0 (DynamoDB), 1.1 (KMS). */
export type AwsJsonVersion = '1.0' | '1.1';

/** Answers with an AWS JSON body (`application/x-amz-json-<version>`) and a request ID. */
export function sendAwsJson(res: ServerResponse, version: AwsJsonVersion, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': `application/x-amz-json-${version}`,
    'Content-Length': Buffer.byteLength(text),
    'x-amzn-RequestId': randomUUID(),
  });
  res.end(text);
}

/** Answers with an AWS JSON error: the SDK names the thrown error after `__type`, and KMS and DynamoDB spell the text `message`. */
export function sendAwsJsonError(res: ServerResponse, version: AwsJsonVersion, status: number, code: string, message: string): void {
  sendAwsJson(res, version, status, { __type: code, message });
}
