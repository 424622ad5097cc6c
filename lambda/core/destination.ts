import type { SignUpAttribute } from './identifier-state';
import type { CodeMethod } from './protocol';

const E164 = /^\+[1-9][0-9]{6,14}$/;

type Attributes = Readonly<Record<string, string | undefined>>;

/**
 * Where a code for `method` may go: only to a verified email address or phone number (R18), or to the
 * unverified one an auto sign-up created the user with while nothing else is verified, and a phone
 * number only inside the country calling-code allow-list (R21). Undefined means "send nothing".
 */
export function destinationFor(
  method: CodeMethod,
  attributes: Attributes,
  allowedCountryCodes: readonly string[],
  pendingSignUp?: SignUpAttribute,
): string | undefined {
  const attribute: SignUpAttribute = method === 'email-otp' ? 'email' : 'phone_number';
  const value = deliverableValue(attribute, attributes, pendingSignUp);
  if (!value || attribute === 'email') return value;
  return isAllowedPhoneNumber(value, allowedCountryCodes) ? value : undefined;
}

/** The value of `attribute` if it is verified, or if it is the pending sign-up's and nothing is verified yet. */
export function deliverableValue(attribute: SignUpAttribute, attributes: Attributes, pendingSignUp?: SignUpAttribute): string | undefined {
  const value = attributes[attribute];
  if (!value) return undefined;
  if (attributes[`${attribute}_verified`] === 'true') return value;
  return pendingSignUp === attribute && !hasVerifiedIdentifier(attributes) ? value : undefined;
}

/** Whether the user has proven an email address or phone number; such a user gets nothing at an unverified one. */
export function hasVerifiedIdentifier(attributes: Attributes): boolean {
  return attributes.email_verified === 'true' || attributes.phone_number_verified === 'true';
}

/** An E.164 number whose country calling code is on the allow-list (prefix match on the digits). */
export function isAllowedPhoneNumber(phone: string, allowedCountryCodes: readonly string[]): boolean {
  return E164.test(phone) && allowedCountryCodes.some((code) => phone.startsWith(`+${code}`));
}
