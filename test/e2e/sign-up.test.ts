// Auto sign-up and sign-in with either identifier end to end through the sandbox, with the example app's
// MagicLinkApi (autoSignUp on): POST /sign-in and POST /magic-link over HTTP, codes and links read from the
// outbox, and the sign-in finished with the AWS SDK v3 and with Amplify v6.
import { confirmSignIn, fetchAuthSession, signIn, signOut } from 'aws-amplify/auth';
import { configureAmplify } from './support/amplify';
import { startSignIn, UUID } from './support/custom-auth';
import { latestCode, messagesTo, seedUser, uniqueEmail, uniquePhone } from './support/example-sandbox';
import { emailsTo, latestLink, redeemLink, requestLink, sleep, tokenOf } from './support/magic-links';
import { median, mannWhitneyU } from '../support/mann-whitney';
import { COOLDOWN_MS, expectNoSecretsLogged, postSignIn, startApiSignIn, type StartedSignIn, useSignUpSandbox } from './support/sign-up-api';

jest.setTimeout(90_000);

const context = useSignUpSandbox();

describe('POST /sign-in with auto sign-up', () => {
  test('the first sign-in creates the user, whose email is verified by the code; the refreshed tokens show it', async () => {
    // Given
    const email = uniqueEmail();
    expect(await context.client.usersWith('email', email)).toHaveLength(0);

    // When
    const started = await startApiSignIn(context.sandbox, email, 'email');

    // Then a user exists, unverified, and a code went to the address
    expect(started.challengeName).toBe('CUSTOM_CHALLENGE');
    expect(started.challengeParameters).toMatchObject({ challenge: 'CODE', codeLength: '6' });
    expect(started.challengeParameters.USERNAME).toMatch(UUID);
    const [created] = await context.client.usersWith('email', email);
    expect(created.Username).toBe(started.challengeParameters.USERNAME);
    expect(created.Attributes).toContainEqual({ Name: 'email_verified', Value: 'false' });
    expect(await messagesTo(context.sandbox, email)).toBe(1);

    // When the code is answered
    const done = await context.client.answerCode(started, await latestCode(context.sandbox, email));

    // Then: tokens; refreshed ones show the verified email (those of this sign-in may not: see docs/sign-up.md)
    const tokens = done.AuthenticationResult!;
    expect((await context.client.idClaims(tokens)).sub).toBe(created.Attributes!.find((attribute) => attribute.Name === 'sub')!.Value);
    const claims = await context.client.idClaims(await context.client.refreshed(tokens));
    expect(claims).toMatchObject({ 'email': email, 'email_verified': true, 'cognito:username': created.Username });
  });

  test('a second sign-in reuses the user', async () => {
    // Given
    const email = uniqueEmail();
    const first = await context.client.idClaims(await context.client.signInThroughApi(email, 'email'));
    await sleep(COOLDOWN_MS); // the send cooldown

    // When
    const second = await context.client.idClaims(await context.client.signInThroughApi(email, 'email'));

    // Then
    expect(second.sub).toBe(first.sub);
    expect(second.email_verified).toBe(true);
    expect(await context.client.usersWith('email', email)).toHaveLength(1);
  });

  test('an unfinished sign-up is completed by the next one, not duplicated', async () => {
    // Given a sign-up whose code was never answered
    const email = uniqueEmail();
    const abandoned = await startApiSignIn(context.sandbox, email, 'email');
    await sleep(COOLDOWN_MS);

    // When
    const tokens = await context.client.signInThroughApi(email, 'email');

    // Then
    expect((await context.client.idClaims(tokens))['cognito:username']).toBe(abandoned.challengeParameters.USERNAME);
    expect(await context.client.usersWith('email', email)).toHaveLength(1);
  });

  test('a phone number signs up by SMS', async () => {
    // Given
    const phone = uniquePhone();

    // When
    const tokens = await context.client.signInThroughApi(phone, 'sms');

    // Then
    const claims = await context.client.idClaims(await context.client.refreshed(tokens));
    expect(claims).toMatchObject({ phone_number: phone, phone_number_verified: true });
    expect(claims.email).toBeUndefined();
  });

  test('new and existing users get the same status, headers and body shape', async () => {
    // Given
    const existing = uniqueEmail();
    await seedUser(context.sandbox, { email: existing });

    // When
    const responses = [await postSignIn(context.sandbox, uniqueEmail(), 'email'), await postSignIn(context.sandbox, existing, 'email')];

    // Then
    const [fresh, known] = await Promise.all(responses.map(async (response) => ({
      status: response.status,
      headers: [...response.headers.keys()].filter((name) => !['date', 'content-length'].includes(name)).sort(),
      body: (await response.json()) as StartedSignIn,
    })));
    expect(fresh.status).toBe(200);
    expect(known.status).toBe(fresh.status);
    expect(known.headers).toEqual(fresh.headers);
    expect(Object.keys(known.body).sort()).toEqual(Object.keys(fresh.body).sort());
    expect(known.body.challengeName).toBe(fresh.body.challengeName);
    const shape = (parameters: Record<string, string>) => ({ ...parameters, USERNAME: UUID.test(parameters.USERNAME) });
    expect(shape(known.body.challengeParameters)).toEqual(shape(fresh.body.challengeParameters));
  });

  test('response times do not tell new from existing users (Mann-Whitney U, n = 100 each)', async () => {
    // Given: warm containers, whose estimate of a creation has settled, and 100 existing users
    for (let i = 0; i < 25; i++) await startApiSignIn(context.sandbox, uniqueEmail(), 'email');
    const existing: string[] = [];
    for (let i = 0; i < 100; i++) {
      const email = uniqueEmail();
      await seedUser(context.sandbox, { email });
      existing.push(email);
    }

    // When: new and existing users, interleaved
    const timed = async (email: string) => {
      const started = performance.now();
      const response = await postSignIn(context.sandbox, email, 'email');
      expect(response.status).toBe(200);
      await response.json();
      return performance.now() - started;
    };
    const fresh: number[] = [];
    const known: number[] = [];
    for (const email of existing) {
      fresh.push(await timed(uniqueEmail()));
      known.push(await timed(email));
    }

    // Then
    const test = mannWhitneyU(fresh, known);
    console.log(`POST /sign-in timing: new median ${median(fresh).toFixed(1)} ms, existing median ${median(known).toFixed(1)} ms, `
      + `Mann-Whitney U = ${test.u}, z = ${test.z.toFixed(2)}, p = ${test.p.toFixed(3)}`);
    expect(test.p).toBeGreaterThan(0.001);
  }, 180_000);

  test('Amplify v6: after POST /sign-in, signIn and confirmSignIn take the code that was sent', async () => {
    // Given
    configureAmplify(context.sandbox);
    const email = uniqueEmail();
    await startApiSignIn(context.sandbox, email, 'email');

    // When
    const started = await signIn({ username: email, options: { authFlowType: 'CUSTOM_WITHOUT_SRP' } });
    expect(started.nextStep.signInStep).toBe('CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE');
    const chosen = await confirmSignIn({ challengeResponse: 'email-otp' });
    const done = await confirmSignIn({ challengeResponse: await latestCode(context.sandbox, email) });

    // Then: one code only, and a signed-in session
    expect(chosen.nextStep.signInStep).toBe('CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE');
    expect(done.isSignedIn).toBe(true);
    expect(await messagesTo(context.sandbox, email)).toBe(1);
    const session = await fetchAuthSession({ forceRefresh: true });
    expect(session.tokens?.idToken?.payload).toMatchObject({ email, email_verified: true });
    await signOut();
  });

  test('a bad identifier or channel is a 400 that names the problem, and creates nothing', async () => {
    const cases: [string, string, RegExp][] = [
      ['not an email', 'email', /email/],
      ['+44 20 7946 0958', 'email', /email/],
      ['+999123456789', 'sms', /country calling codes/],
      ['12345', 'sms', /E\.164/],
      // API Gateway's model refuses it before the function runs
      [uniqueEmail(), 'fax', /Invalid request body/],
    ];
    for (const [identifier, channel, message] of cases) {
      const response = await postSignIn(context.sandbox, identifier, channel as 'email');
      expect(response.status).toBe(400);
      expect(((await response.json()) as { message: string }).message).toMatch(message);
    }
    expect(await context.client.usersWith('email', 'not an email')).toHaveLength(0);
  });
});

describe('POST /magic-link with auto sign-up', () => {
  test('an unknown address gets a user and a link; redeeming it signs in and verifies the email', async () => {
    // Given
    const email = uniqueEmail();

    // When
    const response = await requestLink(context.sandbox, email);

    // Then
    expect(response.status).toBe(202);
    expect(await emailsTo(context.sandbox, email)).toHaveLength(1);
    const [created] = await context.client.usersWith('email', email);
    expect(created.Attributes).toContainEqual({ Name: 'email_verified', Value: 'false' });
    const done = await redeemLink(context.sandbox, context.cognito, email, tokenOf(await latestLink(context.sandbox, email)));
    const claims = await context.client.idClaims(await context.client.refreshed(done.AuthenticationResult!));
    expect(claims).toMatchObject({ 'email': email, 'email_verified': true, 'cognito:username': created.Username });
  });
});

describe('signing in with either identifier', () => {
  test('a user with a verified email and phone gets the same account through both, by the API and by InitiateAuth', async () => {
    // Given
    const email = uniqueEmail();
    const phone = uniquePhone();
    const username = await seedUser(context.sandbox, { email, phone });

    // When (the send cooldown is per user: the second sign-in waits it out)
    const byEmail = await context.client.idClaims(await context.client.signInThroughApi(email, 'email'));
    await sleep(COOLDOWN_MS);
    const byPhone = await context.client.idClaims(await context.client.signInThroughApi(phone, 'sms'));
    const choose = await startSignIn(context.sandbox, context.cognito, phone);

    // Then
    expect(byEmail['cognito:username']).toBe(username);
    expect(byPhone['cognito:username']).toBe(username);
    expect(choose.ChallengeParameters!.USERNAME).toBe(username);
    expect(await context.client.usersWith('phone_number', phone)).toHaveLength(1);
  });
});

test('no function logged, at debug level, a code or link that was sent, an address, or a token', async () => {
  await expectNoSecretsLogged(context);
});
