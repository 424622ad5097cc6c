import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  GetTokensFromRefreshTokenCommand,
  GetUserAttributeVerificationCodeCommand,
  GetUserCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  UpdateUserAttributesCommand,
  VerifyUserAttributeCommand,
  type AttributeType,
  type AuthenticationResultType,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { expectUnknown, signInWithEmailCode, startSignIn } from './support/custom-auth';
import { cognitoClient, latestCode, messagesTo, startExampleSandbox, uniqueEmail, uniquePhone } from './support/example-sandbox';
import type { Sandbox } from '../../sandbox/start';

jest.setTimeout(60_000);

/**
 * The handlers' send cooldown is per user (its key is the Cognito username), not per email address:
 * a test that signs the same user in twice waits for it. The shortest the handlers accept is 10 s.
 */
const SEND_COOLDOWN_MS = 10_000;
/** Cognito's own messages (attribute verification codes) come from this address. */
const COGNITO_SENDER = 'no-reply@verificationemail.com';

let sandbox: Sandbox;
let cognito: CognitoIdentityProviderClient;

beforeAll(async () => {
  sandbox = await startExampleSandbox({ functionEnvironment: { SEND_COOLDOWN_SECONDS: String(SEND_COOLDOWN_MS / 1000) } });
  cognito = cognitoClient(sandbox);
});

afterAll(async () => {
  cognito?.destroy();
  await sandbox?.stop();
});

interface TestUser {
  readonly username: string;
  readonly email: string;
  readonly tokens: AuthenticationResultType;
  /** When the sign-in code was sent: the start of the user's send cooldown. */
  readonly signedInAt: number;
}

/** Creates a user with a verified email (and any other attributes) and signs them in by email OTP. */
async function signedInUser(extra: AttributeType[] = []): Promise<TestUser> {
  const email = uniqueEmail();
  const username = await createUser(email, [{ Name: 'email_verified', Value: 'true' }, ...extra]);
  const signedInAt = Date.now();
  return { username, email, tokens: await signInWithEmailCode(sandbox, cognito, email, username), signedInAt };
}

async function createUser(identifier: string, attributes: AttributeType[]): Promise<string> {
  const created = await cognito.send(new AdminCreateUserCommand({
    UserPoolId: sandbox.info.userPoolId, Username: identifier, UserAttributes: attributes, MessageAction: 'SUPPRESS',
  }));
  return created.User!.Username!;
}

/** The identifier names the user at sign-in (checked without sending a code, so no cooldown applies). */
async function expectSignInResolves(identifier: string, username: string): Promise<void> {
  const choose = await startSignIn(sandbox, cognito, identifier);
  expect(choose.ChallengeParameters!.USERNAME).toBe(username);
}

async function attributesOf(accessToken: string): Promise<Record<string, string>> {
  const user = await cognito.send(new GetUserCommand({ AccessToken: accessToken }));
  return Object.fromEntries(user.UserAttributes!.map((attribute) => [attribute.Name!, attribute.Value!]));
}

async function refreshedIdClaims(refreshToken: string): Promise<Record<string, unknown>> {
  const refreshed = await cognito.send(new InitiateAuthCommand({
    AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: sandbox.info.userPoolClientId, AuthParameters: { REFRESH_TOKEN: refreshToken },
  }));
  return JSON.parse(Buffer.from(refreshed.AuthenticationResult!.IdToken!.split('.')[1], 'base64url').toString('utf-8'));
}

/** Cognito's own messages to `to`, newest last. */
function cognitoMessagesTo(to: string) {
  return sandbox.outbox().filter((message) => message.to.includes(to) && message.from === COGNITO_SENDER);
}

async function updateEmail(accessToken: string, email: string) {
  return cognito.send(new UpdateUserAttributesCommand({ AccessToken: accessToken, UserAttributes: [{ Name: 'email', Value: email }] }));
}

async function verifyEmail(accessToken: string, code: string) {
  return cognito.send(new VerifyUserAttributeCommand({ AccessToken: accessToken, AttributeName: 'email', Code: code }));
}

function otherCode(code: string): string {
  return code === '000000' ? '111111' : '000000';
}

async function waitForCooldown(user: TestUser): Promise<void> {
  const remaining = user.signedInAt + SEND_COOLDOWN_MS + 500 - Date.now();
  if (remaining > 0) await new Promise((resolve) => setTimeout(resolve, remaining));
}

describe('GetUser', () => {
  test('returns the username and the attributes the app client may read, sub included', async () => {
    const user = await signedInUser([{ Name: 'given_name', Value: 'Ada' }]);

    const got = await cognito.send(new GetUserCommand({ AccessToken: user.tokens.AccessToken }));

    expect(got.Username).toBe(user.username);
    const attributes = Object.fromEntries(got.UserAttributes!.map((attribute) => [attribute.Name, attribute.Value]));
    expect(attributes).toEqual({ sub: user.username, email: user.email, email_verified: 'true', given_name: 'Ada' });
  });

  test('refuses an ID token and a made-up token as the access token', async () => {
    const user = await signedInUser();
    await expect(cognito.send(new GetUserCommand({ AccessToken: user.tokens.IdToken }))).rejects.toMatchObject({
      name: 'NotAuthorizedException', message: 'Invalid Access Token',
    });
    await expect(cognito.send(new GetUserCommand({ AccessToken: 'not-a-token' }))).rejects.toMatchObject({
      name: 'NotAuthorizedException', message: 'Invalid Access Token',
    });
  });
});

describe('UpdateUserAttributes', () => {
  test('changes a plain attribute at once, and refreshed tokens show it', async () => {
    const user = await signedInUser([{ Name: 'given_name', Value: 'Ada' }]);

    const updated = await cognito.send(new UpdateUserAttributesCommand({
      AccessToken: user.tokens.AccessToken, UserAttributes: [{ Name: 'given_name', Value: 'Grace' }],
    }));

    expect(updated.CodeDeliveryDetailsList ?? []).toEqual([]);
    expect(await attributesOf(user.tokens.AccessToken!)).toMatchObject({ given_name: 'Grace', email: user.email });
    expect(await refreshedIdClaims(user.tokens.RefreshToken!)).toMatchObject({ given_name: 'Grace' });
    expect(cognitoMessagesTo(user.email)).toHaveLength(0);
  });

  test('refuses attributes the app client may not write (the *_verified flags), and changes nothing', async () => {
    const user = await signedInUser([{ Name: 'given_name', Value: 'Ada' }]);
    const newEmail = uniqueEmail();

    for (const refused of [
      [{ Name: 'email_verified', Value: 'false' }],
      [{ Name: 'given_name', Value: 'Eve' }, { Name: 'email', Value: newEmail }, { Name: 'email_verified', Value: 'true' }],
      [{ Name: 'phone_number_verified', Value: 'true' }],
    ]) {
      await expect(cognito.send(new UpdateUserAttributesCommand({ AccessToken: user.tokens.AccessToken, UserAttributes: refused })))
        .rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'A client attempted to write unauthorized attribute' });
    }

    expect(await attributesOf(user.tokens.AccessToken!)).toEqual({ sub: user.username, email: user.email, email_verified: 'true', given_name: 'Ada' });
    expect(await messagesTo(sandbox, newEmail)).toBe(0);
  });

  test('a new email waits for verification: a code goes to it, the old email stays and still signs in, the new one does not', async () => {
    const user = await signedInUser();
    const newEmail = uniqueEmail();

    const updated = await updateEmail(user.tokens.AccessToken!, newEmail);

    expect(updated.CodeDeliveryDetailsList).toHaveLength(1);
    const [delivery] = updated.CodeDeliveryDetailsList!;
    expect(delivery).toMatchObject({ AttributeName: 'email', DeliveryMedium: 'EMAIL' });
    expect(delivery.Destination).toMatch(/^u\*+@e\*+/);
    expect(delivery.Destination).not.toContain(newEmail.split('@')[0]);
    const [verification] = cognitoMessagesTo(newEmail);
    expect(verification.text).toMatch(/\b\d{6}\b/);
    expect(cognitoMessagesTo(user.email)).toHaveLength(0);

    expect(await attributesOf(user.tokens.AccessToken!)).toMatchObject({ email: user.email, email_verified: 'true' });
    const admin = await cognito.send(new AdminGetUserCommand({ UserPoolId: sandbox.info.userPoolId, Username: user.email }));
    expect(admin.Username).toBe(user.username);
    await expect(cognito.send(new AdminGetUserCommand({ UserPoolId: sandbox.info.userPoolId, Username: newEmail })))
      .rejects.toMatchObject({ name: 'UserNotFoundException' });
    await expectSignInResolves(user.email, user.username);
    await expectUnknown(sandbox, cognito, newEmail, user.username);
    expect(await refreshedIdClaims(user.tokens.RefreshToken!)).toMatchObject({ email: user.email, email_verified: true });
  });

  test('the default app client may not write phone_number, so Cognito texts no number the allow-list does not cover (R21)', async () => {
    const oldPhone = uniquePhone();
    const user = await signedInUser([{ Name: 'phone_number', Value: oldPhone }, { Name: 'phone_number_verified', Value: 'true' }]);
    const newPhone = '+8613800138000';

    await expect(cognito.send(new UpdateUserAttributesCommand({
      AccessToken: user.tokens.AccessToken, UserAttributes: [{ Name: 'phone_number', Value: newPhone }],
    }))).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'A client attempted to write unauthorized attribute' });

    expect(await messagesTo(sandbox, newPhone)).toBe(0);
    expect(await attributesOf(user.tokens.AccessToken!)).toMatchObject({ phone_number: oldPhone, phone_number_verified: 'true' });
    await expectSignInResolves(oldPhone, user.username);
  });
});

describe('GetUserAttributeVerificationCode and VerifyUserAttribute', () => {
  test('a wrong code is refused; the right one makes the new email the one that signs in', async () => {
    const user = await signedInUser();
    const newEmail = uniqueEmail();
    await updateEmail(user.tokens.AccessToken!, newEmail);

    const resent = await cognito.send(new GetUserAttributeVerificationCodeCommand({ AccessToken: user.tokens.AccessToken, AttributeName: 'email' }));
    expect(resent.CodeDeliveryDetails).toMatchObject({ AttributeName: 'email', DeliveryMedium: 'EMAIL', Destination: expect.stringMatching(/^u\*+@e\*+/) });
    expect(cognitoMessagesTo(newEmail)).toHaveLength(2);
    const code = await latestCode(sandbox, newEmail);

    await expect(verifyEmail(user.tokens.AccessToken!, otherCode(code))).rejects.toMatchObject({
      name: 'CodeMismatchException', message: 'Invalid verification code provided, please try again.',
    });
    expect(await attributesOf(user.tokens.AccessToken!)).toMatchObject({ email: user.email });

    await expect(verifyEmail(user.tokens.AccessToken!, code)).resolves.toBeDefined();

    expect(await attributesOf(user.tokens.AccessToken!)).toMatchObject({ email: newEmail, email_verified: 'true' });
    expect(await refreshedIdClaims(user.tokens.RefreshToken!)).toMatchObject({ email: newEmail, email_verified: true });
    await expect(verifyEmail(user.tokens.AccessToken!, code)).rejects.toMatchObject({ name: 'CodeMismatchException' });
    await expectUnknown(sandbox, cognito, user.email, user.username);
    await waitForCooldown(user);
    const tokens = await signInWithEmailCode(sandbox, cognito, newEmail, user.username);
    expect(await attributesOf(tokens.AccessToken!)).toMatchObject({ sub: user.username, email: newEmail });
  });

  test('only the newest code counts', async () => {
    const user = await signedInUser();
    const newEmail = uniqueEmail();
    await updateEmail(user.tokens.AccessToken!, newEmail);
    const first = await latestCode(sandbox, newEmail);
    await cognito.send(new GetUserAttributeVerificationCodeCommand({ AccessToken: user.tokens.AccessToken, AttributeName: 'email' }));
    const second = await latestCode(sandbox, newEmail);

    if (first !== second) {
      await expect(verifyEmail(user.tokens.AccessToken!, first)).rejects.toMatchObject({ name: 'CodeMismatchException' });
    }
    await verifyEmail(user.tokens.AccessToken!, second);
    expect(await attributesOf(user.tokens.AccessToken!)).toMatchObject({ email: newEmail });
  });

  test('five wrong codes void the code, until a new one is requested', async () => {
    const user = await signedInUser();
    const newEmail = uniqueEmail();
    await updateEmail(user.tokens.AccessToken!, newEmail);
    const code = await latestCode(sandbox, newEmail);

    for (let attempt = 0; attempt < 5; attempt++) {
      await expect(verifyEmail(user.tokens.AccessToken!, otherCode(code))).rejects.toMatchObject({ name: 'CodeMismatchException' });
    }
    await expect(verifyEmail(user.tokens.AccessToken!, code)).rejects.toMatchObject({
      name: 'LimitExceededException', message: 'Attempt limit exceeded, please try after some time.',
    });
    expect(await attributesOf(user.tokens.AccessToken!)).toMatchObject({ email: user.email });

    await cognito.send(new GetUserAttributeVerificationCodeCommand({ AccessToken: user.tokens.AccessToken, AttributeName: 'email' }));
    await verifyEmail(user.tokens.AccessToken!, await latestCode(sandbox, newEmail));
    expect(await attributesOf(user.tokens.AccessToken!)).toMatchObject({ email: newEmail });
  });

  test('refuses attributes that are not verified by code', async () => {
    const user = await signedInUser([{ Name: 'given_name', Value: 'Ada' }]);
    await expect(cognito.send(new GetUserAttributeVerificationCodeCommand({ AccessToken: user.tokens.AccessToken, AttributeName: 'given_name' })))
      .rejects.toMatchObject({ name: 'InvalidParameterException' });
    await expect(cognito.send(new VerifyUserAttributeCommand({ AccessToken: user.tokens.AccessToken, AttributeName: 'given_name', Code: '123456' })))
      .rejects.toMatchObject({ name: 'InvalidParameterException' });
    await expect(cognito.send(new GetUserAttributeVerificationCodeCommand({ AccessToken: user.tokens.AccessToken, AttributeName: 'phone_number' })))
      .rejects.toMatchObject({ name: 'InvalidParameterException' });
  });
});

describe('taking over another user\'s email', () => {
  test('changing to another user\'s email is refused at once: nothing is sent and the other user keeps signing in', async () => {
    const victim = await signedInUser();
    const attacker = await signedInUser();
    const victimMessages = await messagesTo(sandbox, victim.email);

    await expect(updateEmail(attacker.tokens.AccessToken!, victim.email.toUpperCase())).rejects.toMatchObject({
      name: 'AliasExistsException', message: 'An account with the given email already exists.',
    });

    expect(await messagesTo(sandbox, victim.email)).toBe(victimMessages);
    expect(await attributesOf(attacker.tokens.AccessToken!)).toMatchObject({ email: attacker.email });
    await expectSignInResolves(victim.email, victim.username);
    expect(await attributesOf(victim.tokens.AccessToken!)).toMatchObject({ sub: victim.username, email: victim.email });
  });

  test('an address another user got while the change was pending is refused at verification', async () => {
    const first = await signedInUser();
    const contested = uniqueEmail();
    await updateEmail(first.tokens.AccessToken!, contested);
    const code = await latestCode(sandbox, contested);
    const secondUsername = await createUser(contested, [{ Name: 'email_verified', Value: 'true' }]);

    await expect(verifyEmail(first.tokens.AccessToken!, code)).rejects.toMatchObject({ name: 'AliasExistsException' });

    expect(await attributesOf(first.tokens.AccessToken!)).toMatchObject({ email: first.email, email_verified: 'true' });
    await expectSignInResolves(first.email, first.username);
    const tokens = await signInWithEmailCode(sandbox, cognito, contested, secondUsername);
    expect(await attributesOf(tokens.AccessToken!)).toMatchObject({ sub: secondUsername, email: contested });
  });

  test('so is an address another user holds unverified, which keeps naming that user', async () => {
    const holder = uniqueEmail();
    const holderUsername = await createUser(holder, []);
    const user = await signedInUser();

    await expect(updateEmail(user.tokens.AccessToken!, holder)).rejects.toMatchObject({ name: 'AliasExistsException' });

    expect(await attributesOf(user.tokens.AccessToken!)).toMatchObject({ email: user.email });
    await expectSignInResolves(holder, holderUsername);
  });
});

describe('GlobalSignOut', () => {
  test('revokes the access token and the refresh token', async () => {
    const user = await signedInUser();

    await cognito.send(new GlobalSignOutCommand({ AccessToken: user.tokens.AccessToken }));

    await expect(cognito.send(new GetUserCommand({ AccessToken: user.tokens.AccessToken }))).rejects.toMatchObject({
      name: 'NotAuthorizedException', message: 'Access Token has been revoked',
    });
    await expect(updateEmail(user.tokens.AccessToken!, uniqueEmail())).rejects.toMatchObject({
      name: 'NotAuthorizedException', message: 'Access Token has been revoked',
    });
    await expect(cognito.send(new GlobalSignOutCommand({ AccessToken: user.tokens.AccessToken }))).rejects.toMatchObject({
      name: 'NotAuthorizedException', message: 'Access Token has been revoked',
    });
    await expect(refreshedIdClaims(user.tokens.RefreshToken!)).rejects.toMatchObject({
      name: 'NotAuthorizedException', message: 'Refresh Token has been revoked',
    });
    await expect(cognito.send(new GetTokensFromRefreshTokenCommand({
      ClientId: sandbox.info.userPoolClientId, RefreshToken: user.tokens.RefreshToken,
    }))).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'Refresh Token has been revoked' });
  });

  test('leaves other users signed in', async () => {
    const leaving = await signedInUser();
    const staying = await signedInUser();

    await cognito.send(new GlobalSignOutCommand({ AccessToken: leaving.tokens.AccessToken }));

    expect(await attributesOf(staying.tokens.AccessToken!)).toMatchObject({ email: staying.email });
    expect(await refreshedIdClaims(staying.tokens.RefreshToken!)).toMatchObject({ email: staying.email });
  });
});
