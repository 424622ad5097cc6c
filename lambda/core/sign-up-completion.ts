import { attributeWriter } from './cognito-users';
import { hasVerifiedIdentifier } from './destination';
import { identifierKey } from './otp-code';
import type { SignUpCompletion } from './sign-in-code';
import type { StateStore } from './state-store';

/**
 * After the first right code or link of an auto sign-up: the attribute it went to is proven, so it is
 * marked verified (the tokens of this sign-in still show the old value: refresh them), then the pending
 * sign-up is forgotten. A failure leaves the marker, so the next sign-in completes it.
 */
export function signUpCompletion(clearSignUp: StateStore['clearSignUp']): SignUpCompletion {
  const writers = new Map<string, ReturnType<typeof attributeWriter>>();
  return async (who, attribute) => {
    const key = identifierKey(who.userPoolId, who.userName);
    const value = who.attributes[attribute];
    // Once anything is verified, codes went only to verified values: this answer proved nothing new.
    if (!value || hasVerifiedIdentifier(who.attributes)) return clearSignUp(key);
    let write = writers.get(who.userPoolId);
    if (!write) writers.set(who.userPoolId, write = attributeWriter(who.userPoolId));
    await write(who.userName, { [attribute]: value, [`${attribute}_verified`]: 'true' });
    await clearSignUp(key);
  };
}
