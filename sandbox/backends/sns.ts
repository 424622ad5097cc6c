import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { sendQueryError, sendQueryResult } from './aws-query';
import type { FaultInjectable, LocalBackend } from './backend';
import { OperationGate } from './operation-gate';
import type { OutboxMessage } from './outbox';
import { BodyTooLargeError, readBody } from './request-body';
import { closeServer, listenLocal, localUrl } from '../net/listen';

/** An SMS as SNS received it, with the SMS attributes it was given. */
export interface SmsMessage extends OutboxMessage {
  channel: 'sms';
  senderId?: string;
  originationNumber?: string;
  smsType?: string;
}

export interface LocalSns extends LocalBackend, FaultInjectable {
  /** The SMS published since start, oldest first. */
  messages(): SmsMessage[];
}

/** E.164: a plus sign and up to 15 digits, the first not zero. */
const E164 = /^\+[1-9]\d{1,14}$/;
const MAX_BODY_BYTES = 512 * 1024;

/** A refused call, answered as an AWS Query error. */
class SnsError extends Error {
  constructor(readonly code: string, message: string, readonly status = 400) {
    super(message);
  }
}

/**
 * Starts a minimal SNS on 127.0.0.1 that takes SMS: `Publish` with `PhoneNumber` and `Message`, nothing else.
 * The SDK (3.11xx) speaks AWS Query: a form-encoded body with `Action=Publish`, answered in XML.
 */
export async function startSns(): Promise<LocalSns> {
  const gate = new OperationGate();
  const sent: SmsMessage[] = [];

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    try {
      const form = await readForm(req);
      const action = form.get('Action') ?? '';
      const fault = gate.enter(action);
      if (fault) throw new SnsError(fault.code, fault.message, fault.status);
      if (action !== 'Publish') throw new SnsError('InvalidAction', `The local SNS supports only Publish (received: ${action || 'no Action'})`);
      const message = publishedSms(form);
      sent.push(message);
      sendQueryResult(res, 'Publish', `<MessageId>${randomUUID()}</MessageId>`);
    } catch (error) {
      if (error instanceof SnsError) return sendQueryError(res, error.status, error.code, error.message);
      sendQueryError(res, 500, 'InternalError', error instanceof Error ? error.message : 'Internal error');
    }
  };

  const server = createServer((req, res) => void handle(req, res));
  const endpoint = localUrl(await listenLocal(server));
  return {
    endpoint,
    stop: () => closeServer(server),
    calls: () => gate.calls(),
    failNext: (operation, error, times, after) => gate.failNext(operation, error, times, after),
    messages: () => sent.map((message) => ({ ...message, to: [...message.to] })),
  };
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const contentType = req.headers['content-type'] ?? '';
  if (req.method !== 'POST' || !contentType.startsWith('application/x-www-form-urlencoded')) {
    req.resume();
    throw new SnsError('InvalidAction', `The local SNS speaks AWS Query only: a form-encoded POST (received: ${req.method} ${contentType || 'no content type'})`);
  }
  const body = await readBody(req, MAX_BODY_BYTES).catch((error: unknown) => {
    throw error instanceof BodyTooLargeError ? new SnsError('InvalidParameter', error.message) : error;
  });
  return new URLSearchParams(body.toString('utf8'));
}

/** Validates a Publish to a phone number, as SNS does, and returns the SMS it sends. */
function publishedSms(form: URLSearchParams): SmsMessage {
  const phoneNumber = form.get('PhoneNumber');
  const text = form.get('Message');
  if (!phoneNumber) throw new SnsError('InvalidParameter', 'Invalid parameter: the local SNS publishes only to a PhoneNumber (no TopicArn or TargetArn)');
  if (!E164.test(phoneNumber)) throw new SnsError('InvalidParameter', 'Invalid parameter: PhoneNumber Reason: not an E.164 number');
  if (!text) throw new SnsError('InvalidParameter', 'Invalid parameter: Empty message');
  const attributes = messageAttributes(form);
  const originationNumber = attributes['AWS.MM.SMS.OriginationNumber'];
  const senderId = attributes['AWS.SNS.SMS.SenderID'];
  return {
    channel: 'sms',
    to: [phoneNumber],
    from: originationNumber ?? senderId,
    text,
    time: new Date().toISOString(),
    senderId,
    originationNumber,
    smsType: attributes['AWS.SNS.SMS.SMSType'],
  };
}

/** `MessageAttributes.entry.N.Name` / `.Value.StringValue` pairs, as the SDK encodes the attribute map. */
function messageAttributes(form: URLSearchParams): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (let n = 1; form.has(`MessageAttributes.entry.${n}.Name`); n++) {
    const value = form.get(`MessageAttributes.entry.${n}.Value.StringValue`);
    if (value !== null) attributes[form.get(`MessageAttributes.entry.${n}.Name`)!] = value;
  }
  return attributes;
}
