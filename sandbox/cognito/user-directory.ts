import { randomUUID } from 'node:crypto';
import type { PoolModel } from '../model';
import { isVerifiable, type Verifiable } from './attributes';
import { CognitoError } from './errors';

export type UserStatus = 'FORCE_CHANGE_PASSWORD' | 'CONFIRMED' | 'UNCONFIRMED' | 'RESET_REQUIRED';

/** A user of one local pool. `attributes` always holds `sub`. */
export interface UserRecord {
  readonly username: string;
  attributes: Record<string, string>;
  /** New email/phone values waiting for verification while the old value stays (keep-original updates). */
  pending: Partial<Record<Verifiable, string>>;
  status: UserStatus;
  enabled: boolean;
  readonly created: Date;
  modified: Date;
}

const EMAIL = /^[^\s@]+@[^\s@]+$/;
const E164 = /^\+[1-9]\d{1,14}$/;

/**
 * The users of one pool, found by username or, in pools with `UsernameAttributes`, by email or
 * phone number. Usernames compare case-insensitively unless the pool is case sensitive.
 */
export class UserDirectory {
  private readonly users = new Map<string, UserRecord>();

  constructor(private readonly pool: PoolModel) {}

  /** Finds a user by what a client may sign in with: the username, or an email/phone username attribute. */
  find(identifier: string): UserRecord | undefined {
    const byName = this.users.get(this.key(identifier));
    if (byName) return byName;
    const attribute = this.usernameAttributeOf(identifier);
    if (!attribute) return undefined;
    return this.withAttribute(attribute, identifier)[0];
  }

  /** Like `find`, or Cognito's UserNotFoundException. */
  get(identifier: string): UserRecord {
    const user = this.find(identifier);
    if (!user) throw new CognitoError('UserNotFoundException', 'User does not exist.');
    return user;
  }

  all(): UserRecord[] {
    return [...this.users.values()];
  }

  /**
   * AdminCreateUser. In pools with `UsernameAttributes`, the given username must be an email or phone
   * number: it becomes that attribute and the user's username is a new UUID, as in Cognito.
   */
  create(givenUsername: string, attributes: Record<string, string>, status: UserStatus): UserRecord {
    const attributeNames = this.pool.usernameAttributes;
    let username = givenUsername;
    const stored = { ...attributes };
    if (attributeNames.length > 0) {
      const attribute = this.usernameAttributeOf(givenUsername);
      if (!attribute) {
        const allowed = attributeNames.map((name) => (name === 'phone_number' ? 'a phone number' : 'an email'));
        const either = allowed.length > 1 ? 'either ' : '';
        throw new CognitoError('InvalidParameterException', `Username should be ${either}${allowed.join(' or ')}.`);
      }
      if (stored[attribute] !== undefined && stored[attribute] !== givenUsername) {
        throw new CognitoError('InvalidParameterException', `Username and ${attribute} attribute must match.`);
      }
      stored[attribute] = givenUsername;
      username = randomUUID();
    }
    if (this.users.has(this.key(username))) {
      throw new CognitoError('UsernameExistsException', 'User account already exists');
    }
    for (const attribute of attributeNames) {
      const value = stored[attribute];
      if (value !== undefined && this.withAttribute(attribute, value).length > 0) {
        const what = attribute === 'phone_number' ? 'phone_number' : 'email';
        throw new CognitoError('UsernameExistsException', `An account with the given ${what} already exists.`);
      }
    }
    this.checkValues(stored);
    const now = new Date();
    const user: UserRecord = {
      username,
      attributes: { sub: username === givenUsername ? randomUUID() : username, ...stored },
      pending: {},
      status,
      enabled: true,
      created: now,
      modified: now,
    };
    this.users.set(this.key(username), user);
    return user;
  }

  delete(user: UserRecord): void {
    this.users.delete(this.key(user.username));
  }

  /** Users whose attribute equals `value` (emails compare case-insensitively, as Cognito does). */
  withAttribute(attribute: string, value: string): UserRecord[] {
    const wanted = attribute === 'email' ? value.toLowerCase() : value;
    return this.all().filter((user) => {
      const held = user.attributes[attribute];
      return held !== undefined && (attribute === 'email' ? held.toLowerCase() : held) === wanted;
    });
  }

  /** Validates email and phone number formats like Cognito. */
  checkValues(attributes: Record<string, string>): void {
    if (attributes.email !== undefined && !EMAIL.test(attributes.email)) {
      throw new CognitoError('InvalidParameterException', 'Invalid email address format.');
    }
    if (attributes.phone_number !== undefined && !E164.test(attributes.phone_number)) {
      throw new CognitoError('InvalidParameterException', 'Invalid phone number format.');
    }
  }

  /** The username attribute a sign-in identifier stands for, if the pool has one that fits it. */
  usernameAttributeOf(identifier: string): Verifiable | undefined {
    const names = this.pool.usernameAttributes.filter(isVerifiable);
    if (names.includes('email') && EMAIL.test(identifier)) return 'email';
    if (names.includes('phone_number') && E164.test(identifier)) return 'phone_number';
    return undefined;
  }

  private key(username: string): string {
    return this.pool.caseSensitiveUsernames ? username : username.toLowerCase();
  }
}
