import type { Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import server from 'aws-ses-v2-local';
import { clearStore, getStoreReadonly } from 'aws-ses-v2-local/dist/store';
import type { FaultInjectable, LocalBackend } from './backend';
import { interceptRequests } from './intercept-requests';
import { OperationGate } from './operation-gate';
import type { OutboxMessage } from './outbox';
import { closeServer, LOOPBACK, localUrl } from '../net/listen';

export interface LocalSes extends LocalBackend, FaultInjectable {
  /** The emails sent since start, oldest first. */
  emails(): OutboxMessage[];
}

/** SES v2 operations by route; other requests are counted as `<METHOD> <path>`. */
const OPERATIONS: Record<string, string> = {
  'POST /v2/email/outbound-emails': 'SendEmail',
  'POST /v2/email/outbound-bulk-emails': 'SendBulkEmail',
  'GET /v2/email/account': 'GetAccount',
};

// aws-ses-v2-local keeps its emails in one module-global store, so two backends in a process would share it.
let running = false;

/** Starts SES v2 (aws-ses-v2-local) on 127.0.0.1 with an empty store. */
export async function startSes(): Promise<LocalSes> {
  if (running) throw new Error('A local SES is already running in this process: aws-ses-v2-local has one global store');
  // aws-ses-v2-local forwards every email to this SMTP transport when set: the sandbox must never send real mail.
  if (process.env.SMTP_TRANSPORT?.trim()) throw new Error('SMTP_TRANSPORT is set: unset it, the local SES would forward emails to it');
  running = true;
  clearStore();
  let ses: Server;
  try {
    ses = await server({ host: LOOPBACK, port: 0 });
    if (!ses.listening) throw new Error('The local SES could not listen');
  } catch (error) {
    running = false;
    throw error;
  }

  const gate = new OperationGate();
  // The store times emails in whole seconds; the outbox orders emails and SMS to the millisecond.
  const sentAt = new Map<string, string>();
  interceptRequests(ses, (req, res, serve) => {
    const path = (req.url ?? '/').split('?')[0];
    if (!path.startsWith('/v2/')) return serve();
    const operation = OPERATIONS[`${req.method} ${path}`] ?? `${req.method} ${path}`;
    const fault = gate.enter(operation);
    if (fault) {
      req.resume();
      return sendRestJsonError(res, fault.status ?? 400, fault.code, fault.message);
    }
    const arrived = new Date().toISOString();
    res.on('finish', () => getStoreReadonly().emails.forEach((email) => {
      if (!sentAt.has(email.messageId)) sentAt.set(email.messageId, arrived);
    }));
    serve();
  });

  return {
    endpoint: localUrl((ses.address() as AddressInfo).port),
    stop: async () => {
      await closeServer(ses);
      clearStore();
      running = false;
    },
    calls: () => gate.calls(),
    failNext: (operation, error, times, after) => gate.failNext(operation, error, times, after),
    emails: () => getStoreReadonly().emails.map((email): OutboxMessage => ({
      channel: 'email',
      to: [...email.destination.to, ...email.destination.cc, ...email.destination.bcc],
      from: email.from,
      subject: email.subject,
      text: email.body.text ?? '',
      html: email.body.html,
      time: sentAt.get(email.messageId) ?? new Date(email.at * 1000).toISOString(),
    })),
  };
}

/** The REST JSON error shape: the SDK names the error after the `x-amzn-ErrorType` header. */
function sendRestJsonError(res: ServerResponse, status: number, code: string, message: string): void {
  const body = JSON.stringify({ message });
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), 'x-amzn-ErrorType': code });
  res.end(body);
}
