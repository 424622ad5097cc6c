import type { VerifyAuthChallengeResponseTriggerEvent } from 'aws-lambda';
import { readVerifyConfig } from './core/config';
import { createLinkVerifier } from './core/link-signature';
import { createLogger } from './core/log';
import { redeemMagicLink } from './core/magic-link-redemption';
import { CHOOSE, CODE, isCodeMethod } from './core/protocol';
import { checkSignInCode, requestSignInCode } from './core/sign-in-code';
import { createSignInCodeDeps } from './core/sign-in-code-deps';

const config = readVerifyConfig(process.env);
const log = createLogger(config.logLevel);
const deps = createSignInCodeDeps(config, log);
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
  const who = {
    userPoolId: event.userPoolId,
    userName: event.userName,
    userNotFound: event.request.userNotFound === true,
    attributes: event.request.userAttributes ?? {},
  };
  const answer = typeof event.request.challengeAnswer === 'string' ? event.request.challengeAnswer : '';
  const challenge = event.request.privateChallengeParameters?.challenge;
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
