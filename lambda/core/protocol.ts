/** The wire vocabulary of the custom-auth protocol, shared by the three triggers (see docs/protocol.md). */

/** Sign-in methods a client can pick in the first round. */
export const METHODS = ['email-otp', 'sms-otp'] as const;
export type Method = (typeof METHODS)[number];

export function isMethod(value: string): value is Method {
  return (METHODS as readonly string[]).includes(value);
}

/** Challenge kinds, kept in challengeMetadata and in the private and public challenge parameters. */
export const CHOOSE = 'CHOOSE';
export const CODE = 'CODE';
export type ChallengeKind = typeof CHOOSE | typeof CODE;

/** What a code was issued for: a sign-in code verifies nothing else (R13). */
export const SIGN_IN_PURPOSE = 'sign-in';
