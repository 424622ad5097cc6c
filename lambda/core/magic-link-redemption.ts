import { expiryOf, failureMemory, SendLimits } from './identifier-state';
import type { Logger } from './log';
import { nonceHash, parseToken, signedMessage } from './magic-link-token';
import { identifierKey } from './otp-code';
import type { Identity } from './sign-in-code';
import type { StateStore } from './state-store';

export interface RedemptionDeps {
  readonly store: StateStore;
  readonly limits: SendLimits;
  readonly verifySignature: (message: Buffer, signature: Buffer) => Promise<boolean>;
  readonly log: Logger;
  readonly now: () => number;
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
  const token = parseToken(answer);
  let outcome = 'malformed';
  if (token) {
    const { claims } = token;
    // Every well-formed token is verified first, known user or not, so refusals take the same path (R17)
    // and no claim is trusted before its signature.
    const signed = await deps.verifySignature(signedMessage(who.userPoolId, who.userName, token.encodedPayload), token.signature);
    if (!signed) {outcome = 'bad signature';} else if (who.userNotFound) {outcome = 'unknown user';} else if (claims.expiresAt * 1000 <= now) {outcome = 'expired';} else if (!sentToVerifiedEmail(who.attributes, claims.email)) {outcome = 'not the verified email';} else if (await deps.store.consumeLink(key, nonceHash(claims.nonce), now)) {
      deps.log.info('link accepted', { key: key.slice(0, 12) });
      return true;
    } else {
      outcome = 'used, replaced or expired';
    }
  }
  await deps.store.recordFailure(key, now, expiryOf(now, deps.limits), failureMemory(deps.limits));
  deps.log.info('link rejected', { key: key.slice(0, 12), outcome });
  return false;
}

function sentToVerifiedEmail(attributes: Identity['attributes'], email: string): boolean {
  return attributes.email_verified === 'true' && attributes.email?.toLowerCase() === email.toLowerCase();
}
