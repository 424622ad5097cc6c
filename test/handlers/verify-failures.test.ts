import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { capturedLogLines } from './support/captured-log';
import { CustomAuthSession } from './support/custom-auth-session';
import { loadedTriggers } from './support/loaded-handlers';
import { localStateTable } from './support/local-state-table';
import { VERIFY_ENVIRONMENT } from './support/verify-environment';
import { CODE } from '../../lambda/core/protocol';
import { SIGN_IN_UNAVAILABLE } from '../../lambda/core/trigger-failure';

// The triggers on a table that does not exist: every table call fails, as when DynamoDB is down for the function.
const table = localStateTable();
const triggers = loadedTriggers(() => ({ ...table.db.awsEnvironment, ...VERIFY_ENVIRONMENT, TABLE_NAME: 'no-such-table', LOG_LEVEL: 'debug' }));
const logLines = capturedLogLines();
const ses = mockClient(SESv2Client);

beforeEach(() => {
  ses.reset();
  ses.on(SendEmailCommand).resolves({ MessageId: 'm' });
});

const user = { userName: 'user-1', attributes: { email: 'person@example.com', email_verified: 'true' } };

test('a table error reaches Cognito as the fixed message only: no AWS message, table name or address', async () => {
  const session = new CustomAuthSession(triggers, user);
  await session.start();

  const error = await session.respond('email-otp').then(() => new Error('the trigger did not fail'), (e: unknown) => e as Error);

  expect(error).toBeInstanceOf(Error);
  expect(error.message).toBe(SIGN_IN_UNAVAILABLE);
  expect(error.cause).toBeUndefined();
  expect(ses.commandCalls(SendEmailCommand)).toHaveLength(0);
  expect(logLines.map((line) => JSON.parse(line))).toContainEqual({ level: 'error', message: 'verify auth challenge failed', cause: 'ResourceNotFoundException' });
  expect(logLines.join('\n')).not.toMatch(/person@example\.com|no-such-table/);
});

test('checking a code fails the same way', async () => {
  const event = {
    version: '1',
    region: 'us-east-1',
    userPoolId: 'us-east-1_TestPool',
    userName: user.userName,
    callerContext: { awsSdkVersion: 'test', clientId: 'client' },
    triggerSource: 'VerifyAuthChallengeResponse_Authentication',
    request: { userAttributes: user.attributes, privateChallengeParameters: { challenge: CODE }, challengeAnswer: '123456', userNotFound: false },
    response: { answerCorrect: false },
  };

  await expect(triggers.verify(event as never)).rejects.toThrow(SIGN_IN_UNAVAILABLE);
  expect(logLines.map((line) => JSON.parse(line))).toContainEqual({ level: 'error', message: 'verify auth challenge failed', cause: 'ResourceNotFoundException' });
});
