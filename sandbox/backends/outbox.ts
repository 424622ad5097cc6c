/** One message the app sent to a user, by email (SES) or SMS (SNS), as the sandbox caught it. */
export interface OutboxMessage {
  channel: 'email' | 'sms';
  /** Every recipient: email addresses, or the E.164 phone number. */
  to: string[];
  /** The sender address, or the SMS origination number or sender ID when one was given. */
  from?: string;
  subject?: string;
  text: string;
  html?: string;
  /** When the backend received it (ISO 8601). */
  time: string;
}

/** All messages of the given outboxes (e.g. SES emails and SNS SMS), oldest first; same-time messages keep their order. */
export function mergeOutboxes(...outboxes: (readonly OutboxMessage[])[]): OutboxMessage[] {
  return outboxes.flat().sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
}
