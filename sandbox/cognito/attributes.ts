/** Cognito user attributes: the wire shape (`[{Name, Value}]`) and the stored shape (a record of strings). */
export interface AttributeType {
  readonly Name: string;
  readonly Value?: string;
}

export function toRecord(list: unknown): Record<string, string> {
  if (list === undefined) return {};
  if (!Array.isArray(list)) throw new TypeError('UserAttributes must be a list');
  const record: Record<string, string> = {};
  for (const item of list as AttributeType[]) record[item.Name] = item.Value ?? '';
  return record;
}

export function toList(record: Record<string, string>): AttributeType[] {
  return Object.entries(record).map(([Name, Value]) => ({ Name, Value }));
}

/** The standard attributes of a user pool (custom ones carry the `custom:` prefix). */
export const STANDARD_ATTRIBUTES = [
  'address', 'birthdate', 'email', 'email_verified', 'family_name', 'gender', 'given_name', 'locale',
  'middle_name', 'name', 'nickname', 'phone_number', 'phone_number_verified', 'picture', 'preferred_username',
  'profile', 'sub', 'updated_at', 'website', 'zoneinfo',
];

/** The attribute whose verification flag is `<name>_verified`. */
export const VERIFIABLE = ['email', 'phone_number'] as const;
export type Verifiable = (typeof VERIFIABLE)[number];

export function isVerifiable(name: string): name is Verifiable {
  return (VERIFIABLE as readonly string[]).includes(name);
}
