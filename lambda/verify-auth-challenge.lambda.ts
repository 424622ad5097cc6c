import type { VerifyAuthChallengeResponseTriggerEvent } from 'aws-lambda';
import { readVerifyConfig } from './core/config';
import { oversizedPart } from './core/input-size';
import { createLinkVerifier } from './core/link-signature';
import { createLogger } from './core/log';
import { redeemMagicLink } from './core/magic-link-redemption';
import { CHOOSE, CODE, isCodeMethod } from './core/protocol';
import { checkSignInCode, requestSignInCode } from './core/sign-in-code';
import { triggerFailure } from './core/trigger-failure';
import { createVerifyDeps } from './core/verify-deps';

const config = readVerifyConfig(process.env);
const log = createLogger(config.logLevel);
const deps = createVerifyDeps(config, log);
const linkDeps = config.magicLinkKeyId
  ? { ...deps, verifySignature: createLinkVerifier(config.magicLinkKeyId) }
  : undefined;

/**
 * Answers of the first round choose a method and get a code sent (the answer itself is never right),
 * or, when magic links are on, are a link's token; answers of later rounds are checked against the code.
 * A failure reaches the client as a fixed message (see triggerFailure).
 */
export const handler = async (
  event: VerifyAuthChallengeResponseTriggerEvent,
): Promise<VerifyAuthChallengeResponseTriggerEvent> => {
  const { request } = event;
  event.response.answerCorrect = false;
  const oversized = oversizedPart(request.challengeAnswer, request.clientMetadata, config);
  if (oversized) {
    log.info('answer refused', { reason: `${oversized} too large` });
    return event;
  }
  const who = {
    userPoolId: event.userPoolId,
    userName: event.userName,
    userNotFound: request.userNotFound === true,
    attributes: request.userAttributes ?? {},
  };
  const answer = typeof request.challengeAnswer === 'string' ? request.challengeAnswer : '';
  const challenge = request.privateChallengeParameters?.challenge;
  let correct = false;
  try {
    if (challenge === CHOOSE && isCodeMethod(answer)) {
      await requestSignInCode(deps, who, answer);
    } else if (challenge === CHOOSE && linkDeps) {
      correct = await redeemMagicLink(linkDeps, who, answer);
    } else if (challenge === CODE) {
      correct = await checkSignInCode(deps, who, answer);
    }
  } catch (error) {
    throw triggerFailure(error, log);
  }
  event.response.answerCorrect = correct;
  return event;
};
