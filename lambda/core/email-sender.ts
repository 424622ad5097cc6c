import type { SESv2Client } from '@aws-sdk/client-sesv2';

export interface EmailMessage {
  readonly from: string;
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html?: string;
  readonly configurationSet?: string;
}

/** Sends one email through SES v2; the client is created on the first send, once per container. */
export function createEmailSender(): (message: EmailMessage) => Promise<void> {
  let ses: Promise<{ client: SESv2Client; sdk: typeof import('@aws-sdk/client-sesv2') }> | undefined;
  return async (message) => {
    ses ??= import('@aws-sdk/client-sesv2').then((sdk) => ({ sdk, client: new sdk.SESv2Client({}) }));
    const { sdk, client } = await ses;
    const data = (value: string) => ({ Data: value, Charset: 'UTF-8' });
    await client.send(new sdk.SendEmailCommand({
      FromEmailAddress: message.from,
      Destination: { ToAddresses: [message.to] },
      ConfigurationSetName: message.configurationSet,
      Content: {
        Simple: {
          Subject: data(message.subject),
          Body: { Text: data(message.text), ...(message.html ? { Html: data(message.html) } : {}) },
        },
      },
    }));
  };
}
