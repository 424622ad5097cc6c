import type { EmailConfig, SmsConfig } from './config';
import { createEmailSender } from './email-sender';
import { CLIENT_CONFIG, lazyClient } from './lazy-client';
import type { CodeMethod } from './protocol';

/** Sends a code to a destination over one channel. */
export type Channel = (destination: string, code: string) => Promise<void>;

/** The channels a configuration enables, by method; each loads its SDK client on its first send. */
export type Channels = Partial<Record<CodeMethod, Channel>>;

/** Raised when a channel refused or failed a send; carries no destination and no code. */
export class DeliveryError extends Error {
  constructor(method: CodeMethod, cause: unknown) {
    super(`Could not deliver the ${method} code`, { cause });
    this.name = 'DeliveryError';
  }
}

export interface DeliveryConfig {
  readonly email?: EmailConfig;
  readonly sms?: SmsConfig;
  readonly codeTtlMs: number;
}

export function render(template: string, code: string, codeTtlMs: number): string {
  return template.split('{code}').join(code).split('{minutes}').join(String(Math.round(codeTtlMs / 60_000)));
}

export function createChannels({ email, sms, codeTtlMs }: DeliveryConfig): Channels {
  return {
    'email-otp': email && emailChannel(email, codeTtlMs),
    'sms-otp': sms && smsChannel(sms, codeTtlMs),
  };
}

function emailChannel(email: EmailConfig, codeTtlMs: number): Channel {
  const send = createEmailSender();
  return (to, code) => send({
    from: email.from,
    to,
    subject: email.subject,
    text: render(email.textBody, code, codeTtlMs),
    html: email.htmlBody && render(email.htmlBody, code, codeTtlMs),
    configurationSet: email.configurationSet,
  });
}

function smsChannel(sms: SmsConfig, codeTtlMs: number): Channel {
  const sns = lazyClient('@aws-sdk/client-sns', (sdk: typeof import('@aws-sdk/client-sns')) => new sdk.SNSClient(CLIENT_CONFIG));
  const attributes = {
    'AWS.SNS.SMS.SMSType': 'Transactional',
    'AWS.SNS.SMS.SenderID': sms.senderId,
    'AWS.MM.SMS.OriginationNumber': sms.originationNumber,
  };
  const messageAttributes = Object.fromEntries(Object.entries(attributes)
    .filter(([, value]) => value)
    .map(([name, value]) => [name, { DataType: 'String', StringValue: value }]));
  return async (to, code) => {
    const { sdk, client } = await sns();
    await client.send(new sdk.PublishCommand({
      PhoneNumber: to,
      Message: render(sms.message, code, codeTtlMs),
      MessageAttributes: messageAttributes,
    }));
  };
}
