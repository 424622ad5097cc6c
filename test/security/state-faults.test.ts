import {
  AFTER_COOLDOWN_MS, API_FAILURES, attributeState, expectApiFailure, expectTriggerFailure, FAILURES, FAULT_TEST_ENVIRONMENT,
  SDK_ATTEMPTS, signInState, sleep, THROTTLES, UNAVAILABLE, undelivered,
} from './support/faults';
import { useSecuritySandbox } from './support/security-sandbox';
import { apiSignInStep, expectSignedIn, expectTokens, otherCode, requestCode, userWithCode } from './support/sign-in-steps';
import { answerChallenge, startSignIn } from '../e2e/support/custom-auth';
import { latestCode, messagesTo, seedUser, uniqueEmail } from '../e2e/support/example-sandbox';
import { emailsTo, newLink, redeemLink, requestLink, tokenOf } from '../e2e/support/magic-links';
import { postAttributeCode, postAttributes, postSignIn } from '../e2e/support/sign-up-api';

// Fault behaviour of the state table (DynamoDB GetItem, PutItem, UpdateItem) in every flow: the user sees fixed
// words, never DynamoDB's message; nothing is sent that is not stored, nothing stored stays valid unsent; attempts,
// failures and send times stay consistent (an evaluated answer is counted once, in the write that reserves it).
const context = useSecuritySandbox({ functionEnvironment: FAULT_TEST_ENVIRONMENT });
// A throttled call's retry waits up to a second (the SDK's backoff), and some tests wait for the send cooldown.
jest.setTimeout(30_000);

/** InitiateAuth and the choice of email: the CODE step (a code is sent unless one was sent within the cooldown). */
async function chooseEmail(email: string) {
  return (await requestCode(context, email, 'email-otp')).step;
}

describe('asking for a code when the table fails', () => {
  test('the table unreadable (GetItem refused): the fixed "unavailable" error naming no address or table, nothing sent or stored; a retry signs in', async () => {
    const { sandbox, cognito } = context;
    const email = uniqueEmail();
    const username = await seedUser(sandbox, { email });
    sandbox.faults.dynamodb.failNext('GetItem', FAILURES.dynamodb);

    const choose = await startSignIn(sandbox, cognito, email);
    await expectTriggerFailure(answerChallenge(sandbox, cognito, choose, 'email-otp'), UNAVAILABLE, [email, username, 'passwordless-state']);

    expect(await messagesTo(sandbox, email)).toBe(0);
    expect(await signInState(sandbox, username)).toBeUndefined();
    await expectSignedIn(context, await chooseEmail(email), await latestCode(sandbox, email));
  });

  test('the code write throttled past the SDK\'s retry (PutItem): the fixed error, nothing sent, nothing stored; a retry signs in', async () => {
    const { sandbox, cognito } = context;
    const email = uniqueEmail();
    const username = await seedUser(sandbox, { email });
    sandbox.faults.dynamodb.failNext('PutItem', THROTTLES.dynamodb, SDK_ATTEMPTS);

    const choose = await startSignIn(sandbox, cognito, email);
    await expectTriggerFailure(answerChallenge(sandbox, cognito, choose, 'email-otp'), UNAVAILABLE, [email, username]);

    expect(await messagesTo(sandbox, email)).toBe(0);
    expect(await signInState(sandbox, username)).toBeUndefined();
    await expectSignedIn(context, await chooseEmail(email), await latestCode(sandbox, email));
  });

  test('transient GetItem and PutItem throttles that the SDK\'s retry absorbs: one email, and its code signs in', async () => {
    const { sandbox } = context;
    const email = uniqueEmail();
    await seedUser(sandbox, { email });
    sandbox.faults.dynamodb.failNext('GetItem', THROTTLES.dynamodb, SDK_ATTEMPTS - 1);
    sandbox.faults.dynamodb.failNext('PutItem', THROTTLES.dynamodb);

    const step = await chooseEmail(email);

    expect(await messagesTo(sandbox, email)).toBe(1);
    await expectSignedIn(context, step, await latestCode(sandbox, email));
  });

  test('SES and the write that withdraws the code failing together: the delivery error; the unsent code stays stored until it expires and its send counts, so the user gets a new code after the cooldown', async () => {
    const { sandbox, cognito } = context;
    const email = uniqueEmail();
    const username = await seedUser(sandbox, { email });
    sandbox.faults.ses.failNext('SendEmail', FAILURES.ses(email));
    sandbox.faults.dynamodb.failNext('UpdateItem', FAILURES.dynamodb);

    const choose = await startSignIn(sandbox, cognito, email);
    await expectTriggerFailure(answerChallenge(sandbox, cognito, choose, 'email-otp'), undelivered('email-otp'), [email]);

    // The residual risk of a double fault (docs/protocol.md): a code nobody received, bound by its attempt limit and lifetime.
    expect(await signInState(sandbox, username)).toMatchObject({ hasCode: true, attempts: 0, sends: [expect.any(Number)] });
    expect(context.logs.filter((line) => line.includes('"message":"code delivery failed"')).pop()).toMatch(/"withdrawn":false/);
    await chooseEmail(email);
    expect(await messagesTo(sandbox, email)).toBe(0);

    await sleep(AFTER_COOLDOWN_MS);
    await expectSignedIn(context, await chooseEmail(email), await latestCode(sandbox, email));
    expect(await messagesTo(sandbox, email)).toBe(1);
  });
});

describe('answering a code when the table fails', () => {
  test('the attempt write failing (UpdateItem throttled past the retry): the fixed error, no attempt or failure counted, and the same code signs in on a new sign-in', async () => {
    const { sandbox, cognito } = context;
    const { email, username, step, code } = await userWithCode(context);
    sandbox.faults.dynamodb.failNext('UpdateItem', THROTTLES.dynamodb, SDK_ATTEMPTS);

    await expectTriggerFailure(answerChallenge(sandbox, cognito, step, code), UNAVAILABLE, [email, code]);

    expect(await signInState(sandbox, username)).toMatchObject({ hasCode: true, attempts: 0, failures: [] });
    // Within the cooldown the new sign-in sends nothing, and the code already sent still works.
    await expectSignedIn(context, await chooseEmail(email), code);
    expect(await messagesTo(sandbox, email)).toBe(1);
  });

  test('consuming a right code failing after its attempt was counted: the fixed error; the attempt and a provisional failure stay, and the code signs in once on a new sign-in, which clears the failure', async () => {
    const { sandbox, cognito } = context;
    const { email, username, step, code } = await userWithCode(context);
    sandbox.faults.dynamodb.failNext('UpdateItem', FAILURES.dynamodb, 1, 1);

    await expectTriggerFailure(answerChallenge(sandbox, cognito, step, code), UNAVAILABLE, [email, code]);

    expect(await signInState(sandbox, username)).toMatchObject({ hasCode: true, attempts: 1, failures: [expect.any(Number)] });
    await expectSignedIn(context, await chooseEmail(email), code);
    expect(await signInState(sandbox, username)).toMatchObject({ hasCode: false, failures: [] });
    const again = await answerChallenge(sandbox, cognito, await chooseEmail(email), code);
    expect(again.ChallengeParameters).toMatchObject({ challenge: 'CODE' });
  });

  test('a wrong code whose attempt write fails counts nothing; the attempt limit then counts exactly the answers evaluated', async () => {
    const { sandbox, cognito } = context;
    const { email, username, step, code } = await userWithCode(context);
    sandbox.faults.dynamodb.failNext('UpdateItem', FAILURES.dynamodb);

    await expectTriggerFailure(answerChallenge(sandbox, cognito, step, otherCode(code)), UNAVAILABLE, [email]);
    expect(await signInState(sandbox, username)).toMatchObject({ attempts: 0, failures: [] });

    let next = await chooseEmail(email);
    for (let answer = 1; answer < 3; answer++) next = await answerChallenge(sandbox, cognito, next, otherCode(code));
    expect(await signInState(sandbox, username)).toMatchObject({ attempts: 2, failures: [expect.any(Number), expect.any(Number)] });
    await expect(answerChallenge(sandbox, cognito, next, otherCode(code))).rejects.toMatchObject({ name: 'NotAuthorizedException' });
    expect(await signInState(sandbox, username)).toMatchObject({ attempts: 3, failures: Array(3).fill(expect.any(Number)) });
    // The code has had its 3 attempts: even the right answer is refused now.
    const after = await answerChallenge(sandbox, cognito, await chooseEmail(email), code);
    expect(after.ChallengeParameters).toMatchObject({ challenge: 'CODE' });
  });
});

describe('magic links when the table fails', () => {
  test('the per-address counter write failing for POST /magic-link: 500 in fixed words, nothing sent or stored; a retry signs in', async () => {
    const { sandbox } = context;
    const email = uniqueEmail();
    const username = await seedUser(sandbox, { email });
    sandbox.faults.dynamodb.failNext('UpdateItem', FAILURES.dynamodb);

    await expectApiFailure(await requestLink(sandbox, email), 500, API_FAILURES.magicLink, [email, 'passwordless-state']);

    expect(await emailsTo(sandbox, email)).toEqual([]);
    expect(await signInState(sandbox, username)).toBeUndefined();
    expectTokens(context, await redeemLink(sandbox, context.cognito, email, tokenOf(await newLink(sandbox, email))));
  });

  test('the state read throttled past the SDK\'s retry for POST /magic-link: 500 in fixed words, nothing sent or stored', async () => {
    const { sandbox } = context;
    const email = uniqueEmail();
    const username = await seedUser(sandbox, { email });
    sandbox.faults.dynamodb.failNext('GetItem', THROTTLES.dynamodb, SDK_ATTEMPTS);

    await expectApiFailure(await requestLink(sandbox, email), 500, API_FAILURES.magicLink, [email]);

    expect(await emailsTo(sandbox, email)).toEqual([]);
    expect(await signInState(sandbox, username)).toBeUndefined();
    expect((await requestLink(sandbox, email)).status).toBe(202);
  });

  test('the link write refused (PutItem): 500 in fixed words, nothing sent, and an earlier link keeps working', async () => {
    const { sandbox } = context;
    const email = uniqueEmail();
    const username = await seedUser(sandbox, { email });
    const token = tokenOf(await newLink(sandbox, email));
    await sleep(AFTER_COOLDOWN_MS);
    sandbox.faults.dynamodb.failNext('PutItem', FAILURES.dynamodb);

    await expectApiFailure(await requestLink(sandbox, email), 500, API_FAILURES.magicLink, [email]);

    expect(await emailsTo(sandbox, email)).toHaveLength(1);
    expect(await signInState(sandbox, username)).toMatchObject({ hasLink: true, sends: [expect.any(Number)] });
    expectTokens(context, await redeemLink(sandbox, context.cognito, email, token));
  });

  test('transient throttles on every table call of POST /magic-link: 202, one email, and the link signs in', async () => {
    const { sandbox } = context;
    const email = uniqueEmail();
    await seedUser(sandbox, { email });
    for (const operation of ['UpdateItem', 'GetItem', 'PutItem']) sandbox.faults.dynamodb.failNext(operation, THROTTLES.dynamodb);

    const token = tokenOf(await newLink(sandbox, email));

    expect(await emailsTo(sandbox, email)).toHaveLength(1);
    expectTokens(context, await redeemLink(sandbox, context.cognito, email, token));
  });

  test('consuming a link throttled past the SDK\'s retry: the fixed error; the link is not used up, no failure is counted, and it signs in on the next try', async () => {
    const { sandbox, cognito } = context;
    const email = uniqueEmail();
    const username = await seedUser(sandbox, { email });
    const token = tokenOf(await newLink(sandbox, email));
    context.keepSecret(token);
    sandbox.faults.dynamodb.failNext('UpdateItem', THROTTLES.dynamodb, SDK_ATTEMPTS);

    await expectTriggerFailure(redeemLink(sandbox, cognito, email, token), UNAVAILABLE, [email, token]);

    expect(await signInState(sandbox, username)).toMatchObject({ hasLink: true, failures: [] });
    expectTokens(context, await redeemLink(sandbox, cognito, email, token));
    expect(await signInState(sandbox, username)).toMatchObject({ hasLink: false });
  });
});

describe('POST /sign-in and attribute changes when the table fails', () => {
  test('marking a new sign-up failing (its second UpdateItem): 500 in fixed words, nothing sent; a retry marks it, and its code signs up and verifies the address', async () => {
    const { sandbox } = context;
    const email = uniqueEmail();
    sandbox.faults.dynamodb.failNext('UpdateItem', FAILURES.dynamodb, 1, 1);

    await expectApiFailure(await postSignIn(sandbox, email, 'email'), 500, API_FAILURES.signIn, [email]);

    const user = sandbox.cognito.pool(sandbox.info.userPoolId).users.find(email)!;
    expect(user.attributes.email_verified).toBe('false');
    expect(await signInState(sandbox, user.username)).toBeUndefined();
    expect(await messagesTo(sandbox, email)).toBe(0);

    const response = await postSignIn(sandbox, email, 'email');
    expect(response.status).toBe(200);
    const started = await apiSignInStep(context, response);
    expect(await signInState(sandbox, user.username)).toMatchObject({ hasCode: true, pendingSignUp: 'email' });
    await expectSignedIn(context, started, await latestCode(sandbox, email));
    expect(sandbox.cognito.pool(sandbox.info.userPoolId).users.find(email)?.attributes.email_verified).toBe('true');
  });

  test('storing the attribute code refused (PutItem): 500 in fixed words, nothing sent or stored; a retry sends a code that verifies the address', async () => {
    const { sandbox } = context;
    const { email, username, step, code } = await userWithCode(context);
    const accessToken = await expectSignedIn(context, step, code);
    const newEmail = uniqueEmail();
    sandbox.faults.dynamodb.failNext('PutItem', FAILURES.dynamodb);

    await expectApiFailure(await postAttributes(sandbox, accessToken, { email: newEmail }), 500, API_FAILURES.attributes, [newEmail, email]);

    expect(await messagesTo(sandbox, newEmail)).toBe(0);
    expect(await attributeState(sandbox, username)).toBeUndefined();
    expect((await postAttributes(sandbox, accessToken, { email: newEmail })).status).toBe(202);
    expect((await postAttributeCode(sandbox, accessToken, { email: newEmail, code: await latestCode(sandbox, newEmail) })).status).toBe(200);
  });

  test('consuming the attribute code failing after its attempt was counted: 500 "Could not verify the change"; the address stays unverified and the code verifies it on a retry', async () => {
    const { sandbox } = context;
    const { username, step, code } = await userWithCode(context);
    const accessToken = await expectSignedIn(context, step, code);
    const newEmail = uniqueEmail();
    expect((await postAttributes(sandbox, accessToken, { email: newEmail })).status).toBe(202);
    const attributeCode = await latestCode(sandbox, newEmail);
    // POST /attributes/verify writes the per-address counter, then reserves the attempt, then consumes the code.
    sandbox.faults.dynamodb.failNext('UpdateItem', THROTTLES.dynamodb, SDK_ATTEMPTS, 2);

    const failed = await postAttributeCode(sandbox, accessToken, { email: newEmail, code: attributeCode });
    await expectApiFailure(failed, 500, API_FAILURES.verifyAttribute, [newEmail, attributeCode]);

    expect(sandbox.cognito.pool(sandbox.info.userPoolId).users.find(username)?.attributes.email).not.toBe(newEmail);
    expect(await attributeState(sandbox, username)).toMatchObject({ hasCode: true, attempts: 1, failures: [expect.any(Number)] });
    expect((await postAttributeCode(sandbox, accessToken, { email: newEmail, code: attributeCode })).status).toBe(200);
    expect(sandbox.cognito.pool(sandbox.info.userPoolId).users.find(username)?.attributes).toMatchObject({ email: newEmail, email_verified: 'true' });
    expect(await attributeState(sandbox, username)).toMatchObject({ hasCode: false, failures: [] });
  });
});
