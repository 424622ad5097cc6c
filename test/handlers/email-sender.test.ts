import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { mockedSdkClient } from './support/mocked-sdk-client';
import { createEmailSender } from '../../lambda/core/email-sender';

const ses = mockedSdkClient(SESv2Client);

beforeEach(() => {
  ses.on(SendEmailCommand).resolves({ MessageId: 'm' });
});

test('sends one simple UTF-8 message to exactly one recipient', async () => {
  await createEmailSender()({
    from: 'no-reply@example.com',
    to: 'jane@example.com',
    subject: 'Your sign-in link',
    text: 'Sign in: https://app.example.com/cb#t',
    html: '<a href="https://app.example.com/cb#t">Sign in</a>',
    configurationSet: 'tracking',
  });
  expect(ses.commandCalls(SendEmailCommand).map((call) => call.args[0].input)).toEqual([{
    FromEmailAddress: 'no-reply@example.com',
    Destination: { ToAddresses: ['jane@example.com'] },
    ConfigurationSetName: 'tracking',
    Content: {
      Simple: {
        Subject: { Data: 'Your sign-in link', Charset: 'UTF-8' },
        Body: {
          Text: { Data: 'Sign in: https://app.example.com/cb#t', Charset: 'UTF-8' },
          Html: { Data: '<a href="https://app.example.com/cb#t">Sign in</a>', Charset: 'UTF-8' },
        },
      },
    },
  }]);
});

test('without an HTML body only text is sent', async () => {
  await createEmailSender()({ from: 'a@example.com', to: 'b@example.com', subject: 's', text: 't' });
  const input = ses.commandCalls(SendEmailCommand)[0].args[0].input;
  expect(input.Content?.Simple?.Body).toEqual({ Text: { Data: 't', Charset: 'UTF-8' } });
  expect(input.ConfigurationSetName).toBeUndefined();
});

test('an SES failure reaches the caller', async () => {
  ses.on(SendEmailCommand).rejects(Object.assign(new Error('rejected'), { name: 'MessageRejected' }));
  await expect(createEmailSender()({ from: 'a@example.com', to: 'b@example.com', subject: 's', text: 't' })).rejects.toThrow('rejected');
});
