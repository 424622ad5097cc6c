import type { CreateAuthChallengeTriggerEvent } from 'aws-lambda';
import { challengeFor } from './core/challenge-parameters';
import { readCreateConfig } from './core/config';
import { createLogger } from './core/log';

const config = readCreateConfig(process.env);
const log = createLogger(config.logLevel);

/** Shapes the next challenge; identical for known and unknown users, and holds no secret. */
export const handler = async (event: CreateAuthChallengeTriggerEvent): Promise<CreateAuthChallengeTriggerEvent> => {
  const round = event.request.session?.length ?? 0;
  const challenge = challengeFor(round, config.methods, config.codeLength);
  event.response.publicChallengeParameters = challenge.publicParameters;
  event.response.privateChallengeParameters = challenge.privateParameters;
  event.response.challengeMetadata = challenge.kind;
  log.debug('create auth challenge', { round, challenge: challenge.kind });
  return event;
};
