import {
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  AdminUpdateUserAttributesCommand,
  AdminUserGlobalSignOutCommand,
  GetUserCommand,
  InitiateAuthCommand,
  ListUsersCommand,
  UpdateUserAttributesCommand,
  VerifyUserAttributeCommand,
  type AdminCreateUserCommandInput,
  type AttributeType,
  type CognitoIdentityProviderClient,
  type UserType,
} from '@aws-sdk/client-cognito-identity-provider';
import { expectUnknown, signInWithEmailCode, startSignIn, UUID } from './support/custom-auth';
import { cognitoClient, latestCode, messagesTo, startExampleSandbox, uniqueEmail, uniquePhone } from './support/example-sandbox';
import type { Sandbox } from '../../sandbox/start';

jest.setTimeout(60_000);

/** Cognito's own messages (invitations, attribute verification codes) come from this address. */
const COGNITO_SENDER = 'no-reply@verificationemail.com';
/** Meets the example pool's password policy (64 characters, all four character classes). */
const STRONG_PASSWORD = `Aa1!${'x'.repeat(60)}`;

// The handlers' send cooldown is per user, so each user signs in (signInWithEmailCode) at most once in this file.
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

function poolId(): string {
  return sandbox.info.userPoolId;
}

async function createUser(input: Omit<AdminCreateUserCommandInput, 'UserPoolId'>): Promise<UserType> {
  const created = await cognito.send(new AdminCreateUserCommand({ UserPoolId: poolId(), MessageAction: 'SUPPRESS', ...input }));
  return created.User!;
}

/** A user with a verified email, as an admin creates one; returns the username (a UUID). */
async function verifiedUser(email: string, extra: AttributeType[] = []): Promise<string> {
  const user = await createUser({ Username: email, UserAttributes: [{ Name: 'email_verified', Value: 'true' }, ...extra] });
  return user.Username!;
}

async function getUser(username: string) {
  return cognito.send(new AdminGetUserCommand({ UserPoolId: poolId(), Username: username }));
}

function attributes(list: AttributeType[] | undefined): Record<string, string> {
  return Object.fromEntries((list ?? []).map((attribute) => [attribute.Name!, attribute.Value!]));
}

async function refresh(refreshToken: string) {
  return cognito.send(new InitiateAuthCommand({
    AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: sandbox.info.userPoolClientId, AuthParameters: { REFRESH_TOKEN: refreshToken },
  }));
}

function cognitoMessagesTo(to: string) {
  return sandbox.outbox().filter((message) => message.to.includes(to) && message.from === COGNITO_SENDER);
}

async function listUsers(filter: string, more: { Limit?: number; PaginationToken?: string; AttributesToGet?: string[] } = {}) {
  return cognito.send(new ListUsersCommand({ UserPoolId: poolId(), Filter: filter, ...more }));
}

describe('AdminCreateUser', () => {
  test('an email username becomes the email attribute and the username a UUID (= sub); SUPPRESS sends nothing', async () => {
    const email = uniqueEmail();

    const user = await createUser({ Username: email, UserAttributes: [{ Name: 'given_name', Value: 'Ada' }] });

    expect(user.Username).toMatch(UUID);
    expect(user).toMatchObject({ Enabled: true, UserStatus: 'FORCE_CHANGE_PASSWORD' });
    expect(attributes(user.Attributes)).toEqual({ sub: user.Username, email, given_name: 'Ada' });
    expect(user.UserCreateDate).toBeInstanceOf(Date);
    expect(await messagesTo(sandbox, email)).toBe(0);
  });

  test('a phone number username becomes the phone_number attribute', async () => {
    const phone = uniquePhone();
    const user = await createUser({ Username: phone });
    expect(user.Username).toMatch(UUID);
    expect(attributes(user.Attributes)).toEqual({ sub: user.Username, phone_number: phone });
    expect(await messagesTo(sandbox, phone)).toBe(0);
  });

  test('a username that is neither an email address nor a phone number is refused', async () => {
    for (const username of ['alice', '5551234567', 'a@b@c']) {
      await expect(createUser({ Username: username })).rejects.toMatchObject({
        name: 'InvalidParameterException', message: 'Username should be either an email or a phone number.',
      });
    }
  });

  test('a second user with the same email (in any case) or phone number is refused', async () => {
    const email = uniqueEmail();
    const phone = uniquePhone();
    await createUser({ Username: email, UserAttributes: [{ Name: 'phone_number', Value: phone }] });

    await expect(createUser({ Username: email.toUpperCase() })).rejects.toMatchObject({
      name: 'UsernameExistsException', message: 'An account with the given email already exists.',
    });
    await expect(createUser({ Username: phone })).rejects.toMatchObject({
      name: 'UsernameExistsException', message: 'An account with the given phone_number already exists.',
    });
    await expect(createUser({ Username: uniqueEmail(), UserAttributes: [{ Name: 'phone_number', Value: phone }] }))
      .rejects.toMatchObject({ name: 'UsernameExistsException' });
    const { Users } = await listUsers(`email = "${email}"`);
    expect(Users).toHaveLength(1);
  });

  test('a malformed email or phone number attribute is refused', async () => {
    const phone = uniquePhone();
    await expect(createUser({ Username: phone, UserAttributes: [{ Name: 'email', Value: 'not-an-email' }] })).rejects.toMatchObject({
      name: 'InvalidParameterException', message: 'Invalid email address format.',
    });
    await expect(createUser({ Username: uniqueEmail(), UserAttributes: [{ Name: 'phone_number', Value: '555-0100' }] })).rejects.toMatchObject({
      name: 'InvalidParameterException', message: 'Invalid phone number format.',
    });
    await expect(getUser(phone)).rejects.toMatchObject({ name: 'UserNotFoundException' });
  });

  test('without SUPPRESS, Cognito sends the invitation: by email when asked, by SMS by default', async () => {
    const email = uniqueEmail();
    const phone = uniquePhone();

    const byEmail = await createUser({ Username: email, MessageAction: undefined, DesiredDeliveryMediums: ['EMAIL'] });
    const bySms = await createUser({ Username: phone, MessageAction: undefined });

    const [invitation] = cognitoMessagesTo(email);
    expect(invitation).toMatchObject({ channel: 'email', to: [email] });
    expect(invitation.text).toContain(byEmail.Username);
    const sms = sandbox.outbox().filter((message) => message.to.includes(phone));
    expect(sms).toHaveLength(1);
    expect(sms[0]).toMatchObject({ channel: 'sms' });
    expect(sms[0].text).toContain(bySms.Username);
  });

  test('RESEND sends the invitation again, only to users who have not yet set a password', async () => {
    const email = uniqueEmail();
    const username = (await createUser({ Username: email })).Username!;

    const resent = await createUser({ Username: email, MessageAction: 'RESEND', DesiredDeliveryMediums: ['EMAIL'] });

    expect(resent.Username).toBe(username);
    expect(cognitoMessagesTo(email)).toHaveLength(1);
    await cognito.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId(), Username: username, Password: STRONG_PASSWORD, Permanent: true }));
    await expect(createUser({ Username: email, MessageAction: 'RESEND', DesiredDeliveryMediums: ['EMAIL'] })).rejects.toMatchObject({
      name: 'UnsupportedUserStateException',
    });
    await expect(createUser({ Username: uniqueEmail(), MessageAction: 'RESEND' })).rejects.toMatchObject({ name: 'UserNotFoundException' });
    expect(cognitoMessagesTo(email)).toHaveLength(1);
  });
});

describe('AdminGetUser', () => {
  test('finds a user by username, email or phone number, with status, dates and attributes', async () => {
    const email = uniqueEmail();
    const phone = uniquePhone();
    const username = await verifiedUser(email, [{ Name: 'phone_number', Value: phone }]);

    for (const name of [username, email, email.toUpperCase(), phone]) {
      const user = await getUser(name);
      expect(user).toMatchObject({ Username: username, Enabled: true, UserStatus: 'FORCE_CHANGE_PASSWORD' });
      expect(attributes(user.UserAttributes)).toEqual({ sub: username, email, email_verified: 'true', phone_number: phone });
      expect(user.UserLastModifiedDate!.getTime()).toBeGreaterThanOrEqual(user.UserCreateDate!.getTime());
    }
  });

  test('an unknown user is UserNotFoundException', async () => {
    await expect(getUser(uniqueEmail())).rejects.toMatchObject({ name: 'UserNotFoundException', message: 'User does not exist.' });
  });
});

describe('AdminUpdateUserAttributes', () => {
  test('a new email with email_verified=true applies at once: it signs in, the old one is unknown', async () => {
    const oldEmail = uniqueEmail();
    const newEmail = uniqueEmail();
    const username = await verifiedUser(oldEmail);

    await cognito.send(new AdminUpdateUserAttributesCommand({
      UserPoolId: poolId(),
      Username: username,
      UserAttributes: [{ Name: 'email', Value: newEmail }, { Name: 'email_verified', Value: 'true' }],
    }));

    expect(attributes((await getUser(username)).UserAttributes)).toMatchObject({ email: newEmail, email_verified: 'true' });
    expect(cognitoMessagesTo(newEmail)).toHaveLength(0);
    await expectUnknown(sandbox, cognito, oldEmail, username);
    await signInWithEmailCode(sandbox, cognito, newEmail, username);
  });

  test('a new email without email_verified waits: the old email signs in, a code goes to the new one', async () => {
    const oldEmail = uniqueEmail();
    const newEmail = uniqueEmail();
    const username = await verifiedUser(oldEmail);

    await cognito.send(new AdminUpdateUserAttributesCommand({
      UserPoolId: poolId(), Username: username, UserAttributes: [{ Name: 'email', Value: newEmail }],
    }));

    expect(attributes((await getUser(username)).UserAttributes)).toMatchObject({ email: oldEmail, email_verified: 'true' });
    expect(cognitoMessagesTo(newEmail)).toHaveLength(1);
    await expect(getUser(newEmail)).rejects.toMatchObject({ name: 'UserNotFoundException' });
    await expectUnknown(sandbox, cognito, newEmail, username);
    const tokens = await signInWithEmailCode(sandbox, cognito, oldEmail, username);

    // The user's code verifies the new email.
    await cognito.send(new VerifyUserAttributeCommand({
      AccessToken: tokens.AccessToken, AttributeName: 'email', Code: await latestCode(sandbox, newEmail),
    }));
    expect(attributes((await getUser(username)).UserAttributes)).toMatchObject({ email: newEmail, email_verified: 'true' });
    await expectUnknown(sandbox, cognito, oldEmail, username);
  });

  test('an admin\'s change makes a code sent earlier useless', async () => {
    const email = uniqueEmail();
    const pending = uniqueEmail();
    const chosenByAdmin = uniqueEmail();
    const username = await verifiedUser(email);
    const tokens = await signInWithEmailCode(sandbox, cognito, email, username);
    await cognito.send(new UpdateUserAttributesCommand({ AccessToken: tokens.AccessToken, UserAttributes: [{ Name: 'email', Value: pending }] }));
    const code = await latestCode(sandbox, pending);

    await cognito.send(new AdminUpdateUserAttributesCommand({
      UserPoolId: poolId(),
      Username: username,
      UserAttributes: [{ Name: 'email', Value: chosenByAdmin }, { Name: 'email_verified', Value: 'true' }],
    }));

    await expect(cognito.send(new VerifyUserAttributeCommand({ AccessToken: tokens.AccessToken, AttributeName: 'email', Code: code })))
      .rejects.toMatchObject({ name: 'CodeMismatchException' });
    expect(attributes((await getUser(username)).UserAttributes)).toMatchObject({ email: chosenByAdmin, email_verified: 'true' });
  });

  test('plain attributes change at once; unverifying the email is allowed to an admin', async () => {
    const email = uniqueEmail();
    const username = await verifiedUser(email);

    await cognito.send(new AdminUpdateUserAttributesCommand({
      UserPoolId: poolId(),
      Username: email,
      UserAttributes: [{ Name: 'family_name', Value: 'Lovelace' }, { Name: 'email_verified', Value: 'false' }],
    }));

    expect(attributes((await getUser(username)).UserAttributes)).toMatchObject({ family_name: 'Lovelace', email, email_verified: 'false' });
  });

  test('refuses sub, attributes outside the schema, malformed values and another user\'s email, changing nothing', async () => {
    const email = uniqueEmail();
    const other = uniqueEmail();
    const username = await verifiedUser(email, [{ Name: 'given_name', Value: 'Ada' }]);
    await verifiedUser(other);
    const update = (list: AttributeType[]) => cognito.send(new AdminUpdateUserAttributesCommand({
      UserPoolId: poolId(), Username: username, UserAttributes: list,
    }));

    await expect(update([{ Name: 'given_name', Value: 'Eve' }, { Name: 'sub', Value: 'x' }])).rejects.toMatchObject({ name: 'InvalidParameterException' });
    await expect(update([{ Name: 'given_name', Value: 'Eve' }, { Name: 'custom:role', Value: 'admin' }])).rejects.toMatchObject({ name: 'InvalidParameterException' });
    await expect(update([{ Name: 'given_name', Value: 'Eve' }, { Name: 'email', Value: 'nope' }])).rejects.toMatchObject({
      name: 'InvalidParameterException', message: 'Invalid email address format.',
    });
    await expect(update([{ Name: 'given_name', Value: 'Eve' }, { Name: 'email', Value: other }, { Name: 'email_verified', Value: 'true' }]))
      .rejects.toMatchObject({ name: 'AliasExistsException', message: 'An account with the given email already exists.' });

    expect(attributes((await getUser(username)).UserAttributes)).toEqual({ sub: username, email, email_verified: 'true', given_name: 'Ada' });
    expect(cognitoMessagesTo(other)).toHaveLength(0);
  });

  test('an unknown user is UserNotFoundException', async () => {
    await expect(cognito.send(new AdminUpdateUserAttributesCommand({
      UserPoolId: poolId(), Username: uniqueEmail(), UserAttributes: [{ Name: 'given_name', Value: 'Ada' }],
    }))).rejects.toMatchObject({ name: 'UserNotFoundException' });
  });
});

describe('AdminDeleteUser', () => {
  test('the user is gone: sign-in gets the unknown-user treatment and the old tokens stop working', async () => {
    const email = uniqueEmail();
    const username = await verifiedUser(email);
    const tokens = await signInWithEmailCode(sandbox, cognito, email, username);

    await cognito.send(new AdminDeleteUserCommand({ UserPoolId: poolId(), Username: email }));

    await expect(getUser(username)).rejects.toMatchObject({ name: 'UserNotFoundException' });
    await expect(cognito.send(new AdminDeleteUserCommand({ UserPoolId: poolId(), Username: username }))).rejects.toMatchObject({
      name: 'UserNotFoundException',
    });
    await expectUnknown(sandbox, cognito, email, username);
    await expect(cognito.send(new GetUserCommand({ AccessToken: tokens.AccessToken }))).rejects.toMatchObject({ name: 'NotAuthorizedException' });
    await expect(refresh(tokens.RefreshToken!)).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'Invalid Refresh Token.' });
  });

  test('a new user with the same email is a different user, whom the old tokens do not reach', async () => {
    const email = uniqueEmail();
    const first = await verifiedUser(email);
    const tokens = await signInWithEmailCode(sandbox, cognito, email, first);
    await cognito.send(new AdminDeleteUserCommand({ UserPoolId: poolId(), Username: first }));

    const second = await verifiedUser(email);

    expect(second).not.toBe(first);
    expect((await getUser(email)).Username).toBe(second);
    await expect(cognito.send(new GetUserCommand({ AccessToken: tokens.AccessToken }))).rejects.toMatchObject({ name: 'NotAuthorizedException' });
    await expect(refresh(tokens.RefreshToken!)).rejects.toMatchObject({ name: 'NotAuthorizedException' });
  });
});

describe('AdminDisableUser and AdminEnableUser', () => {
  test('a disabled user cannot sign in and their tokens are revoked; enabled again, they sign in', async () => {
    const email = uniqueEmail();
    const username = await verifiedUser(email);

    await cognito.send(new AdminDisableUserCommand({ UserPoolId: poolId(), Username: email }));

    expect(await getUser(username)).toMatchObject({ Enabled: false });
    await expect(startSignIn(sandbox, cognito, email)).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'User is disabled.' });
    expect(await messagesTo(sandbox, email)).toBe(0);
    const { Users } = await listUsers(`sub = "${username}"`);
    expect(Users).toEqual([expect.objectContaining({ Username: username, Enabled: false })]);

    await cognito.send(new AdminEnableUserCommand({ UserPoolId: poolId(), Username: username }));

    expect(await getUser(username)).toMatchObject({ Enabled: true });
    const tokens = await signInWithEmailCode(sandbox, cognito, email, username);

    await cognito.send(new AdminDisableUserCommand({ UserPoolId: poolId(), Username: username }));

    await expect(cognito.send(new GetUserCommand({ AccessToken: tokens.AccessToken }))).rejects.toMatchObject({
      name: 'NotAuthorizedException', message: 'Access Token has been revoked',
    });
    await expect(refresh(tokens.RefreshToken!)).rejects.toMatchObject({ name: 'NotAuthorizedException' });
    await cognito.send(new AdminEnableUserCommand({ UserPoolId: poolId(), Username: username }));
    await expect(refresh(tokens.RefreshToken!)).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'Refresh Token has been revoked' });
  });

  test('an unknown user is UserNotFoundException', async () => {
    await expect(cognito.send(new AdminDisableUserCommand({ UserPoolId: poolId(), Username: uniqueEmail() }))).rejects.toMatchObject({
      name: 'UserNotFoundException',
    });
    await expect(cognito.send(new AdminEnableUserCommand({ UserPoolId: poolId(), Username: uniqueEmail() }))).rejects.toMatchObject({
      name: 'UserNotFoundException',
    });
  });
});

describe('AdminUserGlobalSignOut', () => {
  test('revokes the user\'s access and refresh tokens, and only theirs', async () => {
    const email = uniqueEmail();
    const username = await verifiedUser(email);
    const tokens = await signInWithEmailCode(sandbox, cognito, email, username);
    const otherEmail = uniqueEmail();
    const otherTokens = await signInWithEmailCode(sandbox, cognito, otherEmail, await verifiedUser(otherEmail));

    await cognito.send(new AdminUserGlobalSignOutCommand({ UserPoolId: poolId(), Username: email }));

    await expect(cognito.send(new GetUserCommand({ AccessToken: tokens.AccessToken }))).rejects.toMatchObject({
      name: 'NotAuthorizedException', message: 'Access Token has been revoked',
    });
    await expect(refresh(tokens.RefreshToken!)).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'Refresh Token has been revoked' });
    expect((await cognito.send(new GetUserCommand({ AccessToken: otherTokens.AccessToken }))).UserAttributes).toBeDefined();
    expect((await refresh(otherTokens.RefreshToken!)).AuthenticationResult?.AccessToken).toBeDefined();
    expect(await getUser(username)).toMatchObject({ Enabled: true });
  });
});

describe('AdminSetUserPassword', () => {
  test('a permanent password confirms the user; a temporary one asks for a change again', async () => {
    const email = uniqueEmail();
    const username = await verifiedUser(email);
    const setPassword = (Permanent: boolean) => cognito.send(new AdminSetUserPasswordCommand({
      UserPoolId: poolId(), Username: email, Password: STRONG_PASSWORD, Permanent,
    }));

    await setPassword(true);
    expect(await getUser(username)).toMatchObject({ UserStatus: 'CONFIRMED' });
    await setPassword(false);
    expect(await getUser(username)).toMatchObject({ UserStatus: 'FORCE_CHANGE_PASSWORD' });
  });

  test('needs a password and a known user', async () => {
    const email = uniqueEmail();
    await verifiedUser(email);
    await expect(cognito.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId(), Username: email, Password: '' })))
      .rejects.toMatchObject({ name: 'InvalidParameterException' });
    await expect(cognito.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId(), Username: uniqueEmail(), Password: STRONG_PASSWORD })))
      .rejects.toMatchObject({ name: 'UserNotFoundException' });
  });
});

describe('ListUsers', () => {
  const tag = `list${Date.now().toString(36)}`;
  const emails = [1, 2, 3].map((n) => `${tag}-${n}@example.org`);
  const usernames: string[] = [];

  beforeAll(async () => {
    for (const email of emails) usernames.push(await verifiedUser(email, [{ Name: 'given_name', Value: tag }]));
  });

  test('Filter `email = "…"` finds exactly that user', async () => {
    const { Users, PaginationToken } = await listUsers(`email = "${emails[1]}"`);
    expect(Users).toHaveLength(1);
    expect(Users![0]).toMatchObject({ Username: usernames[1], Enabled: true, UserStatus: 'FORCE_CHANGE_PASSWORD' });
    expect(attributes(Users![0].Attributes)).toMatchObject({ email: emails[1], sub: usernames[1] });
    expect(PaginationToken).toBeUndefined();
    expect((await listUsers(`email = "${tag}@example.org"`)).Users).toEqual([]);
  });

  test('Filter `^=` matches a prefix; Limit and PaginationToken page through the matches', async () => {
    const first = await listUsers(`email ^= "${tag}-"`, { Limit: 2 });
    expect(first.Users).toHaveLength(2);
    expect(first.PaginationToken).toEqual(expect.any(String));

    const second = await listUsers(`email ^= "${tag}-"`, { Limit: 2, PaginationToken: first.PaginationToken });
    expect(second.Users).toHaveLength(1);
    expect(second.PaginationToken).toBeUndefined();

    const seen = [...first.Users!, ...second.Users!].map((user) => user.Username).sort();
    expect(seen).toEqual([...usernames].sort());
  });

  test('filters on username, sub, given_name, cognito:user_status (any case) and status', async () => {
    expect((await listUsers(`username = "${usernames[0]}"`)).Users!.map((user) => user.Username)).toEqual([usernames[0]]);
    expect((await listUsers(`sub = "${usernames[2]}"`)).Users!.map((user) => user.Username)).toEqual([usernames[2]]);
    expect((await listUsers(`given_name = "${tag}"`)).Users).toHaveLength(3);
    const waiting = (await listUsers('cognito:user_status = "force_change_password"')).Users!.map((user) => user.Username);
    expect(waiting).toEqual(expect.arrayContaining(usernames));
    const enabled = (await listUsers('status = "Enabled"')).Users!.map((user) => user.Username);
    expect(enabled).toEqual(expect.arrayContaining(usernames));
  });

  test('AttributesToGet limits the attributes returned', async () => {
    const { Users } = await listUsers(`email = "${emails[0]}"`, { AttributesToGet: ['email'] });
    expect(Users![0].Attributes).toEqual([{ Name: 'email', Value: emails[0] }]);
  });

  test('an attribute that cannot be searched, a malformed filter, a bad Limit or PaginationToken are InvalidParameterException', async () => {
    await expect(listUsers('custom:role = "admin"')).rejects.toMatchObject({
      name: 'InvalidParameterException', message: 'Invalid search attribute: custom:role',
    });
    await expect(listUsers('nickname = "x"')).rejects.toMatchObject({ name: 'InvalidParameterException' });
    await expect(listUsers(`email = ${emails[0]}`)).rejects.toMatchObject({ name: 'InvalidParameterException' });
    await expect(listUsers('', { Limit: 61 })).rejects.toMatchObject({ name: 'InvalidParameterException' });
    await expect(listUsers('', { PaginationToken: 'not-a-token' })).rejects.toMatchObject({ name: 'InvalidParameterException' });
  });
});

describe('an unknown UserPoolId', () => {
  test('is ResourceNotFoundException for every admin operation', async () => {
    const UserPoolId = 'us-east-1_NoSuchPool';
    const Username = uniqueEmail();
    const calls = [
      () => cognito.send(new AdminCreateUserCommand({ UserPoolId, Username, MessageAction: 'SUPPRESS' })),
      () => cognito.send(new AdminGetUserCommand({ UserPoolId, Username })),
      () => cognito.send(new AdminUpdateUserAttributesCommand({ UserPoolId, Username, UserAttributes: [] })),
      () => cognito.send(new AdminDeleteUserCommand({ UserPoolId, Username })),
      () => cognito.send(new AdminDisableUserCommand({ UserPoolId, Username })),
      () => cognito.send(new AdminEnableUserCommand({ UserPoolId, Username })),
      () => cognito.send(new AdminUserGlobalSignOutCommand({ UserPoolId, Username })),
      () => cognito.send(new AdminSetUserPasswordCommand({ UserPoolId, Username, Password: STRONG_PASSWORD })),
      () => cognito.send(new ListUsersCommand({ UserPoolId })),
    ];
    for (const call of calls) {
      await expect(call()).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    }
  });
});
