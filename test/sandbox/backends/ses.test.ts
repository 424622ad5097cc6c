import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { LOCAL_CLIENT, portIsFree, withEnv } from './local-aws';
import { startSes, type LocalSes } from '../../../sandbox/backends/ses';

let ses: LocalSes;
let client: SESv2Client;

beforeEach(async () => {
  ses = await startSes();
  client = new SESv2Client({ ...LOCAL_CLIENT, endpoint: ses.endpoint, maxAttempts: 1 });
});

afterEach(async () => {
  client.destroy();
  await ses.stop();
});

const sendEmail = (sesClient: SESv2Client, to = 'alice@example.com') => sesClient.send(new SendEmailCommand({
  FromEmailAddress: 'no-reply@example.com',
  Destination: { ToAddresses: [to] },
  Content: {
    Simple: {
      Subject: { Data: 'Your sign-in code', Charset: 'UTF-8' },
      Body: { Text: { Data: 'Your code is 123456' }, Html: { Data: '<p>Your code is 123456</p>' } },
    },
  },
}));

test('a sent email is in the outbox, timed to the millisecond', async () => {
  const before = Date.now();
  const { MessageId } = await sendEmail(client);
  expect(MessageId).toEqual(expect.any(String));
  const emails = ses.emails();
  expect(emails).toEqual([{
    channel: 'email',
    to: ['alice@example.com'],
    from: 'no-reply@example.com',
    subject: 'Your sign-in code',
    text: 'Your code is 123456',
    html: '<p>Your code is 123456</p>',
    time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
  }]);
  expect(Date.parse(emails[0].time)).toBeGreaterThanOrEqual(before);
  expect(ses.calls()).toEqual({ SendEmail: 1 });
});

test('a new local SES starts with an empty outbox, and only one runs at a time', async () => {
  await sendEmail(client);
  await expect(startSes()).rejects.toThrow(/already running/);
  await ses.stop();
  ses = await startSes();
  expect(ses.emails()).toEqual([]);
});

test('an injected error reaches the SDK under its code and sends nothing', async () => {
  ses.failNext('SendEmail', { code: 'MessageRejected', message: 'Email address is not verified.' });
  await expect(sendEmail(client)).rejects.toMatchObject({ name: 'MessageRejected', message: 'Email address is not verified.' });
  expect(ses.emails()).toEqual([]);
  await sendEmail(client);
  expect(ses.emails()).toHaveLength(1);
  expect(ses.calls()).toEqual({ SendEmail: 2 });
});

test('a client finds it through AWS_ENDPOINT_URL_SESV2', async () => {
  await withEnv('AWS_ENDPOINT_URL_SESV2', ses.endpoint, async () => {
    const fromEnv = new SESv2Client(LOCAL_CLIENT);
    try {
      await sendEmail(fromEnv, 'bob@example.com');
    } finally {
      fromEnv.destroy();
    }
  });
  expect(ses.emails().map((email) => email.to)).toEqual([['bob@example.com']]);
});

test('it refuses to start when aws-ses-v2-local would forward emails to a real SMTP server', async () => {
  await ses.stop();
  await withEnv('SMTP_TRANSPORT', '{"host":"smtp.example.com"}', async () => {
    await expect(startSes()).rejects.toThrow(/SMTP_TRANSPORT is set/);
  });
  ses = await startSes();
  expect(ses.emails()).toEqual([]);
});

test('after stop the port is free', async () => {
  await ses.stop();
  expect(await portIsFree(ses.endpoint)).toBe(true);
});
