import { AFTER_COOLDOWN_MS, callsDuring, FAILURES, FAULT_TEST_ENVIRONMENT, signInState, sleep } from './support/faults';
import { useSecuritySandbox } from './support/security-sandbox';
import { apiSignInStep, expectSignedIn, expectTokens, otherCode, requestCode, userWithCode } from './support/sign-in-steps';
import { answerChallenge } from '../e2e/support/custom-auth';
import { latestCode, messagesTo, seedUser, uniqueEmail, uniquePhone } from '../e2e/support/example-sandbox';
import { newLink, redeemLink, tokenOf } from '../e2e/support/magic-links';
import { postSignIn } from '../e2e/support/sign-up-api';

// Cognito retries a trigger whose invocation timed out (after doing its work) or failed with a retryable error, with
// the same event, and uses only the last result (sandbox.retryNextTrigger emulates it). A retried choice never sends
// a second message, and the first code keeps working; a retried check never signs in twice.
const context = useSecuritySandbox({ functionEnvironment: FAULT_TEST_ENVIRONMENT });
jest.setTimeout(30_000);

/** Invocations so far of the trigger whose function name holds `part`. */
function invocationsOf(part: 'VerifyAuthChallenge' | 'DefineAuthChallenge' | 'CreateAuthChallenge'): number {
  const entry = Object.entries(context.sandbox.invocations()).find(([name]) => name.includes(part));
  return entry?.[1] ?? 0;
}

/** InitiateAuth and the choice of `method`: the CODE step. */
async function choose(identifier: string, method: 'email-otp' | 'sms-otp') {
  return (await requestCode(context, identifier, method)).step;
}

describe('a retried choice sends one message', () => {
  test('Cognito retrying Verify on the choice of email: Verify runs twice, one email is sent, and its code signs in', async () => {
    const { sandbox } = context;
    const email = uniqueEmail();
    await seedUser(sandbox, { email });
    const before = invocationsOf('VerifyAuthChallenge');
    sandbox.retryNextTrigger('VerifyAuthChallengeResponse');

    const step = await choose(email, 'email-otp');

    expect(invocationsOf('VerifyAuthChallenge') - before).toBe(2);
    expect(await messagesTo(sandbox, email)).toBe(1);
    await expectSignedIn(context, step, await latestCode(sandbox, email));
  });

  test('Cognito retrying Verify on the choice of SMS: one SMS, and its code signs in', async () => {
    const { sandbox } = context;
    const phone = uniquePhone();
    await seedUser(sandbox, { phone });
    sandbox.retryNextTrigger('VerifyAuthChallengeResponse');

    const calls = await callsDuring(sandbox, () => choose(phone, 'sms-otp'));

    expect(calls['sns.Publish']).toBe(1);
    expect(await messagesTo(sandbox, phone)).toBe(1);
    await expectSignedIn(context, await choose(phone, 'sms-otp'), await latestCode(sandbox, phone));
  });

  test('Cognito retrying Verify after a first invocation whose send failed: the retry sends once, and that code signs in', async () => {
    const { sandbox } = context;
    const email = uniqueEmail();
    const username = await seedUser(sandbox, { email });
    sandbox.faults.ses.failNext('SendEmail', FAILURES.ses(email));
    sandbox.retryNextTrigger('VerifyAuthChallengeResponse');

    const calls = await callsDuring(sandbox, async () => {
      const step = await choose(email, 'email-otp');
      expect(await messagesTo(sandbox, email)).toBe(1);
      await expectSignedIn(context, step, await latestCode(sandbox, email));
    });

    expect(calls['ses.SendEmail']).toBe(2);
    expect(await signInState(sandbox, username)).toMatchObject({ hasCode: false, sends: [expect.any(Number)], failures: [] });
  });

  test('Cognito retrying Define and Create on every round: nothing is sent twice, and the sign-in completes', async () => {
    const { sandbox } = context;
    const email = uniqueEmail();
    await seedUser(sandbox, { email });
    const before = { define: invocationsOf('DefineAuthChallenge'), create: invocationsOf('CreateAuthChallenge') };
    sandbox.retryNextTrigger('DefineAuthChallenge', 3);
    sandbox.retryNextTrigger('CreateAuthChallenge', 2);

    const step = await choose(email, 'email-otp');
    await expectSignedIn(context, step, await latestCode(sandbox, email));

    // Define runs for InitiateAuth and after each of the 2 answers, Create for 2 challenges: each twice.
    expect({ define: invocationsOf('DefineAuthChallenge') - before.define, create: invocationsOf('CreateAuthChallenge') - before.create })
      .toEqual({ define: 6, create: 4 });
    expect(await messagesTo(sandbox, email)).toBe(1);
  });

  test('POST /sign-in with its verify trigger retried by Cognito: one email, and its code signs in', async () => {
    const { sandbox } = context;
    const email = uniqueEmail();
    sandbox.retryNextTrigger('VerifyAuthChallengeResponse');

    const response = await postSignIn(sandbox, email, 'email');

    expect(response.status).toBe(200);
    expect(await messagesTo(sandbox, email)).toBe(1);
    await expectSignedIn(context, await apiSignInStep(context, response), await latestCode(sandbox, email));
  });
});

describe('a retried check never signs in twice', () => {
  test('Cognito retrying Verify on a right code: the code is consumed once, the retry answers as for a used code (no tokens), and a new code after the cooldown signs in', async () => {
    const { sandbox, cognito } = context;
    const { email, username, step, code } = await userWithCode(context);
    sandbox.retryNextTrigger('VerifyAuthChallengeResponse');

    const retried = await answerChallenge(sandbox, cognito, step, code);

    expect(retried.AuthenticationResult).toBeUndefined();
    expect(retried.ChallengeParameters).toMatchObject({ challenge: 'CODE' });
    // The first invocation consumed the code; the retry found none, so there was nothing to guess and nothing is counted.
    expect(await signInState(sandbox, username)).toMatchObject({ hasCode: false, failures: [] });
    await sleep(AFTER_COOLDOWN_MS);
    await expectSignedIn(context, await choose(email, 'email-otp'), await latestCode(sandbox, email));
    expect(await signInState(sandbox, username)).toMatchObject({ failures: [] });
  });

  test('Cognito retrying Verify on a magic link: the link is consumed once, the retry refuses it, and a new link after the cooldown signs in', async () => {
    const { sandbox, cognito } = context;
    const email = uniqueEmail();
    const username = await seedUser(sandbox, { email });
    const token = tokenOf(await newLink(sandbox, email));
    context.keepSecret(token);
    sandbox.retryNextTrigger('VerifyAuthChallengeResponse');

    await expect(redeemLink(sandbox, cognito, email, token)).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'Incorrect username or password.' });

    expect(await signInState(sandbox, username)).toMatchObject({ hasLink: false, failures: [expect.any(Number)] });
    await sleep(AFTER_COOLDOWN_MS);
    const fresh = tokenOf(await newLink(sandbox, email));
    context.keepSecret(fresh);
    expectTokens(context, await redeemLink(sandbox, cognito, email, fresh));
  });

  test('Cognito retrying Verify on a wrong code counts the answer twice, never less, and the attempt limit still ends the code', async () => {
    const { sandbox, cognito } = context;
    const { username, step, code } = await userWithCode(context);
    sandbox.retryNextTrigger('VerifyAuthChallengeResponse');

    const next = await answerChallenge(sandbox, cognito, step, otherCode(code));

    expect(await signInState(sandbox, username)).toMatchObject({ hasCode: true, attempts: 2, failures: [expect.any(Number), expect.any(Number)] });
    // One attempt is left of 3: the right code still signs in.
    await expectSignedIn(context, next, code);
  });
});
