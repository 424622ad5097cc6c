import {
  GetTokensFromRefreshTokenCommand,
  GetUserCommand,
  InitiateAuthCommand,
  RevokeTokenCommand,
  type CognitoIdentityProviderClient,
  type InitiateAuthCommandOutput,
} from '@aws-sdk/client-cognito-identity-provider';
import { answerChallenge, startSignIn, UUID } from './support/custom-auth';
import { cognitoClient, latestCode, messagesTo, seedUser, startExampleSandbox, uniqueEmail, uniquePhone } from './support/example-sandbox';
import { tokenVerifiers } from './support/token-verifiers';
import type { Sandbox } from '../../sandbox/start';

jest.setTimeout(60_000);

let sandbox: Sandbox;
let cognito: CognitoIdentityProviderClient;

beforeAll(async () => {
  sandbox = await startExampleSandbox();
  cognito = cognitoClient(sandbox);
});

afterAll(async () => {
  cognito?.destroy();
  await sandbox?.stop();
});

function clientId(): string {
  return sandbox.info.userPoolClientId;
}

/** Starts a sign-in and asks for a code on `method`: the step every OTP test begins with. */
async function requestCode(identifier: string, method: 'email-otp' | 'sms-otp') {
  const choose = await startSignIn(sandbox, cognito, identifier);
  expect(choose.ChallengeName).toBe('CUSTOM_CHALLENGE');
  expect(choose.ChallengeParameters).toMatchObject({ challenge: 'CHOOSE' });
  const code = await answerChallenge(sandbox, cognito, choose, method);
  expect(code.ChallengeParameters).toMatchObject({ challenge: 'CODE', codeLength: '6' });
  return code;
}

describe('email one-time code with the AWS SDK v3', () => {
  test('signs in with the emailed code and gets tokens that verify against the sandbox JWKS', async () => {
    const email = uniqueEmail();
    const username = await seedUser(sandbox, { email });
    const challenge = await requestCode(email, 'email-otp');
    expect(challenge.ChallengeParameters!.USERNAME).toBe(username);

    const done = await answerChallenge(sandbox, cognito, challenge, await latestCode(sandbox, email));

    const tokens = done.AuthenticationResult!;
    expect(tokens.TokenType).toBe('Bearer');
    const { id, access } = await tokenVerifiers(sandbox);
    const idClaims = await id.verify(tokens.IdToken!);
    expect(idClaims).toMatchObject({ 'email': email, 'email_verified': true, 'cognito:username': username, 'aud': clientId() });
    expect(idClaims.iss).toBe(`https://cognito-idp.us-east-1.amazonaws.com/${sandbox.info.userPoolId}`);
    const accessClaims = await access.verify(tokens.AccessToken!);
    expect(accessClaims).toMatchObject({ username, client_id: clientId(), token_use: 'access' });
    const user = await cognito.send(new GetUserCommand({ AccessToken: tokens.AccessToken }));
    expect(user.Username).toBe(username);
  });

  test('a wrong code re-challenges, and the right code then signs in', async () => {
    const email = uniqueEmail();
    await seedUser(sandbox, { email });
    const challenge = await requestCode(email, 'email-otp');
    const code = await latestCode(sandbox, email);

    const retry = await answerChallenge(sandbox, cognito, challenge, code === '000000' ? '111111' : '000000');
    expect(retry.ChallengeParameters).toMatchObject({ challenge: 'CODE' });
    expect(retry.AuthenticationResult).toBeUndefined();

    const done = await answerChallenge(sandbox, cognito, retry, code);
    expect(done.AuthenticationResult?.IdToken).toBeDefined();
  });

  test('three wrong codes end the sign-in, and the right code no longer works in a new sign-in', async () => {
    const email = uniqueEmail();
    await seedUser(sandbox, { email });
    let step = await requestCode(email, 'email-otp');
    const code = await latestCode(sandbox, email);
    const wrong = code === '000000' ? '111111' : '000000';
    step = await answerChallenge(sandbox, cognito, step, wrong);
    step = await answerChallenge(sandbox, cognito, step, wrong);
    await expect(answerChallenge(sandbox, cognito, step, wrong)).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'Incorrect username or password.' });

    // A fresh session (within the send cooldown, so no new code): the code's attempts are spent,
    // so even the right code only re-challenges.
    const again = await startSignIn(sandbox, cognito, email);
    const noNewCode = await answerChallenge(sandbox, cognito, again, 'email-otp');
    const refused = await answerChallenge(sandbox, cognito, noNewCode, code);
    expect(refused.AuthenticationResult).toBeUndefined();
    expect(refused.ChallengeParameters).toMatchObject({ challenge: 'CODE' });
    expect(await messagesTo(sandbox, email)).toBe(1);
  });

  test('a session cannot be answered twice', async () => {
    const email = uniqueEmail();
    await seedUser(sandbox, { email });
    const choose = await startSignIn(sandbox, cognito, email);
    await answerChallenge(sandbox, cognito, choose, 'email-otp');
    await expect(answerChallenge(sandbox, cognito, choose, 'email-otp')).rejects.toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Invalid session for the user, session can only be used once.',
    });
  });
});

describe('SMS one-time code with the AWS SDK v3', () => {
  test('signs in with the texted code', async () => {
    const phone = uniquePhone();
    const username = await seedUser(sandbox, { phone });
    const challenge = await requestCode(phone, 'sms-otp');
    const done = await answerChallenge(sandbox, cognito, challenge, await latestCode(sandbox, phone));
    const { id } = await tokenVerifiers(sandbox);
    expect(await id.verify(done.AuthenticationResult!.IdToken!)).toMatchObject({
      'phone_number': phone,
      'phone_number_verified': true,
      'cognito:username': username,
    });
  });
});

describe('unknown users', () => {
  test('get the same challenges as known users, a UUID-shaped USERNAME, and nothing is sent', async () => {
    const email = uniqueEmail();
    const choose = await startSignIn(sandbox, cognito, email);
    expect(choose.ChallengeParameters).toMatchObject({ challenge: 'CHOOSE', methods: 'email-otp,sms-otp,magic-link' });
    expect(choose.ChallengeParameters!.USERNAME).toMatch(UUID);
    const code = await answerChallenge(sandbox, cognito, choose, 'email-otp');
    expect(Object.keys(code.ChallengeParameters!).sort()).toEqual(['USERNAME', 'challenge', 'codeLength']);
    await expect(answerChallenge(sandbox, cognito, code, '123456')).resolves.toMatchObject({ ChallengeName: 'CUSTOM_CHALLENGE' });
    expect(await messagesTo(sandbox, email)).toBe(0);
  });
});

describe('refresh and revoke with the AWS SDK v3', () => {
  async function signIn(): Promise<{ email: string; tokens: NonNullable<InitiateAuthCommandOutput['AuthenticationResult']> }> {
    const email = uniqueEmail();
    await seedUser(sandbox, { email });
    const challenge = await requestCode(email, 'email-otp');
    const done = await answerChallenge(sandbox, cognito, challenge, await latestCode(sandbox, email));
    return { email, tokens: done.AuthenticationResult! };
  }

  test('REFRESH_TOKEN_AUTH and GetTokensFromRefreshToken give new tokens for the same sign-in', async () => {
    const { tokens } = await signIn();
    const { id } = await tokenVerifiers(sandbox);
    const first = await id.verify(tokens.IdToken!);

    const refreshed = await cognito.send(new InitiateAuthCommand({
      AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: clientId(), AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken! },
    }));
    const second = await id.verify(refreshed.AuthenticationResult!.IdToken!);
    expect(second.jti).not.toBe(first.jti);
    expect(second).toMatchObject({ origin_jti: first.origin_jti, auth_time: first.auth_time, sub: first.sub });

    const again = await cognito.send(new GetTokensFromRefreshTokenCommand({ ClientId: clientId(), RefreshToken: tokens.RefreshToken! }));
    expect((await id.verify(again.AuthenticationResult!.IdToken!)).origin_jti).toBe(first.origin_jti);
  });

  test('RevokeToken ends the refresh token and the access tokens issued from it', async () => {
    const { tokens } = await signIn();
    await cognito.send(new RevokeTokenCommand({ ClientId: clientId(), Token: tokens.RefreshToken! }));

    await expect(cognito.send(new InitiateAuthCommand({
      AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: clientId(), AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken! },
    }))).rejects.toMatchObject({ name: 'NotAuthorizedException' });
    await expect(cognito.send(new GetUserCommand({ AccessToken: tokens.AccessToken }))).rejects.toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Access Token has been revoked',
    });
  });
});
