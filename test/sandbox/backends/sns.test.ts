import { CreateTopicCommand, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { LOCAL_CLIENT, portIsFree, withEnv } from './local-aws';
import { startSns, type LocalSns } from '../../../sandbox/backends/sns';

let sns: LocalSns;
let client: SNSClient;

beforeEach(async () => {
  sns = await startSns();
  client = new SNSClient({ ...LOCAL_CLIENT, endpoint: sns.endpoint, maxAttempts: 1 });
});

afterEach(async () => {
  client.destroy();
  await sns.stop();
});

const attribute = (value: string) => ({ DataType: 'String', StringValue: value });

test('a published SMS is in the outbox with its sender attributes', async () => {
  const { MessageId } = await client.send(new PublishCommand({
    PhoneNumber: '+15555550100',
    Message: 'Your code is 123456 & expires in 5 minutes',
    MessageAttributes: {
      'AWS.SNS.SMS.SMSType': attribute('Transactional'),
      'AWS.SNS.SMS.SenderID': attribute('Acme'),
      'AWS.MM.SMS.OriginationNumber': attribute('+15555550199'),
    },
  }));
  expect(MessageId).toMatch(/^[0-9a-f-]{36}$/);
  expect(sns.messages()).toEqual([{
    channel: 'sms',
    to: ['+15555550100'],
    from: '+15555550199',
    text: 'Your code is 123456 & expires in 5 minutes',
    time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    senderId: 'Acme',
    originationNumber: '+15555550199',
    smsType: 'Transactional',
  }]);
  expect(sns.calls()).toEqual({ Publish: 1 });
});

test('the sender ID is the sender when there is no origination number', async () => {
  await client.send(new PublishCommand({ PhoneNumber: '+447700900123', Message: 'hi', MessageAttributes: { 'AWS.SNS.SMS.SenderID': attribute('Acme') } }));
  expect(sns.messages().map((m) => m.from)).toEqual(['Acme']);
});

test.each(['5555550100', '+0123456789', '+1555-555-0100', '+1234567890123456'])('%s is not E.164: InvalidParameterException, nothing sent', async (phoneNumber) => {
  await expect(client.send(new PublishCommand({ PhoneNumber: phoneNumber, Message: 'hi' })))
    .rejects.toMatchObject({ name: 'InvalidParameterException', $metadata: { httpStatusCode: 400 } });
  expect(sns.messages()).toEqual([]);
});

test('publishing to a topic or an empty message is refused', async () => {
  await expect(client.send(new PublishCommand({ TopicArn: 'arn:aws:sns:us-east-1:123456789012:t', Message: 'hi' })))
    .rejects.toMatchObject({ name: 'InvalidParameterException', message: expect.stringMatching(/only to a PhoneNumber/) });
  await expect(client.send(new PublishCommand({ PhoneNumber: '+15555550100', Message: '' })))
    .rejects.toMatchObject({ name: 'InvalidParameterException' });
  expect(sns.messages()).toEqual([]);
});

test('other actions are refused with a clear error', async () => {
  await expect(client.send(new CreateTopicCommand({ Name: 't' })))
    .rejects.toMatchObject({ name: 'InvalidAction', message: expect.stringMatching(/supports only Publish \(received: CreateTopic\)/) });
  expect(sns.calls()).toEqual({ CreateTopic: 1 });
});

test('a body that is not AWS Query is refused', async () => {
  const res = await fetch(sns.endpoint, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  expect(res.status).toBe(400);
  expect(await res.text()).toMatch(/<Code>InvalidAction<\/Code>.*AWS Query only/);
});

test('a body over the size limit is refused', async () => {
  const res = await fetch(sns.endpoint, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `Action=Publish&Message=${'x'.repeat(600 * 1024)}`,
  });
  expect(res.status).toBe(400);
  expect(await res.text()).toMatch(/<Code>InvalidParameter<\/Code>.*larger than/);
  expect(sns.messages()).toEqual([]);
});

test('an injected error reaches the SDK under its code and sends nothing', async () => {
  sns.failNext('Publish', { code: 'AuthorizationError', message: 'not authorized to publish' });
  await expect(client.send(new PublishCommand({ PhoneNumber: '+15555550100', Message: 'hi' })))
    .rejects.toMatchObject({ name: 'AuthorizationErrorException', message: 'not authorized to publish', $metadata: { httpStatusCode: 400 } });
  expect(sns.messages()).toEqual([]);
  await client.send(new PublishCommand({ PhoneNumber: '+15555550100', Message: 'hi' }));
  expect(sns.messages()).toHaveLength(1);
  expect(sns.calls()).toEqual({ Publish: 2 });
});

test('a client finds it through AWS_ENDPOINT_URL_SNS', async () => {
  await withEnv('AWS_ENDPOINT_URL_SNS', sns.endpoint, async () => {
    const fromEnv = new SNSClient(LOCAL_CLIENT);
    try {
      await fromEnv.send(new PublishCommand({ PhoneNumber: '+15555550100', Message: 'from env' }));
    } finally {
      fromEnv.destroy();
    }
  });
  expect(sns.messages().map((m) => m.text)).toEqual(['from env']);
});

test('after stop the port is free', async () => {
  await sns.stop();
  expect(await portIsFree(sns.endpoint)).toBe(true);
});
