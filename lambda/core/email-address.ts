/** Longest address SMTP can carry (RFC 5321: 254 octets in a path). */
const MAX_LENGTH = 254;
/** dot-atom local part (RFC 5322) without quoted strings or comments: nothing that can smuggle a recipient. */
const LOCAL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

export type EmailCheck = { readonly ok: true; readonly email: string } | { readonly ok: false; readonly reason: string };

/**
 * One email address, normalized (surrounding spaces trimmed, lowercased) before it is validated (R20).
 * Only plain ASCII addresses pass: no display names, lists, comments, quoted parts or IDN (use
 * punycode), so an input can never add or change recipients.
 */
export function checkEmailAddress(input: string): EmailCheck {
  const trimmed = input.replace(/^[ \t]+|[ \t]+$/g, '');
  if (trimmed.length === 0 || trimmed.length > MAX_LENGTH) return fail(`must be 1 to ${MAX_LENGTH} characters`);
  // Checked before lowercasing, which would fold some non-ASCII letters (the Kelvin sign) into ASCII ones.
  if (!/^[\x21-\x7e]+$/.test(trimmed)) {
    return fail('must be printable ASCII without spaces or line breaks (write an international domain in punycode)');
  }
  const email = trimmed.toLowerCase();
  const at = email.lastIndexOf('@');
  if (at <= 0 || email.indexOf('@') !== at) return fail('must contain exactly one @ with a local part before it');
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  if (local.length > 64 || !LOCAL.test(local)) return fail('has characters not allowed before the @');
  const labels = domain.split('.');
  if (labels.length < 2 || !labels.every((label) => LABEL.test(label)) || /^[0-9]+$/.test(labels[labels.length - 1])) {
    return fail('must end in a domain name such as example.com');
  }
  return { ok: true, email };
}

function fail(reason: string): EmailCheck {
  return { ok: false, reason: `email ${reason}` };
}
