import type { CodeMethod } from './protocol';

const E164 = /^\+[1-9][0-9]{6,14}$/;

/**
 * Where a code for `method` may go: only to a verified email address or phone number (R18), and a
 * phone number only inside the country calling-code allow-list (R21). Undefined means "send nothing".
 */
export function destinationFor(
  method: CodeMethod,
  attributes: Readonly<Record<string, string | undefined>>,
  allowedCountryCodes: readonly string[],
): string | undefined {
  if (method === 'email-otp') {
    return attributes.email_verified === 'true' && attributes.email ? attributes.email : undefined;
  }
  const phone = attributes.phone_number;
  if (attributes.phone_number_verified !== 'true' || !phone) return undefined;
  return isAllowedPhoneNumber(phone, allowedCountryCodes) ? phone : undefined;
}

/** An E.164 number whose country calling code is on the allow-list (prefix match on the digits). */
export function isAllowedPhoneNumber(phone: string, allowedCountryCodes: readonly string[]): boolean {
  return E164.test(phone) && allowedCountryCodes.some((code) => phone.startsWith(`+${code}`));
}
