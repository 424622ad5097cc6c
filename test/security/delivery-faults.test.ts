import {
  AFTER_COOLDOWN_MS, API_FAILURES, attributeState, callsDuring, expectApiFailure, expectTriggerFailure, FAILURES,
  FAULT_TEST_ENVIRONMENT, SDK_ATTEMPTS, signInState, sleep, THROTTLES, UNAVAILABLE, undelivered,
} from './support/faults';
import { useSecuritySandbox } from './support/security-sandbox';
import { apiSignInStep, expectSignedIn, expectTokens } from './support/sign-in-steps';
import { answerChallenge, startSignIn } from '../e2e/support/custom-auth';
import { latestCode, messagesTo, seedUser, uniqueEmail, uniquePhone } from '../e2e/support/example-sandbox';
import { emailsTo, newLink, redeemLink, requestLink, tokenOf } from '../e2e/support/magic-links';
import { postAttributeCode, postAttributes, postSignIn } from '../e2e/support/sign-up-api';

// Fault behaviour of the senders: SES (SendEmail), SNS (Publish) and KMS (Sign) failing or throttling in every flow
// that uses them. A failed send is an error the user sees in fixed words; the code or link it carried is withdrawn
// (nothing valid is left that nobody received); and the failed send is taken back from the send times, so the user
// may ask again at once (docs/protocol.md, "Failures").
const context = useSecuritySandbox({ functionEnvironment: FAULT_TEST_ENVIRONMENT });
// A throttled call's retry waits up to a second (the SDK's backoff), and some tests wait for the send cooldown.
jest.setTimeout(30_000);

/** Asks for a code by `method` for `identifier` and returns the CODE step (the CHOOSE answer must succeed). */
async function askForCode(identifier: string, method: 'email-otp' | 'sms-otp') {
  const { sandbox, cognito } = context;
  const choose = await startSignIn(sandbox, cognito, identifier);
  context.keepSecret(choose.Session);
  return answerChallenge(sandbox, cognito, choose, method);
}

/** Signs in with the newest code sent to `identifier`; the access token. */
async function signInWithNewCode(identifier: string, method: 'email-otp' | 'sms-otp'): Promise<string> {
  const { sandbox } = context;
  const before = await messagesTo(sandbox, identifier);
  const step = await askForCode(identifier, method);
  context.keepSecret(step.Session);
  expect(await messagesTo(sandbox, identifier)).toBe(before + 1);
  return expectSignedIn(context, step, await latestCode(sandbox, identifier));
}

/** The Cognito step of choosing `method` while the sender fails: it must fail in fixed words, nothing sent, nothing left. */
async function expectFailedCodeRequest(identifier: string, username: string, method: 'email-otp' | 'sms-otp') {
  const { sandbox } = context;
  const choose = await startSignIn(sandbox, context.cognito, identifier);
  context.keepSecret(choose.Session);
  const sendsBefore = (await signInState(sandbox, username))?.sends ?? [];
  await expectTriggerFailure(answerChallenge(sandbox, context.cognito, choose, method), undelivered(method), [identifier, username]);
  expect(await messagesTo(sandbox, identifier)).toBe(0);
  // No code was left behind, and the failed send was taken back: the send times are as they were.
  expect(await signInState(sandbox, username)).toMatchObject({ hasCode: false, hasLink: false, sends: sendsBefore });
}

// First in the file: the verify trigger fetches the public key at its container's first redemption, and keeps it.
describe('magic-link redemption when KMS GetPublicKey fails', () => {
  test('GetPublicKey refused, then throttled past the SDK\'s retry, at the first redemptions: the fixed error each time, the link not used up and no failure counted; once KMS answers, the same link signs in', async () => {
    const { sandbox, cognito } = context;
    const email = uniqueEmail();
    const username = await seedUser(sandbox, { email });
    const token = tokenOf(await newLink(sandbox, email));
    context.keepSecret(token);

    sandbox.faults.kms.failNext('GetPublicKey', FAILURES.kms);
    await expectTriggerFailure(redeemLink(sandbox, cognito, email, token), UNAVAILABLE, [email, token, 'arn:aws:kms']);
    sandbox.faults.kms.failNext('GetPublicKey', THROTTLES.kms, SDK_ATTEMPTS);
    await expectTriggerFailure(redeemLink(sandbox, cognito, email, token), UNAVAILABLE, [email, token]);

    expect(await signInState(sandbox, username)).toMatchObject({ hasLink: true, failures: [] });
    const calls = await callsDuring(sandbox, async () => {
      expectTokens(context, await redeemLink(sandbox, cognito, email, token));
    });
    expect(calls['kms.GetPublicKey']).toBe(1);
    expect(await signInState(sandbox, username)).toMatchObject({ hasLink: false, failures: [] });
  });
});

describe('email one-time codes when SES fails', () => {
  test('SES refusing the email: a fixed error naming no address, no code stored, and a retry at once signs in', async () => {
    const email = uniqueEmail();
    const username = await seedUser(context.sandbox, { email });
    context.sandbox.faults.ses.failNext('SendEmail', FAILURES.ses(email));

    await expectFailedCodeRequest(email, username, 'email-otp');

    // Operators see what failed (the error's name only) and that the code was taken back.
    const logged = context.logs.filter((line) => line.includes('"message":"code delivery failed"')).pop();
    expect(logged).toMatch(/"cause":"MessageRejected".*"withdrawn":true/);
    await signInWithNewCode(email, 'email-otp');
  });

  test('SES throttling past the SDK\'s retry: the same fixed error after 2 attempts, nothing stored, and a retry at once signs in', async () => {
    const email = uniqueEmail();
    const username = await seedUser(context.sandbox, { email });
    context.sandbox.faults.ses.failNext('SendEmail', THROTTLES.ses, SDK_ATTEMPTS);

    const calls = await callsDuring(context.sandbox, () => expectFailedCodeRequest(email, username, 'email-otp'));

    expect(calls['ses.SendEmail']).toBe(SDK_ATTEMPTS);
    await signInWithNewCode(email, 'email-otp');
  });

  test('a transient SES throttle that the SDK\'s retry absorbs: one email, and its code signs in', async () => {
    const email = uniqueEmail();
    await seedUser(context.sandbox, { email });
    context.sandbox.faults.ses.failNext('SendEmail', THROTTLES.ses, SDK_ATTEMPTS - 1);

    const calls = await callsDuring(context.sandbox, () => signInWithNewCode(email, 'email-otp'));

    expect(calls['ses.SendEmail']).toBe(SDK_ATTEMPTS);
    expect(await messagesTo(context.sandbox, email)).toBe(1);
  });

  test('a failed send voids the earlier code as well: after it, only the next delivered code signs in', async () => {
    const { sandbox, cognito } = context;
    const email = uniqueEmail();
    const username = await seedUser(sandbox, { email });
    await askForCode(email, 'email-otp');
    const first = await latestCode(sandbox, email);
    await sleep(AFTER_COOLDOWN_MS);

    sandbox.faults.ses.failNext('SendEmail', FAILURES.ses(email));
    const choose = await startSignIn(sandbox, cognito, email);
    await expectTriggerFailure(answerChallenge(sandbox, cognito, choose, 'email-otp'), undelivered('email-otp'), [email]);
    expect(await signInState(sandbox, username)).toMatchObject({ hasCode: false, sends: [expect.any(Number)] });

    const step = await askForCode(email, 'email-otp');
    const second = await latestCode(sandbox, email);
    expect(await messagesTo(sandbox, email)).toBe(2);
    const afterFirst = await answerChallenge(sandbox, cognito, step, first === second ? '000000' : first);
    expect(afterFirst.ChallengeParameters).toMatchObject({ challenge: 'CODE' });
    await expectSignedIn(context, afterFirst, second);
  });
});

describe('SMS one-time codes when SNS fails', () => {
  test('SNS refusing the SMS: a fixed error naming no number, no code stored, and a retry at once signs in', async () => {
    const phone = uniquePhone();
    const username = await seedUser(context.sandbox, { phone });
    context.sandbox.faults.sns.failNext('Publish', FAILURES.sns(phone));

    await expectFailedCodeRequest(phone, username, 'sms-otp');

    await signInWithNewCode(phone, 'sms-otp');
  });

  test('SNS throttling past the SDK\'s retry: the fixed error after 2 attempts, nothing stored, and a retry at once signs in', async () => {
    const phone = uniquePhone();
    const username = await seedUser(context.sandbox, { phone });
    context.sandbox.faults.sns.failNext('Publish', THROTTLES.sns, SDK_ATTEMPTS);

    const calls = await callsDuring(context.sandbox, () => expectFailedCodeRequest(phone, username, 'sms-otp'));

    expect(calls['sns.Publish']).toBe(SDK_ATTEMPTS);
    await signInWithNewCode(phone, 'sms-otp');
  });

  test('a transient SNS throttle that the SDK\'s retry absorbs: one SMS, and its code signs in', async () => {
    const phone = uniquePhone();
    await seedUser(context.sandbox, { phone });
    context.sandbox.faults.sns.failNext('Publish', THROTTLES.sns);

    await signInWithNewCode(phone, 'sms-otp');

    expect(await messagesTo(context.sandbox, phone)).toBe(1);
  });
});

describe('magic-link requests when KMS or SES fails', () => {
  /** POST /magic-link while a sender fails: 500 in fixed words, no email, no link stored, send times unchanged. */
  async function expectFailedLinkRequest(email: string, username: string) {
    const { sandbox } = context;
    await expectApiFailure(await requestLink(sandbox, email), 500, API_FAILURES.magicLink, [email, username]);
    expect(await emailsTo(sandbox, email)).toEqual([]);
    expect(await signInState(sandbox, username)).toMatchObject({ hasCode: false, hasLink: false, sends: [] });
  }

  /** A link requested now arrives, and signs in. */
  async function expectWorkingLink(email: string) {
    const token = tokenOf(await newLink(context.sandbox, email));
    expectTokens(context, await redeemLink(context.sandbox, context.cognito, email, token));
  }

  test('SES refusing the link email: 500 in fixed words, no link stored, and a link asked for at once signs in', async () => {
    const email = uniqueEmail();
    const username = await seedUser(context.sandbox, { email });
    context.sandbox.faults.ses.failNext('SendEmail', FAILURES.ses(email));

    await expectFailedLinkRequest(email, username);

    await expectWorkingLink(email);
  });

  test('SES throttling the link email past the SDK\'s retry: 500 in fixed words, no link stored, and a retry signs in', async () => {
    const email = uniqueEmail();
    const username = await seedUser(context.sandbox, { email });
    context.sandbox.faults.ses.failNext('SendEmail', THROTTLES.ses, SDK_ATTEMPTS);

    await expectFailedLinkRequest(email, username);

    await expectWorkingLink(email);
  });

  test('KMS Sign refusing (a disabled key): 500 in fixed words, nothing sent, no link stored, and a retry signs in', async () => {
    const email = uniqueEmail();
    const username = await seedUser(context.sandbox, { email });
    context.sandbox.faults.kms.failNext('Sign', FAILURES.kms);

    const calls = await callsDuring(context.sandbox, () => expectFailedLinkRequest(email, username));

    expect(calls['ses.SendEmail']).toBeUndefined();
    await expectWorkingLink(email);
  });

  test('KMS Sign throttled past the SDK\'s retry: 500 in fixed words, nothing sent, no link stored, and a retry signs in', async () => {
    const email = uniqueEmail();
    const username = await seedUser(context.sandbox, { email });
    context.sandbox.faults.kms.failNext('Sign', THROTTLES.kms, SDK_ATTEMPTS);

    const calls = await callsDuring(context.sandbox, () => expectFailedLinkRequest(email, username));

    expect(calls).toMatchObject({ 'kms.Sign': SDK_ATTEMPTS });
    expect(calls['ses.SendEmail']).toBeUndefined();
    await expectWorkingLink(email);
  });

  test('transient KMS and SES throttles that the SDK\'s retry absorbs: 202, one email, and the link signs in', async () => {
    const email = uniqueEmail();
    await seedUser(context.sandbox, { email });
    context.sandbox.faults.kms.failNext('Sign', THROTTLES.kms);
    context.sandbox.faults.ses.failNext('SendEmail', THROTTLES.ses);

    await expectWorkingLink(email);

    expect(await emailsTo(context.sandbox, email)).toHaveLength(1);
  });
});

describe('POST /sign-in (auto sign-up) when the code cannot be sent', () => {
  test('SES refusing a new user\'s first code: 500 in fixed words; the user exists, unverified, with no code; a retry at once signs up', async () => {
    const { sandbox } = context;
    const email = uniqueEmail();
    sandbox.faults.ses.failNext('SendEmail', FAILURES.ses(email));

    await expectApiFailure(await postSignIn(sandbox, email, 'email'), 500, API_FAILURES.signIn, [email]);

    const [user] = sandbox.cognito.pool(sandbox.info.userPoolId).users.all().filter((candidate) => candidate.attributes.email === email);
    expect(user.attributes.email_verified).toBe('false');
    expect(await signInState(sandbox, user.username)).toMatchObject({ hasCode: false, sends: [], pendingSignUp: 'email' });
    expect(await messagesTo(sandbox, email)).toBe(0);

    const response = await postSignIn(sandbox, email, 'email');
    expect(response.status).toBe(200);
    await expectSignedIn(context, await apiSignInStep(context, response), await latestCode(sandbox, email));
    expect(sandbox.cognito.pool(sandbox.info.userPoolId).users.find(email)?.attributes.email_verified).toBe('true');
  });

  test('SNS throttling a new phone number\'s first code past the SDK\'s retry: 500 in fixed words, no code stored, and a retry sends one code', async () => {
    const { sandbox } = context;
    const phone = uniquePhone();
    sandbox.faults.sns.failNext('Publish', THROTTLES.sns, SDK_ATTEMPTS);

    await expectApiFailure(await postSignIn(sandbox, phone, 'sms'), 500, API_FAILURES.signIn, [phone]);
    const user = sandbox.cognito.pool(sandbox.info.userPoolId).users.find(phone)!;
    expect(await signInState(sandbox, user.username)).toMatchObject({ hasCode: false, sends: [] });

    expect((await postSignIn(sandbox, phone, 'sms')).status).toBe(200);
    expect(await messagesTo(sandbox, phone)).toBe(1);
  });
});

describe('attribute changes when the code cannot be sent', () => {
  test('SES refusing the code for a new email address: 500 in fixed words, no code stored, and a retry at once sends a code that verifies it', async () => {
    const { sandbox } = context;
    const email = uniqueEmail();
    const username = await seedUser(sandbox, { email });
    const accessToken = await signInWithNewCode(email, 'email-otp');
    const newEmail = uniqueEmail();
    sandbox.faults.ses.failNext('SendEmail', FAILURES.ses(newEmail));

    await expectApiFailure(await postAttributes(sandbox, accessToken, { email: newEmail }), 500, API_FAILURES.attributes, [newEmail, email]);
    expect(await attributeState(sandbox, username)).toMatchObject({ hasCode: false, sends: [] });
    expect(await messagesTo(sandbox, newEmail)).toBe(0);

    expect((await postAttributes(sandbox, accessToken, { email: newEmail })).status).toBe(202);
    const verified = await postAttributeCode(sandbox, accessToken, { email: newEmail, code: await latestCode(sandbox, newEmail) });
    expect(verified.status).toBe(200);
    expect(sandbox.cognito.pool(sandbox.info.userPoolId).users.find(username)?.attributes).toMatchObject({ email: newEmail, email_verified: 'true' });
  });

  test('SNS throttling the code for a new phone number past the SDK\'s retry: 500 in fixed words, no code stored, the number not added; a retry sends one code', async () => {
    const { sandbox } = context;
    const email = uniqueEmail();
    const username = await seedUser(sandbox, { email });
    const accessToken = await signInWithNewCode(email, 'email-otp');
    const phone = uniquePhone();
    sandbox.faults.sns.failNext('Publish', THROTTLES.sns, SDK_ATTEMPTS);

    await expectApiFailure(await postAttributes(sandbox, accessToken, { phoneNumber: phone }), 500, API_FAILURES.attributes, [phone, email]);
    expect(await attributeState(sandbox, username)).toMatchObject({ hasCode: false, sends: [] });
    expect(sandbox.cognito.pool(sandbox.info.userPoolId).users.find(username)?.attributes.phone_number).toBeUndefined();

    expect((await postAttributes(sandbox, accessToken, { phoneNumber: phone })).status).toBe(202);
    expect(await messagesTo(sandbox, phone)).toBe(1);
  });
});
