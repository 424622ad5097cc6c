import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { capturedLogLines } from './support/captured-log';
import { CustomAuthSession, Step, TestUser } from './support/custom-auth-session';
import { fakeDate } from './support/fake-date';
import { loadedTriggers } from './support/loaded-handlers';
import { localStateTable, TABLE } from './support/local-state-table';
import { recordedMessages } from './support/recorded-messages';
import { VERIFY_ENVIRONMENT } from './support/verify-environment';
import { identifierKey } from '../../lambda/core/otp-code';

const POOL = 'us-east-1_TestPool';
const table = localStateTable();
const triggers = loadedTriggers(() => ({ ...table.db.awsEnvironment, ...VERIFY_ENVIRONMENT, TABLE_NAME: TABLE, LOG_LEVEL: 'debug' }));
// Only Date is faked: the local DynamoDB and the decoy delay keep real timers.
const { advance } = fakeDate();
const logLines = capturedLogLines();
const ses = mockClient(SESv2Client);
const sns = mockClient(SNSClient);
const { emails, texts, recordEmail } = recordedMessages(ses, sns);
let userCount = 0;

function emailUser(overrides: Partial<TestUser> = {}): TestUser {
  userCount += 1;
  return {
    userName: `user-${userCount}`,
    attributes: { email: `person${userCount}@example.com`, email_verified: 'true' },
    ...overrides,
  };
}

function lastEmailCode(): string {
  const match = /code is ([0-9]+)\./.exec(emails[emails.length - 1]?.text ?? '');
  if (!match) throw new Error('no code email was sent');
  return match[1];
}

async function askForCode(user: TestUser, method = 'email-otp'): Promise<{ session: CustomAuthSession; step: Step }> {
  const session = new CustomAuthSession(triggers, user, POOL);
  const first = await session.start();
  expect(first).toEqual({ kind: 'challenge', parameters: { challenge: 'CHOOSE', methods: 'email-otp,sms-otp' } });
  const step = await session.respond(method);
  return { session, step };
}

const storedItem = (user: TestUser) => table.item(identifierKey(POOL, user.userName));

const CODE_CHALLENGE = { kind: 'challenge', parameters: { challenge: 'CODE', codeLength: '6' } };

describe('email one-time code', () => {
  test('the right code signs in, and the email goes to the verified address', async () => {
    const user = emailUser();
    const { session, step } = await askForCode(user);
    expect(step).toEqual(CODE_CHALLENGE);
    expect(emails).toHaveLength(1);
    expect(emails[0].to).toBe(user.attributes!.email);
    expect(emails[0].subject).toBe('Your sign-in code');
    expect(emails[0].text).toMatch(/^Your code is [0-9]{6}\. It expires in 3 minutes\.$/);
    expect(await session.respond(lastEmailCode())).toEqual({ kind: 'tokens' });
  });

  test('a wrong code re-challenges, then the right code signs in', async () => {
    const user = emailUser();
    const { session } = await askForCode(user);
    const code = lastEmailCode();
    const wrong = code === '000000' ? '000001' : '000000';
    expect(await session.respond(wrong)).toEqual(CODE_CHALLENGE);
    expect(await session.respond(code)).toEqual({ kind: 'tokens' });
  });

  test('after the attempt limit the session fails and a new sign-in does not reset the count', async () => {
    const user = emailUser();
    const { session } = await askForCode(user);
    const code = lastEmailCode();
    const wrong = code === '111111' ? '222222' : '111111';
    expect(await session.respond(wrong)).toEqual(CODE_CHALLENGE);
    expect(await session.respond(wrong)).toEqual(CODE_CHALLENGE);
    expect(await session.respond(wrong)).toEqual({ kind: 'failed' });

    const again = await askForCode(user); // inside the cooldown: no new code
    expect(emails).toHaveLength(1);
    expect(await again.session.respond(code)).toEqual(CODE_CHALLENGE);
  });

  test('an expired code is rejected', async () => {
    const user = emailUser();
    const { session } = await askForCode(user);
    advance(180_001);
    expect(await session.respond(lastEmailCode())).toEqual(CODE_CHALLENGE);
  });

  test('a code is accepted only once', async () => {
    const user = emailUser();
    const first = await askForCode(user);
    const code = lastEmailCode();
    expect(await first.session.respond(code)).toEqual({ kind: 'tokens' });
    const second = await askForCode(user);
    expect(await second.session.respond(code)).toEqual(CODE_CHALLENGE);
  });

  test('a new code voids the previous one', async () => {
    const user = emailUser();
    await askForCode(user);
    const firstCode = lastEmailCode();
    advance(61_000);
    const { session } = await askForCode(user);
    expect(emails).toHaveLength(2);
    const secondCode = lastEmailCode();
    if (firstCode !== secondCode) expect(await session.respond(firstCode)).toEqual(CODE_CHALLENGE);
    expect(await session.respond(secondCode)).toEqual({ kind: 'tokens' });
  });

  test('an unverified email address receives nothing', async () => {
    const user = emailUser();
    const unverified = { ...user, attributes: { ...user.attributes, email_verified: 'false' } };
    const { step } = await askForCode(unverified);
    expect(step).toEqual(CODE_CHALLENGE);
    expect(emails).toHaveLength(0);
  });

  test('with auto sign-up off, a sign-up marker does not open an unverified address', async () => {
    const user = emailUser();
    const signedUp = { ...user, attributes: { ...user.attributes, email_verified: 'false' } };
    await table.store.markSignUp(identifierKey(POOL, user.userName), 'email', Math.ceil(Date.now() / 1000) + 86_400);
    const { session, step } = await askForCode(signedUp);
    expect(step).toEqual(CODE_CHALLENGE);
    expect(emails).toHaveLength(0);
    expect(await session.respond('123456')).toEqual(CODE_CHALLENGE);
    expect((await storedItem(user))?.pendingSignUp).toEqual({ S: 'email' });
  });

  test('malformed answers fail like wrong codes and never throw', async () => {
    const user = emailUser({ userName: `malformed-${Date.now()}` });
    const { session } = await askForCode(user);
    const code = lastEmailCode();
    const fullWidth = [...code].map((d) => String.fromCharCode(0xff10 + Number(d))).join('');
    expect(await session.respond(` ${code}`)).toEqual(CODE_CHALLENGE);
    expect(await session.respond(fullWidth)).toEqual(CODE_CHALLENGE);
    const big = await askForCode(emailUser());
    expect(await big.session.respond('9'.repeat(1_000_000))).toEqual(CODE_CHALLENGE);
    expect(await big.session.respond('{"code":123456}')).toEqual(CODE_CHALLENGE);
  });
});

describe('unknown users', () => {
  test('get the same challenges as a known user and are sent nothing', async () => {
    const known = emailUser();
    const unknown: TestUser = { userName: 'nobody@example.com', userNotFound: true, attributes: {} };
    const knownFlow = await askForCode(known);
    const unknownFlow = await askForCode(unknown);
    expect(unknownFlow.step).toEqual(knownFlow.step);
    expect(emails).toHaveLength(1);
    expect(texts).toHaveLength(0);
    expect(await unknownFlow.session.respond('123456')).toEqual(CODE_CHALLENGE);
    expect(await unknownFlow.session.respond('123456')).toEqual(CODE_CHALLENGE);
    expect(await unknownFlow.session.respond('123456')).toEqual({ kind: 'failed' });
  });

  test('an unknown identifier takes about as long as a real send', async () => {
    ses.on(SendEmailCommand).callsFake(async (input) => {
      await new Promise((resolve) => setTimeout(resolve, 40));
      emails.push({ to: input.Destination.ToAddresses[0], subject: '', text: '' });
      return {};
    });
    const timeRequest = async (user: TestUser) => {
      const session = new CustomAuthSession(triggers, user, POOL);
      await session.start();
      const started = performance.now();
      await session.respond('email-otp');
      return performance.now() - started;
    };
    for (let i = 0; i < 15; i++) await timeRequest(emailUser()); // let the container learn the send time
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 7; i++) {
      known.push(await timeRequest(emailUser()));
      unknown.push(await timeRequest({ userName: `ghost-${userCount}-${i}@example.com`, userNotFound: true }));
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
    expect(median(unknown)).toBeGreaterThan(median(known) * 0.5); // without the decoy wait it is ~0.2
    expect(median(unknown)).toBeLessThan(median(known) * 2);
  });
});

describe('SMS one-time code', () => {
  const phoneUser = (phone: string): TestUser => {
    userCount += 1;
    return { userName: `phone-${userCount}`, attributes: { phone_number: phone, phone_number_verified: 'true' } };
  };

  test('the code goes by SMS to the verified number and signs in', async () => {
    const user = phoneUser('+14155550100');
    const { session, step } = await askForCode(user, 'sms-otp');
    expect(step).toEqual(CODE_CHALLENGE);
    expect(texts).toEqual([{ to: '+14155550100', message: expect.stringMatching(/^[0-9]{6} is your sign-in code$/) }]);
    expect(sns.commandCalls(PublishCommand)[0].args[0].input.MessageAttributes).toEqual({
      'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
    });
    expect(await session.respond(texts[0].message.slice(0, 6))).toEqual({ kind: 'tokens' });
  });

  test('a number outside the country allow-list is never sent to', async () => {
    const user = phoneUser('+33612345678');
    const { step } = await askForCode(user, 'sms-otp');
    expect(step).toEqual(CODE_CHALLENGE);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
  });

  test('an email-only user choosing SMS receives nothing', async () => {
    await askForCode(emailUser(), 'sms-otp');
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
    expect(emails).toHaveLength(0);
  });
});

describe('delivery failures', () => {
  test('an SES failure is an error and leaves no valid code; a retry may send at once', async () => {
    const user = emailUser();
    let failNext = true;
    ses.on(SendEmailCommand).callsFake((input) => {
      if (!failNext) return recordEmail(input);
      failNext = false;
      throw Object.assign(new Error('throttled'), { name: 'TooManyRequestsException' });
    });
    const session = new CustomAuthSession(triggers, user, POOL);
    await session.start();
    await expect(session.respond('email-otp')).rejects.toThrow('Could not deliver the email-otp code');
    const item = await storedItem(user);
    expect(item?.codeHash).toBeUndefined();
    expect(item?.sends?.L).toEqual([]);

    const retry = await askForCode(user);
    expect(emails).toHaveLength(1);
    expect(await retry.session.respond(lastEmailCode())).toEqual({ kind: 'tokens' });
  });

  test('an SNS failure is an error and leaves no valid code', async () => {
    userCount += 1;
    const user: TestUser = { userName: `phone-${userCount}`, attributes: { phone_number: '+447700900123', phone_number_verified: 'true' } };
    sns.on(PublishCommand).rejects(new Error('sns down'));
    const session = new CustomAuthSession(triggers, user, POOL);
    await session.start();
    await expect(session.respond('sms-otp')).rejects.toThrow('Could not deliver the sms-otp code');
    expect((await storedItem(user))?.codeHash).toBeUndefined();
  });
});

describe('limits per identifier', () => {
  test('the send cooldown and the hourly quota hold across sign-ins', async () => {
    const user = emailUser();
    await askForCode(user);
    await askForCode(user); // within the 60 s cooldown
    expect(emails).toHaveLength(1);
    for (let i = 0; i < 5; i++) {
      advance(61_000);
      await askForCode(user);
    }
    expect(emails).toHaveLength(5); // 5 per hour
    advance(3_600_000);
    await askForCode(user);
    expect(emails).toHaveLength(6);
  });

  test('too many failures stop new codes until the window passes', async () => {
    const user = emailUser();
    for (let round = 0; round < 4; round++) {
      const { session } = await askForCode(user);
      const code = lastEmailCode();
      const wrong = code === '999999' ? '999998' : '999999';
      for (let i = 0; i < 3; i++) await session.respond(wrong);
      advance(61_000);
    }
    const sentBeforeLock = emails.length;
    expect(sentBeforeLock).toBe(4); // 12 failures recorded, over the limit of 10
    await askForCode(user);
    expect(emails).toHaveLength(sentBeforeLock);
    advance(3_600_000);
    await askForCode(user);
    expect(emails).toHaveLength(sentBeforeLock + 1);
  });
});

describe('concurrency', () => {
  test('50 concurrent right answers in separate sessions give exactly one sign-in', async () => {
    const user = emailUser();
    const sessions = await Promise.all(Array.from({ length: 50 }, () => askForCode(user)));
    expect(emails).toHaveLength(1); // the rest fell in the cooldown
    const code = lastEmailCode();
    const results = await Promise.all(sessions.map(({ session }) => session.respond(code)));
    expect(results.filter((r) => r.kind === 'tokens')).toHaveLength(1);
  });

  test('100 concurrent wrong answers evaluate at most the attempt limit', async () => {
    const user = emailUser();
    const sessions = await Promise.all(Array.from({ length: 100 }, () => askForCode(user)));
    const code = lastEmailCode();
    const wrong = code === '123123' ? '321321' : '123123';
    await Promise.all(sessions.map(({ session }) => session.respond(wrong)));
    expect((await storedItem(user))?.attempts?.N).toBe('3');
    const late = await askForCode(user);
    expect(await late.session.respond(code)).toEqual(CODE_CHALLENGE);
  });
});

test('no code ever appears in a log line, even at debug level', async () => {
  const user = emailUser();
  const { session } = await askForCode(user);
  const code = lastEmailCode();
  await session.respond(code === '000000' ? '000001' : '000000');
  await session.respond(code);
  expect(logLines.length).toBeGreaterThan(3);
  for (const line of logLines) {
    expect(line).not.toContain(code);
    expect(line).not.toContain(user.attributes!.email);
  }
});
