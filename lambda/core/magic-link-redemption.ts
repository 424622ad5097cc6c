import { deliverableValue } from './destination';
import { expiryOf, failureMemory, type SendLimits } from './identifier-state';
import { keyRef, type Logger } from './log';
import { nonceHash, parseToken, signedMessage } from './magic-link-token';
import { identifierKey } from './otp-code';
import type { Identity, SignUpCompletion } from './sign-in-code';
import type { StateStore } from './state-store';

/** The table operations redemption uses. */
export type RedemptionStore = Pick<StateStore, 'consumeLink' | 'recordFailure'>;

export interface RedemptionDeps {
  readonly store: RedemptionStore;
  readonly limits: SendLimits;
  readonly verifySignature: (message: Buffer, signature: Buffer) => Promise<boolean>;
  readonly log: Logger;
  readonly now: () => number;
  /** Marks an auto sign-up's email verified after its link is redeemed; only with auto sign-up on. */
  readonly completeSignUp?: SignUpCompletion;
}

/**
 * Redeems a magic-link token as the answer to the first challenge. It must be signed by the KMS key
 * for this pool and user, unexpired, sent to the user's current verified email, and the identifier's
 * newest link; consuming it is one conditional write, so it succeeds once however many sessions try
 * (R6, R7, R13). Every refusal counts towards the failure window (R5).
 */
export async function redeemMagicLink(deps: RedemptionDeps, who: Identity, answer: string): Promise<boolean> {
  const key = identifierKey(who.userPoolId, who.userName);
  const now = deps.now();
  const outcome = await redeem(deps, who, key, now, answer);
  if (outcome === 'accepted') {
    deps.log.info('link accepted', { key: keyRef(key) });
    return true;
  }
  await deps.store.recordFailure(key, now, expiryOf(now, deps.limits), failureMemory(deps.limits));
  deps.log.info('link rejected', { key: keyRef(key), outcome });
  return false;
}

/** Consumes the link if every check passes, in this order: 'accepted', or why it was refused. */
async function redeem(deps: RedemptionDeps, who: Identity, key: string, now: number, answer: string): Promise<string> {
  const token = parseToken(answer);
  if (!token) return 'malformed';
  // Every well-formed token is verified first, known user or not, so refusals take the same path (R17)
  // and no claim is trusted before its signature.
  const signed = await deps.verifySignature(signedMessage(who.userPoolId, who.userName, token.encodedPayload), token.signature);
  if (!signed) return 'bad signature';
  if (who.userNotFound) return 'unknown user';
  const { claims } = token;
  if (claims.expiresAt * 1000 <= now) return 'expired';
  if (who.attributes.email?.toLowerCase() !== claims.email.toLowerCase()) return 'not the email';
  const consumed = await deps.store.consumeLink(key, nonceHash(claims.nonce), now);
  if (!consumed) return 'used, replaced or expired';
  // An unverified email is good only as an auto sign-up's pending one; checked on the state the consumption read.
  const pending = deps.completeSignUp ? consumed.pendingSignUp : undefined;
  if (!deliverableValue('email', who.attributes, pending)) return 'not the verified email';
  if (pending === 'email') await deps.completeSignUp!(who, 'email');
  return 'accepted';
}
