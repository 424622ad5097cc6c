import type { SNSClient } from '@aws-sdk/client-sns';
import type { EmailConfig, SmsConfig } from './config';
import { createEmailSender } from './email-sender';
import type { CodeMethod } from './protocol';

/** Sends a code over one channel. Clients are created on first use, only for the channels in use. */
export interface Delivery {
  send(method: CodeMethod, destination: string, code: string): Promise<void>;
}

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

export function createDelivery(config: DeliveryConfig): Delivery {
  let sns: Promise<{ client: SNSClient; sdk: typeof import('@aws-sdk/client-sns') }> | undefined;
  const sender = createEmailSender();

  const sendEmail = (email: EmailConfig, to: string, code: string) => sender({
    from: email.from,
    to,
    subject: email.subject,
    text: render(email.textBody, code, config.codeTtlMs),
    html: email.htmlBody ? render(email.htmlBody, code, config.codeTtlMs) : undefined,
    configurationSet: email.configurationSet,
  });

  const sendSms = async (sms: SmsConfig, to: string, code: string) => {
    sns ??= import('@aws-sdk/client-sns').then((sdk) => ({ sdk, client: new sdk.SNSClient({}) }));
    const { sdk, client } = await sns;
    const attribute = (value: string) => ({ DataType: 'String', StringValue: value });
    await client.send(new sdk.PublishCommand({
      PhoneNumber: to,
      Message: render(sms.message, code, config.codeTtlMs),
      MessageAttributes: {
        'AWS.SNS.SMS.SMSType': attribute('Transactional'),
        ...(sms.senderId ? { 'AWS.SNS.SMS.SenderID': attribute(sms.senderId) } : {}),
        ...(sms.originationNumber ? { 'AWS.MM.SMS.OriginationNumber': attribute(sms.originationNumber) } : {}),
      },
    }));
  };

  return {
    async send(method, destination, code) {
      try {
        if (method === 'email-otp' && config.email) return await sendEmail(config.email, destination, code);
        if (method === 'sms-otp' && config.sms) return await sendSms(config.sms, destination, code);
      } catch (error) {
        throw new DeliveryError(method, error);
      }
      throw new DeliveryError(method, new Error(`${method} is not configured`));
    },
  };
}
