import type { VerifyAuthChallengeResponseTriggerEvent } from 'aws-lambda';
import { readVerifyConfig } from './core/config';
import { createLogger } from './core/log';
import { CHOOSE, CODE, isMethod } from './core/protocol';
import { checkSignInCode, requestSignInCode } from './core/sign-in-code';
import { createSignInCodeDeps } from './core/sign-in-code-deps';

const config = readVerifyConfig(process.env);
const log = createLogger(config.logLevel);
const deps = createSignInCodeDeps(config, log);

/**
 * Answers of the first round choose a method and get a code sent (the answer itself is never right);
 * answers of later rounds are checked against that code.
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
  if (challenge === CHOOSE && isMethod(answer)) {
    await requestSignInCode(deps, who, answer);
  } else if (challenge === CODE) {
    correct = await checkSignInCode(deps, who, answer);
  }
  event.response.answerCorrect = correct;
  return event;
};
