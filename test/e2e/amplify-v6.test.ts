import { GetUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import { confirmSignIn, fetchAuthSession, getCurrentUser, signIn, signOut } from 'aws-amplify/auth';
import { configureAmplify } from './support/amplify';
import { cognitoClient, latestCode, seedUser, startExampleSandbox, uniqueEmail } from './support/example-sandbox';
import { tokenVerifiers } from './support/token-verifiers';
import type { Sandbox } from '../../sandbox/start';

jest.setTimeout(60_000);

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startExampleSandbox();
  configureAmplify(sandbox);
});

afterAll(async () => {
  await sandbox?.stop();
});

test('Amplify v6 in Node: sign in by email code, fetchAuthSession, refresh, signOut', async () => {
  const email = uniqueEmail();
  const username = await seedUser(sandbox, { email });

  const started = await signIn({ username: email, options: { authFlowType: 'CUSTOM_WITHOUT_SRP' } });
  expect(started.nextStep.signInStep).toBe('CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE');
  expect(started.nextStep).toMatchObject({ additionalInfo: { challenge: 'CHOOSE', methods: 'email-otp,sms-otp,magic-link' } });

  const asked = await confirmSignIn({ challengeResponse: 'email-otp' });
  expect(asked.nextStep).toMatchObject({ signInStep: 'CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE', additionalInfo: { challenge: 'CODE' } });

  const done = await confirmSignIn({ challengeResponse: await latestCode(sandbox, email) });
  expect(done.isSignedIn).toBe(true);
  expect(await getCurrentUser()).toMatchObject({ username, userId: expect.any(String) });

  const { id, access } = await tokenVerifiers(sandbox);
  const session = await fetchAuthSession();
  const idClaims = await id.verify(session.tokens!.idToken!.toString());
  expect(idClaims).toMatchObject({ email, 'cognito:username': username });
  await access.verify(session.tokens!.accessToken.toString());

  // A forced refresh goes through GetTokensFromRefreshToken: new tokens, same sign-in.
  const refreshed = await fetchAuthSession({ forceRefresh: true });
  const refreshedClaims = await id.verify(refreshed.tokens!.idToken!.toString());
  expect(refreshedClaims.jti).not.toBe(idClaims.jti);
  expect(refreshedClaims.origin_jti).toBe(idClaims.origin_jti);

  // signOut revokes the refresh token, which also ends the access tokens issued from it.
  const accessToken = refreshed.tokens!.accessToken.toString();
  await signOut();
  expect((await fetchAuthSession()).tokens).toBeUndefined();
  const cognito = cognitoClient(sandbox);
  await expect(cognito.send(new GetUserCommand({ AccessToken: accessToken }))).rejects.toMatchObject({
    name: 'NotAuthorizedException',
    message: 'Access Token has been revoked',
  });
  cognito.destroy();
});

test('Amplify v6 in Node: a wrong code comes back as the same custom challenge', async () => {
  const email = uniqueEmail();
  await seedUser(sandbox, { email });
  await signIn({ username: email, options: { authFlowType: 'CUSTOM_WITHOUT_SRP' } });
  await confirmSignIn({ challengeResponse: 'email-otp' });
  const code = await latestCode(sandbox, email);

  const wrong = await confirmSignIn({ challengeResponse: code === '000000' ? '111111' : '000000' });
  expect(wrong.isSignedIn).toBe(false);
  expect(wrong.nextStep).toMatchObject({ signInStep: 'CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE', additionalInfo: { challenge: 'CODE' } });

  expect((await confirmSignIn({ challengeResponse: code })).isSignedIn).toBe(true);
  await signOut();
});
