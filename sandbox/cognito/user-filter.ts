import { CognitoError } from './errors';
import type { UserRecord } from './user-directory';

/**
 * ListUsers' Filter: `attribute = "value"` (exact) or `attribute ^= "value"` (prefix). Values compare
 * case-sensitively except `cognito:user_status` (documented) and `email` (caseless everywhere in the sandbox).
 */
export interface UserFilter {
  readonly attribute: string;
  readonly prefix: boolean;
  readonly value: string;
}

const SEARCHABLE = [
  'username', 'email', 'phone_number', 'name', 'given_name', 'family_name', 'preferred_username',
  'cognito:user_status', 'status', 'sub',
];

export function parseFilter(filter: string): UserFilter {
  const match = /^\s*([\w:]+)\s*(\^?=)\s*"((?:[^"\\]|\\.)*)"\s*$/.exec(filter);
  if (!match) throw new CognitoError('InvalidParameterException', 'Error while parsing filter.');
  if (!SEARCHABLE.includes(match[1])) throw new CognitoError('InvalidParameterException', `Invalid search attribute: ${match[1]}`);
  return { attribute: match[1], prefix: match[2] === '^=', value: match[3].replace(/\\(.)/g, '$1') };
}

export function matchesFilter(user: UserRecord, filter: UserFilter): boolean {
  const held = valueOf(user, filter.attribute);
  if (held === undefined) return false;
  const caseless = filter.attribute === 'email' || filter.attribute === 'cognito:user_status';
  const [a, b] = caseless ? [held.toLowerCase(), filter.value.toLowerCase()] : [held, filter.value];
  return filter.prefix ? a.startsWith(b) : a === b;
}

function valueOf(user: UserRecord, attribute: string): string | undefined {
  if (attribute === 'username') return user.username;
  if (attribute === 'cognito:user_status') return user.status;
  if (attribute === 'status') return user.enabled ? 'Enabled' : 'Disabled';
  return user.attributes[attribute];
}
