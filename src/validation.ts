import { Duration, Token } from 'aws-cdk-lib';
import type { EmailOtpOptions } from './email-otp-options';
import type { MagicLinkEmailOptions } from './magic-link-options';

// Internal helpers: every bad prop is a synth-time error naming the prop, the value and the allowed range.

/** Throws unless `value` is an integer in [min, max]; unresolved tokens are not checked. */
export function validateIntegerRange(prop: string, value: number | undefined, min: number, max: number): void {
  if (value === undefined || Token.isUnresolved(value)) return;
  if (!Number.isInteger(value)) {
    throw new Error(`${prop} must be an integer between ${min} and ${max} (received: ${value})`);
  }
  if (value < min || value > max) {
    throw new Error(`${prop} must be between ${min} and ${max} (received: ${value})`);
  }
}

/** A unit in which a duration range is stated and reported. */
export type DurationUnit = 'seconds' | 'minutes' | 'hours';

const UNIT_SECONDS: Record<DurationUnit, number> = { seconds: 1, minutes: 60, hours: 3600 };

/** Throws unless `value` is a whole number of seconds in [min, max] (given in `unit`); unresolved tokens are not checked. */
export function validateDurationRange(
  prop: string,
  value: Duration | undefined,
  min: number,
  max: number,
  unit: DurationUnit,
): void {
  if (value === undefined || value.isUnresolved()) return;
  const millis = value.toMilliseconds({ integral: false });
  const inUnit = millis / 1000 / UNIT_SECONDS[unit];
  const received = value.toHumanString();
  if (millis % 1000 !== 0) {
    throw new Error(`${prop} must be a whole number of seconds (received: ${received})`);
  }
  if (inUnit < min || inUnit > max) {
    throw new Error(`${prop} must be between ${min} and ${max} ${unit} (received: ${received})`);
  }
}

/** Throws unless `value` is one of `allowed`; unresolved tokens are not checked. */
export function validateOneOf(prop: string, value: string | undefined, allowed: readonly string[]): void {
  if (value === undefined || Token.isUnresolved(value)) return;
  if (!allowed.includes(value)) {
    throw new Error(`${prop} must be one of ${allowed.map((a) => `'${a}'`).join(', ')} (received: '${value}')`);
  }
}

/** Throws unless `value` matches `pattern`; unresolved tokens are not checked. */
export function validatePattern(prop: string, value: string | undefined, pattern: RegExp, expected: string): void {
  if (value === undefined || Token.isUnresolved(value)) return;
  if (!pattern.test(value)) {
    throw new Error(`${prop} must be ${expected} (received: '${value}')`);
  }
}

/** Throws unless the template contains each placeholder; unresolved tokens are not checked. */
export function validatePlaceholders(prop: string, value: string | undefined, placeholders: readonly string[]): void {
  if (value === undefined || Token.isUnresolved(value)) return;
  for (const placeholder of placeholders) {
    if (!value.includes(placeholder)) {
      throw new Error(`${prop} must contain the placeholder ${placeholder} (received: '${value}')`);
    }
  }
}

/** `address@domain` or `Display Name <address@domain>`, without line breaks. */
const FROM_ADDRESS = /^(?:[^\r\n<>]*<[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+)$/;
/** A domain name or an email address, no wildcard. */
const SES_IDENTITY = /^(?:[^\s@<>*]+@)?(?:[A-Za-z0-9-]+\.)+[A-Za-z0-9-]+$/;

/** Throws unless the `email` props are valid and both bodies contain `placeholder`; unresolved tokens are not checked. */
export function validateEmailDelivery(email: EmailOtpOptions | MagicLinkEmailOptions, placeholder: string): void {
  validatePattern('email.fromAddress', email.fromAddress, FROM_ADDRESS,
    "an email address or 'Name <address@domain>' on one line");
  if (email.sesIdentity === undefined && Token.isUnresolved(email.fromAddress)) {
    throw new Error('email.sesIdentity must be set when email.fromAddress is a token: the send permission is scoped to it');
  }
  validatePattern('email.sesIdentity', email.sesIdentity, SES_IDENTITY, 'a domain name or an email address');
  validatePattern('email.configurationSetName', email.configurationSetName, /^[A-Za-z0-9_-]{1,64}$/,
    '1 to 64 letters, digits, hyphens or underscores');
  validatePattern('email.subject', email.subject, /^[^\r\n]{1,998}$/, '1 to 998 characters on one line');
  validatePlaceholders('email.textBody', email.textBody, [placeholder]);
  validatePlaceholders('email.htmlBody', email.htmlBody, [placeholder]);
}
