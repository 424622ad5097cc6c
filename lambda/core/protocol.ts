/** The wire vocabulary of the custom-auth protocol, shared by the three triggers (see docs/protocol.md). */

/** Sign-in methods a deployment can enable; the first challenge lists the enabled ones. */
export const METHODS = ['email-otp', 'sms-otp', 'magic-link'] as const;
export type Method = (typeof METHODS)[number];

/** Methods a client picks in the first round to get a code sent. */
export const CODE_METHODS = ['email-otp', 'sms-otp'] as const;
export type CodeMethod = (typeof CODE_METHODS)[number];

export function isMethod(value: string): value is Method {
  return (METHODS as readonly string[]).includes(value);
}

export function isCodeMethod(value: string): value is CodeMethod {
  return (CODE_METHODS as readonly string[]).includes(value);
}

/** Challenge kinds, kept in challengeMetadata and in the private and public challenge parameters. */
export const CHOOSE = 'CHOOSE';
export const CODE = 'CODE';
export type ChallengeKind = typeof CHOOSE | typeof CODE;

/** What a code was issued for: a sign-in code verifies nothing else (R13). */
export const SIGN_IN_PURPOSE = 'sign-in';
/** What a code sent to a new email address or phone number is for: verifying it, never signing in. */
export const ATTRIBUTE_PURPOSE = 'verify-attribute';

/**
 * ClientMetadata a client sends with a magic-link answer, so that a refused link ends the sign-in
 * (DefineAuthChallenge sees only the boolean result, not the answer).
 */
export const SIGN_IN_METHOD_KEY = 'signInMethod';
export const MAGIC_LINK = 'magic-link';
