import {
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  AdminUpdateUserAttributesCommand,
  CognitoIdentityProviderClient,
  GetUserCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { AwsClientStub } from 'aws-sdk-client-mock';

/** A user as Cognito's Admin APIs return it. */
export interface CognitoUser {
  Username: string;
  Enabled: boolean;
  UserAttributes: Array<{ Name: string; Value: string }>;
}

const cognitoError = (name: string, message: string) => Object.assign(new Error(message), { name });
const identifiers = ['email', 'phone_number'];
let count = 0;

/** The value of the attribute `name` of the user. */
export const attributeOf = (user: CognitoUser, name: string) => user.UserAttributes.find((attribute) => attribute.Name === name)?.Value;

/**
 * An in-memory user pool behind a mocked Cognito client, for the API handlers: AdminGetUser finds users by
 * username, email or phone number; GetUser by the access tokens `signIn` hands out; AdminCreateUser,
 * AdminSetUserPassword, AdminUpdateUserAttributes and AdminDeleteUser act on the pool. Before each test the
 * mock is reset (tests may then override any command) and the pool emptied; usernames stay unique in the file.
 */
export class FakeCognitoPool {
  private readonly users = new Map<string, CognitoUser>();
  private readonly tokens = new Map<string, string>();

  constructor(private readonly cognito: AwsClientStub<CognitoIdentityProviderClient>) {
    beforeEach(() => this.reset());
  }

  /** A user `user-<n>` with these attributes. */
  add(attributes: Record<string, string>, enabled = true): CognitoUser {
    count += 1;
    const user: CognitoUser = { Username: `user-${count}`, Enabled: enabled, UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })) };
    this.users.set(user.Username, user);
    return user;
  }

  /** An access token of the user, which GetUser accepts until the pool is emptied. */
  signIn(user: CognitoUser): string {
    count += 1;
    const token = `eyJraWQiOiJ0ZXN0.access-token-${count}.c2lnbmF0dXJl`;
    this.tokens.set(token, user.Username);
    return token;
  }

  /** The user whose username, email or phone number is `identifier`, as AdminGetUser finds it. */
  find(identifier: string): CognitoUser | undefined {
    return [...this.users.values()].find((user) => user.Username === identifier
      || user.UserAttributes.some((attribute) => identifiers.includes(attribute.Name) && attribute.Value === identifier));
  }

  private reset(): void {
    this.users.clear();
    this.tokens.clear();
    this.cognito.reset();
    this.cognito.on(AdminGetUserCommand).callsFake((input) => {
      const user = this.find(input.Username);
      if (!user) throw cognitoError('UserNotFoundException', 'User does not exist.');
      return user;
    });
    this.cognito.on(GetUserCommand).callsFake((input) => {
      const user = this.users.get(this.tokens.get(input.AccessToken) ?? '');
      if (!user) throw cognitoError('NotAuthorizedException', 'Invalid Access Token');
      return { Username: user.Username, UserAttributes: user.UserAttributes };
    });
    this.cognito.on(AdminCreateUserCommand).callsFake((input) => {
      if (this.find(input.Username)) throw cognitoError('UsernameExistsException', 'User account already exists');
      count += 1;
      const user: CognitoUser = { Username: `generated-${count}`, Enabled: true, UserAttributes: input.UserAttributes };
      this.users.set(user.Username, user);
      return { User: { Username: user.Username, Enabled: true, UserStatus: 'FORCE_CHANGE_PASSWORD' } };
    });
    this.cognito.on(AdminSetUserPasswordCommand).resolves({});
    this.cognito.on(AdminUpdateUserAttributesCommand).callsFake((input) => {
      const user = this.users.get(input.Username)!;
      for (const { Name, Value } of input.UserAttributes) {
        user.UserAttributes = [...user.UserAttributes.filter((attribute) => attribute.Name !== Name), { Name, Value }];
      }
      return {};
    });
    this.cognito.on(AdminDeleteUserCommand).callsFake((input) => {
      this.users.delete(input.Username);
      return {};
    });
  }
}
