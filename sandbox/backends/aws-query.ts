import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';

/** The SNS API namespace, which its XML responses carry. */
const SNS_XMLNS = 'http://sns.amazonaws.com/doc/2010-03-31/';

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** Answers an AWS Query call: `<{Action}Response><{Action}Result>{resultXml}</...>` with a request ID. */
export function sendQueryResult(res: ServerResponse, action: string, resultXml: string): void {
  const requestId = randomUUID();
  send(res, 200, requestId, `<${action}Response xmlns="${SNS_XMLNS}"><${action}Result>${resultXml}</${action}Result>`
    + `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`);
}

/** Answers with an AWS Query error; the SDK maps the code to its exception (InvalidParameter becomes InvalidParameterException). */
export function sendQueryError(res: ServerResponse, status: number, code: string, message: string): void {
  const requestId = randomUUID();
  const type = status >= 500 ? 'Receiver' : 'Sender';
  send(res, status, requestId, `<ErrorResponse xmlns="${SNS_XMLNS}"><Error><Type>${type}</Type><Code>${escapeXml(code)}</Code>`
    + `<Message>${escapeXml(message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`);
}

function send(res: ServerResponse, status: number, requestId: string, xml: string): void {
  res.writeHead(status, { 'Content-Type': 'text/xml', 'Content-Length': Buffer.byteLength(xml), 'x-amzn-RequestId': requestId });
  res.end(xml);
}
