import { keepTokens } from './support/adversary';
import {
  AFTER_COOLDOWN_MS, API_FAILURES, attributeState, expectApiFailure, expectTriggerFailure, FAILURES, FAULT_TEST_ENVIRONMENT,
  SDK_ATTEMPTS, signInState, sleep, THROTTLES, UNAVAILABLE,
} from './support/faults';
import { useSecuritySandbox } from './support/security-sandbox';
import { apiSignInStep, expectSignedIn, expectTokens } from './support/sign-in-steps';
import { answerChallenge, startSignIn } from '../e2e/support/custom-auth';
import { latestCode, messagesTo, seedUser, uniqueEmail } from '../e2e/support/example-sandbox';
import { emailsTo, newLink, redeemLink, requestLink, tokenOf } from '../e2e/support/magic-links';
import { postAttributeCode, postAttributes, postSignIn } from '../e2e/support/sign-up-api';

// Fault behaviour of the Cognito calls the functions make: AdminGetUser, AdminCreateUser, AdminSetUserPassword,
// AdminUpdateUserAttributes, and InitiateAuth, RespondToAuthChallenge and GetUser (sandbox.faults.cognito fails only
// the functions' calls, never the test client's). The user sees fixed words, never Cognito's message; no code is sent
// for a request that failed; a half-done sign-up is completed by the next request.
const context = useSecuritySandbox({ functionEnvironment: FAULT_TEST_ENVIRONMENT });
// A throttled call's retry waits up to a second (the SDK's backoff), and some tests wait for the send cooldown.
jest.setTimeout(30_000);

const users = () => context.sandbox.cognito.pool(context.sandbox.info.userPoolId).users;

/** Answers the code challenge POST /sign-in started with the newest code sent to `identifier`; the tokens must come. */
async function answerStarted(response: Response, identifier: string): Promise<string> {
  expect(response.status).toBe(200);
  return expectSignedIn(context, await apiSignInStep(context, response), await latestCode(context.sandbox, identifier));
}

/** Redeems a link's token, which must sign in. */
async function expectLinkSignsIn(email: string, token: string): Promise<void> {
  context.keepSecret(token);
  expectTokens(context, await redeemLink(context.sandbox, context.cognito, email, token));
}

/** A seeded user with a verified email, signed in by code: its email, username and access token. */
async function signedInUser() {
  const { sandbox, cognito } = context;
  const email = uniqueEmail();
  const username = await seedUser(sandbox, { email });
  const choose = await startSignIn(sandbox, cognito, email);
  const step = await answerChallenge(sandbox, cognito, choose, 'email-otp');
  const done = await answerChallenge(sandbox, cognito, step, await latestCode(sandbox, email));
  context.keepSecret(choose.Session, step.Session);
  keepTokens(context, done.AuthenticationResult);
  return { email, username, accessToken: done.AuthenticationResult!.AccessToken! };
}

describe('POST /magic-link when Cognito fails', () => {
  test('AdminGetUser throttled past the SDK\'s retry: 500 in fixed words, nothing sent or stored; a retry sends a link that signs in', async () => {
    const { sandbox } = context;
    const email = uniqueEmail();
    const username = await seedUser(sandbox, { email });
    sandbox.faults.cognito.failNext('AdminGetUser', THROTTLES.cognito, SDK_ATTEMPTS);

    await expectApiFailure(await requestLink(sandbox, email), 500, API_FAILURES.magicLink, [email, username]);

    expect(await emailsTo(sandbox, email)).toEqual([]);
    expect(await signInState(sandbox, username)).toBeUndefined();
    await expectLinkSignsIn(email, tokenOf(await newLink(sandbox, email)));
  });

  test('a transient AdminGetUser throttle that the SDK\'s retry absorbs: 202, one email, and the link signs in', async () => {
    const { sandbox } = context;
    const email = uniqueEmail();
    await seedUser(sandbox, { email });
    sandbox.faults.cognito.failNext('AdminGetUser', THROTTLES.cognito, SDK_ATTEMPTS - 1);

    await expectLinkSignsIn(email, tokenOf(await newLink(sandbox, email)));

    expect(await emailsTo(sandbox, email)).toHaveLength(1);
    expect(sandbox.awsCalls()['cognito-idp.AdminGetUser']).toBeGreaterThanOrEqual(SDK_ATTEMPTS);
  });

  test('AdminCreateUser failing for a new address: 500 in fixed words naming no address, no user, nothing sent; a retry signs the address up', async () => {
    const { sandbox } = context;
    const email = uniqueEmail();
    sandbox.faults.cognito.failNext('AdminCreateUser', FAILURES.cognito(email), SDK_ATTEMPTS);

    await expectApiFailure(await requestLink(sandbox, email), 500, API_FAILURES.magicLink, [email]);

    expect(users().find(email)).toBeUndefined();
    expect(await emailsTo(sandbox, email)).toEqual([]);
    await expectLinkSignsIn(email, tokenOf(await newLink(sandbox, email)));
    expect(users().find(email)?.attributes.email_verified).toBe('true');
  });
});

describe('POST /sign-in when Cognito fails', () => {
  test('AdminCreateUser throttled past the SDK\'s retry: 500 in fixed words, no user, nothing sent; a retry signs up', async () => {
    const { sandbox } = context;
    const email = uniqueEmail();
    sandbox.faults.cognito.failNext('AdminCreateUser', THROTTLES.cognito, SDK_ATTEMPTS);

    await expectApiFailure(await postSignIn(sandbox, email, 'email'), 500, API_FAILURES.signIn, [email]);

    expect(users().find(email)).toBeUndefined();
    expect(await messagesTo(sandbox, email)).toBe(0);
    await answerStarted(await postSignIn(sandbox, email, 'email'), email);
  });

  test('AdminSetUserPassword failing after the user was created: 500 in fixed words, nothing sent; a retry confirms the user and its code signs up', async () => {
    const { sandbox } = context;
    const email = uniqueEmail();
    sandbox.faults.cognito.failNext('AdminSetUserPassword', FAILURES.cognito(email), SDK_ATTEMPTS);

    await expectApiFailure(await postSignIn(sandbox, email, 'email'), 500, API_FAILURES.signIn, [email]);

    expect(users().find(email)?.status).toBe('FORCE_CHANGE_PASSWORD');
    expect(await messagesTo(sandbox, email)).toBe(0);
    await answerStarted(await postSignIn(sandbox, email, 'email'), email);
    expect(users().find(email)).toMatchObject({ status: 'CONFIRMED', attributes: { email_verified: 'true' } });
  });

  test('InitiateAuth throttled past the SDK\'s retry: 500 in fixed words, nothing sent or stored; a retry signs in', async () => {
    const { sandbox } = context;
    const email = uniqueEmail();
    const username = await seedUser(sandbox, { email });
    sandbox.faults.cognito.failNext('InitiateAuth', THROTTLES.cognito, SDK_ATTEMPTS);

    await expectApiFailure(await postSignIn(sandbox, email, 'email'), 500, API_FAILURES.signIn, [email, username]);

    expect(await messagesTo(sandbox, email)).toBe(0);
    expect(await signInState(sandbox, username)).toBeUndefined();
    await answerStarted(await postSignIn(sandbox, email, 'email'), email);
  });

  test('RespondToAuthChallenge refused: 500 in fixed words, the verify trigger never ran and nothing was sent; a retry sends one code that signs in', async () => {
    const { sandbox } = context;
    const email = uniqueEmail();
    const username = await seedUser(sandbox, { email });
    sandbox.faults.cognito.failNext('RespondToAuthChallenge', FAILURES.cognito(email), SDK_ATTEMPTS);

    await expectApiFailure(await postSignIn(sandbox, email, 'email'), 500, API_FAILURES.signIn, [email, username]);

    expect(await signInState(sandbox, username)).toBeUndefined();
    await answerStarted(await postSignIn(sandbox, email, 'email'), email);
    expect(await messagesTo(sandbox, email)).toBe(1);
  });
});

describe('completing a sign-up when Cognito fails', () => {
  test('AdminUpdateUserAttributes failing when the first right code completes a sign-up: the fixed error; the code is used up, the sign-up stays pending, and the next sign-in after the cooldown completes it', async () => {
    const { sandbox } = context;
    const email = uniqueEmail();
    const started = await postSignIn(sandbox, email, 'email');
    expect(started.status).toBe(200);
    const step = await apiSignInStep(context, started);
    const code = await latestCode(sandbox, email);
    sandbox.faults.cognito.failNext('AdminUpdateUserAttributes', FAILURES.cognito(email), SDK_ATTEMPTS);

    await expectTriggerFailure(answerChallenge(sandbox, context.cognito, step, code), UNAVAILABLE, [email, code]);

    const user = users().find(email)!;
    expect(user.attributes.email_verified).toBe('false');
    expect(await signInState(sandbox, user.username)).toMatchObject({ hasCode: false, pendingSignUp: 'email', failures: [] });
    await sleep(AFTER_COOLDOWN_MS);
    await answerStarted(await postSignIn(sandbox, email, 'email'), email);
    expect(users().find(email)?.attributes.email_verified).toBe('true');
    expect((await signInState(sandbox, user.username))?.pendingSignUp).toBeUndefined();
  });

  test('AdminUpdateUserAttributes throttled past the SDK\'s retry when a sign-up\'s link is redeemed: the fixed error; the link is used up, the sign-up stays pending, and a new link after the cooldown completes it', async () => {
    const { sandbox } = context;
    const email = uniqueEmail();
    const token = tokenOf(await newLink(sandbox, email));
    context.keepSecret(token);
    sandbox.faults.cognito.failNext('AdminUpdateUserAttributes', THROTTLES.cognito, SDK_ATTEMPTS);

    await expectTriggerFailure(redeemLink(sandbox, context.cognito, email, token), UNAVAILABLE, [email, token]);

    const user = users().find(email)!;
    expect(user.attributes.email_verified).toBe('false');
    expect(await signInState(sandbox, user.username)).toMatchObject({ hasLink: false, pendingSignUp: 'email' });
    await sleep(AFTER_COOLDOWN_MS);
    await expectLinkSignsIn(email, tokenOf(await newLink(sandbox, email)));
    expect(users().find(email)?.attributes.email_verified).toBe('true');
  });
});

describe('attribute changes when Cognito fails', () => {
  test('GetUser throttled past the SDK\'s retry on POST /attributes: 500 in fixed words, nothing sent or stored; a retry sends a code', async () => {
    const { sandbox } = context;
    const { email, username, accessToken } = await signedInUser();
    const newEmail = uniqueEmail();
    sandbox.faults.cognito.failNext('GetUser', THROTTLES.cognito, SDK_ATTEMPTS);

    const failed = await postAttributes(sandbox, accessToken, { email: newEmail });
    await expectApiFailure(failed, 500, API_FAILURES.attributes, [email, newEmail, accessToken]);

    expect(await messagesTo(sandbox, newEmail)).toBe(0);
    expect(await attributeState(sandbox, username)).toBeUndefined();
    expect((await postAttributes(sandbox, accessToken, { email: newEmail })).status).toBe(202);
    expect(await messagesTo(sandbox, newEmail)).toBe(1);
  });

  test('AdminUpdateUserAttributes failing for a names-only change: 500 in the route\'s fixed words, names unchanged, nothing sent or stored', async () => {
    const { sandbox } = context;
    const { email, username, accessToken } = await signedInUser();
    sandbox.faults.cognito.failNext('AdminUpdateUserAttributes', FAILURES.cognito(email), SDK_ATTEMPTS);

    await expectApiFailure(await postAttributes(sandbox, accessToken, { givenName: 'Ada' }), 500, API_FAILURES.attributes, [email]);

    expect(users().find(username)?.attributes.given_name).toBeUndefined();
    expect(await attributeState(sandbox, username)).toBeUndefined();
    expect((await postAttributes(sandbox, accessToken, { givenName: 'Ada' })).status).toBe(200);
    expect(users().find(username)?.attributes.given_name).toBe('Ada');
  });

  test('AdminUpdateUserAttributes failing when the verified value is written: 500 "Could not verify the change"; the value stays off the account and its code is used up; a new code after the cooldown verifies it', async () => {
    const { sandbox } = context;
    const { username, accessToken } = await signedInUser();
    const newEmail = uniqueEmail();
    expect((await postAttributes(sandbox, accessToken, { email: newEmail })).status).toBe(202);
    const code = await latestCode(sandbox, newEmail);
    sandbox.faults.cognito.failNext('AdminUpdateUserAttributes', FAILURES.cognito(newEmail), SDK_ATTEMPTS);

    const failed = await postAttributeCode(sandbox, accessToken, { email: newEmail, code });
    await expectApiFailure(failed, 500, API_FAILURES.verifyAttribute, [newEmail, code]);

    expect(users().find(username)?.attributes.email).not.toBe(newEmail);
    expect(await attributeState(sandbox, username)).toMatchObject({ hasCode: false, failures: [] });
    expect((await postAttributeCode(sandbox, accessToken, { email: newEmail, code })).status).toBe(400);
    await sleep(AFTER_COOLDOWN_MS);
    expect((await postAttributes(sandbox, accessToken, { email: newEmail })).status).toBe(202);
    expect((await postAttributeCode(sandbox, accessToken, { email: newEmail, code: await latestCode(sandbox, newEmail) })).status).toBe(200);
    expect(users().find(username)?.attributes).toMatchObject({ email: newEmail, email_verified: 'true' });
  });
});
