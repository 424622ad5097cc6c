import { CLIENT_CONFIG, lazyClient } from './lazy-client';

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
  const ses = lazyClient('@aws-sdk/client-sesv2', (sdk: typeof import('@aws-sdk/client-sesv2')) => new sdk.SESv2Client(CLIENT_CONFIG));
  const data = (value: string) => ({ Data: value, Charset: 'UTF-8' });
  return async (message) => {
    const { sdk, client } = await ses();
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
