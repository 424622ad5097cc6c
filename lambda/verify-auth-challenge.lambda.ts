import type { VerifyAuthChallengeResponseTriggerEvent } from 'aws-lambda';
import { readVerifyConfig } from './core/config';
import { createLinkVerifier } from './core/link-signature';
import { createLogger } from './core/log';
import { redeemMagicLink } from './core/magic-link-redemption';
import { CHOOSE, CODE, isCodeMethod } from './core/protocol';
import { checkSignInCode, requestSignInCode } from './core/sign-in-code';
import { createVerifyDeps } from './core/verify-deps';

const config = readVerifyConfig(process.env);
const deps = createVerifyDeps(config, createLogger(config.logLevel));
const linkDeps = config.magicLinkKeyId
  ? { ...deps, verifySignature: createLinkVerifier(config.magicLinkKeyId) }
  : undefined;

/**
 * Answers of the first round choose a method and get a code sent (the answer itself is never right),
 * or, when magic links are on, are a link's token; answers of later rounds are checked against the code.
 */
export const handler = async (
  event: VerifyAuthChallengeResponseTriggerEvent,
): Promise<VerifyAuthChallengeResponseTriggerEvent> => {
  const { request } = event;
  const who = {
    userPoolId: event.userPoolId,
    userName: event.userName,
    userNotFound: request.userNotFound === true,
    attributes: request.userAttributes ?? {},
  };
  const answer = typeof request.challengeAnswer === 'string' ? request.challengeAnswer : '';
  const challenge = request.privateChallengeParameters?.challenge;
  let correct = false;
  if (challenge === CHOOSE && isCodeMethod(answer)) {
    await requestSignInCode(deps, who, answer);
  } else if (challenge === CHOOSE && linkDeps) {
    correct = await redeemMagicLink(linkDeps, who, answer);
  } else if (challenge === CODE) {
    correct = await checkSignInCode(deps, who, answer);
  }
  event.response.answerCorrect = correct;
  return event;
};
