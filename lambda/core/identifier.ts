import { isAllowedPhoneNumber } from './destination';
import { checkEmailAddress } from './email-address';
import type { SignUpAttribute } from './identifier-state';

export type IdentifierCheck =
  | { readonly ok: true; readonly attribute: SignUpAttribute; readonly value: string }
  | { readonly ok: false; readonly reason: string };

const E164 = /^\+[1-9][0-9]{6,14}$/;
/** Separators people type inside phone numbers; removed before the number is validated (R20). */
const PHONE_SEPARATORS = /[ \t().-]/g;

/** One email address (see checkEmailAddress), normalized and validated (R20). */
export function checkEmail(input: string): IdentifierCheck {
  const address = checkEmailAddress(input);
  return address.ok ? { ok: true, attribute: 'email', value: address.email } : address;
}

/**
 * One E.164 phone number: separators removed, then `+` and 7 to 15 digits, and a country calling code
 * on the allow-list, so no SMS ever goes elsewhere (R20, R21).
 */
export function checkPhoneNumber(input: string, allowedCountryCodes: readonly string[]): IdentifierCheck {
  if (input.length > 32) return { ok: false, reason: 'phone number must be at most 32 characters' };
  const value = input.replace(PHONE_SEPARATORS, '');
  if (!E164.test(value)) return { ok: false, reason: 'phone number must be in E.164 format: + and 7 to 15 digits, e.g. +14155550100' };
  if (!isAllowedPhoneNumber(value, allowedCountryCodes)) {
    return { ok: false, reason: 'phone number must have one of the allowed country calling codes' };
  }
  return { ok: true, attribute: 'phone_number', value };
}

/** What users call an attribute in messages. */
export function attributeLabel(attribute: SignUpAttribute): string {
  return attribute === 'email' ? 'email address' : 'phone number';
}
