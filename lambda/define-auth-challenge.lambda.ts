import type { DefineAuthChallengeTriggerEvent } from 'aws-lambda';
import { nextStep } from './core/challenge-sequence';
import { readDefineConfig } from './core/config';
import { createLogger } from './core/log';

const config = readDefineConfig(process.env);
const log = createLogger(config.logLevel);

/** Decides each round of the custom-auth flow from the session (and the answer's ClientMetadata); no AWS call. */
export const handler = async (event: DefineAuthChallengeTriggerEvent): Promise<DefineAuthChallengeTriggerEvent> => {
  const step = nextStep(event.request.session ?? [], config.maxAttempts, event.request.clientMetadata);
  event.response.issueTokens = step.kind === 'tokens';
  event.response.failAuthentication = step.kind === 'fail';
  if (step.kind === 'challenge') event.response.challengeName = 'CUSTOM_CHALLENGE';
  log.debug('define auth challenge', { rounds: event.request.session?.length ?? 0, step: step.kind });
  return event;
};
