import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { capturedLogLines } from './support/captured-log';
import { CustomAuthSession, TestUser } from './support/custom-auth-session';
import { loadedTriggers } from './support/loaded-handlers';
import { localStateTable, TABLE } from './support/local-state-table';
import { recordedMessages } from './support/recorded-messages';
import { VERIFY_ENVIRONMENT } from './support/verify-environment';
import { oversizedPart } from '../../lambda/core/input-size';
import { identifierKey } from '../../lambda/core/otp-code';

const POOL = 'us-east-1_TestPool';
const LIMITS = { MAX_ANSWER_LENGTH: '512', MAX_CLIENT_METADATA_BYTES: '256' };
const table = localStateTable();
const triggers = loadedTriggers(() => ({ ...table.db.awsEnvironment, ...VERIFY_ENVIRONMENT, ...LIMITS, TABLE_NAME: TABLE, LOG_LEVEL: 'debug' }));
const logLines = capturedLogLines();
const { emails } = recordedMessages(mockClient(SESv2Client), mockClient(SNSClient));
const CODE_CHALLENGE = { kind: 'challenge', parameters: { challenge: 'CODE', codeLength: '6' } };
let users = 0;

function newUser(): TestUser {
  users += 1;
  return { userName: `oversized-${users}`, attributes: { email: `big${users}@example.com`, email_verified: 'true' } };
}

async function codeSentTo(user: TestUser): Promise<{ session: CustomAuthSession; code: string }> {
  const session = new CustomAuthSession(triggers, user, POOL);
  await session.start();
  expect(await session.respond('email-otp')).toEqual(CODE_CHALLENGE);
  const code = /code is ([0-9]+)\./.exec(emails[emails.length - 1].text)![1];
  return { session, code };
}

describe('oversizedPart', () => {
  const limits = { maxAnswerLength: 10, maxClientMetadataBytes: 20 };

  test.each([
    ['an answer at the limit', 'a'.repeat(10), undefined, undefined],
    ['an answer over it', 'a'.repeat(11), undefined, 'answer'],
    ['metadata at the limit (its JSON is 20 bytes)', '1', { k: 'v'.repeat(12) }, undefined],
    ['metadata over it', '1', { k: 'v'.repeat(13) }, 'clientMetadata'],
    ['metadata counted in UTF-8 bytes', '1', { k: 'é'.repeat(7) }, 'clientMetadata'],
    ['a non-string answer', 42, undefined, undefined],
  ])('%s', (_name, answer, metadata, expected) => {
    expect(oversizedPart(answer, metadata, limits)).toBe(expected);
  });
});

describe('the verify trigger refuses oversized input before any lookup', () => {
  test('an answer longer than MAX_ANSWER_LENGTH is wrong, and leaves the code and its attempts as they were', async () => {
    const user = newUser();
    const { session, code } = await codeSentTo(user);
    const before = await table.item(identifierKey(POOL, user.userName));

    expect(await session.respond(code + '0'.repeat(600))).toEqual(CODE_CHALLENGE);

    expect(await table.item(identifierKey(POOL, user.userName))).toEqual(before);
    expect(logLines.some((line) => line.includes('"reason":"answer too large"'))).toBe(true);
    expect(await session.respond(code)).toEqual({ kind: 'tokens' });
  });

  test('the right code with ClientMetadata larger than MAX_CLIENT_METADATA_BYTES is wrong', async () => {
    const user = newUser();
    const { session, code } = await codeSentTo(user);
    const before = await table.item(identifierKey(POOL, user.userName));

    expect(await session.respond(code, { note: 'x'.repeat(300) })).toEqual(CODE_CHALLENGE);

    expect(await table.item(identifierKey(POOL, user.userName))).toEqual(before);
    expect(logLines.some((line) => line.includes('"reason":"clientMetadata too large"'))).toBe(true);
    expect(await session.respond(code, { note: 'small' })).toEqual({ kind: 'tokens' });
  });
});
