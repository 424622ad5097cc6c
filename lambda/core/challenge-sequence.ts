import { CHOOSE, CODE, MAGIC_LINK, SIGN_IN_METHOD_KEY } from './protocol';

/** One round of a Cognito custom-auth session, as DefineAuthChallenge sees it. */
export interface Round {
  readonly challengeName: string;
  readonly challengeResult: boolean;
  readonly challengeMetadata?: string;
}

export type NextStep =
  | { readonly kind: 'challenge' }
  | { readonly kind: 'tokens' }
  | { readonly kind: 'fail' };

/**
 * DefineAuthChallenge's decision, from the session and the answer's ClientMetadata: a custom challenge first, tokens once a round
 * succeeded, failure after `maxAttempts` wrong codes in this session. The server-side attempt count
 * (which a new session does not reset) is enforced by VerifyAuthChallengeResponse; this cap only ends a
 * session that cannot succeed any more.
 */
export function nextStep(
  session: readonly Round[],
  maxAttempts: number,
  clientMetadata: Readonly<Record<string, string>> = {},
): NextStep {
  if (session.length === 0) return { kind: 'challenge' };
  if (session.some((round) => round.challengeName !== 'CUSTOM_CHALLENGE')) return { kind: 'fail' };
  if (session[0].challengeMetadata !== CHOOSE) return { kind: 'fail' };
  if (session[session.length - 1].challengeResult) return { kind: 'tokens' };
  // A refused magic link ends the sign-in when the client said the answer was one (one attempt per link).
  if (session.length === 1 && clientMetadata[SIGN_IN_METHOD_KEY] === MAGIC_LINK) return { kind: 'fail' };
  const wrongCodes = session.filter((round) => round.challengeMetadata === CODE && !round.challengeResult).length;
  if (wrongCodes >= maxAttempts || session.length > maxAttempts + 1) return { kind: 'fail' };
  return { kind: 'challenge' };
}
