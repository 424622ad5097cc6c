import type { PoolUser } from '../../../lambda/core/cognito-users';
import type { SignUpAttribute } from '../../../lambda/core/identifier-state';

/** A user of the directory, with the attributes it was given. */
export interface DirectoryUser extends PoolUser {
  readonly attributes: Record<string, string>;
}

let count = 0;

/**
 * An in-memory user pool for the core's deps (findUser, createUser, userOfToken, writeAttributes,
 * deleteUser), each a Jest mock that behaves as Cognito does: users by username, found by username, email or
 * phone number; auto sign-up creates `generated-<n>`, enabled, with its one identifier unverified; access
 * tokens from `signIn`. Writes replace a user rather than change it, so users handed out stay as they were;
 * writes and deletes are also listed in `calls`, in order. Usernames stay unique in the test file.
 */
export class FakeUserDirectory {
  readonly users = new Map<string, DirectoryUser>();
  /** `write <username>` and `delete <username>`, in the order they happened. */
  readonly calls: string[] = [];
  private readonly tokens = new Map<string, string>();

  readonly findUser = jest.fn(async (identifier: string): Promise<DirectoryUser | undefined> => [...this.users.values()].find((user) =>
    user.username === identifier || user.attributes.email === identifier || user.attributes.phone_number === identifier));

  readonly createUser = jest.fn(async (attribute: SignUpAttribute, value: string): Promise<string> => {
    count += 1;
    const username = `generated-${count}`;
    this.users.set(username, { username, enabled: true, attributes: { [attribute]: value, [`${attribute}_verified`]: 'false' } });
    return username;
  });

  readonly userOfToken = jest.fn(async (token: string): Promise<DirectoryUser | undefined> => this.users.get(this.tokens.get(token) ?? ''));

  readonly writeAttributes = jest.fn(async (username: string, attributes: Readonly<Record<string, string>>): Promise<void> => {
    this.calls.push(`write ${username}`);
    const user = this.users.get(username)!;
    this.users.set(username, { ...user, attributes: { ...user.attributes, ...attributes } });
  });

  readonly deleteUser = jest.fn(async (username: string): Promise<void> => {
    this.calls.push(`delete ${username}`);
    this.users.delete(username);
  });

  /** A user `user-<n>` with these attributes. */
  add(attributes: Record<string, string>, enabled = true): DirectoryUser {
    count += 1;
    const user = { username: `user-${count}`, enabled, attributes };
    this.users.set(user.username, user);
    return user;
  }

  /** An access token of the user, which userOfToken accepts. */
  signIn(user: DirectoryUser): string {
    count += 1;
    const token = `access-token-${count}`;
    this.tokens.set(token, user.username);
    return token;
  }
}
