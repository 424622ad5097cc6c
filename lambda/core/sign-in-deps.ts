import { signInStarter, userConfirmer, userCreator, userFinder } from './cognito-users';
import type { SignInApiConfig } from './config';
import type { Logger } from './log';
import { INITIAL_CREATION_ESTIMATE_MS } from './magic-link-deps';
import { createSendLatency } from './send-latency';
import type { SignInStartDeps } from './sign-in-start';
import { countRequest, markSignUp } from './state-store';
import { createStateTable } from './state-table';

/** Wires the sign-in start core to Cognito and DynamoDB; SDK clients are created on first use. */
export function createSignInDeps(config: SignInApiConfig, log: Logger): SignInStartDeps {
  const table = createStateTable(config.tableName);
  return {
    userPoolId: config.userPoolId,
    store: { markSignUp: markSignUp(table), countRequest: countRequest(table) },
    methods: config.methods,
    allowedCountryCodes: config.allowedCountryCodes,
    maxRequestsPerIpPerMinute: config.maxRequestsPerIpPerMinute,
    findUser: userFinder(config.userPoolId),
    createUser: userCreator(config.userPoolId),
    confirmUser: userConfirmer(config.userPoolId),
    startSignIn: signInStarter(config.clientId),
    creationLatency: createSendLatency(INITIAL_CREATION_ESTIMATE_MS),
    log,
    now: () => Date.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
}
