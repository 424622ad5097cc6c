import { CHOOSE, CODE, ChallengeKind, Method } from './protocol';

export interface Challenge {
  readonly kind: ChallengeKind;
  /** Shown to the client: the same for every identifier, known or not (R17); never a secret (R11). */
  readonly publicParameters: Record<string, string>;
  /** Seen only by VerifyAuthChallengeResponse. */
  readonly privateParameters: Record<string, string>;
}

/**
 * CreateAuthChallenge's challenge for the next round: the first round lets the client choose a method
 * and carries no secret; every later round asks for the code. Codes are issued by
 * VerifyAuthChallengeResponse, the only trigger that sees the client's choice.
 */
export function challengeFor(round: number, methods: readonly Method[], codeLength: number): Challenge {
  if (round === 0) {
    return {
      kind: CHOOSE,
      publicParameters: { challenge: CHOOSE, methods: methods.join(',') },
      privateParameters: { challenge: CHOOSE },
    };
  }
  return {
    kind: CODE,
    publicParameters: { challenge: CODE, codeLength: String(codeLength) },
    privateParameters: { challenge: CODE },
  };
}
