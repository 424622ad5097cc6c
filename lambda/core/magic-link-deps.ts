import { userConfirmer, userCreator, userFinder } from './cognito-users';
import type { MagicLinkApiConfig } from './config';
import { createEmailSender } from './email-sender';
import { createLinkSigner } from './link-signature';
import type { Logger } from './log';
import type { MagicLinkRequestDeps } from './magic-link-request';
import { createSendLatency } from './send-latency';
import { countRequest, markSignUp, withdrawLink } from './state-store';
import { createStateTable } from './state-table';

/** Typical KMS Sign + SES send time before this container has measured any (ms). */
const INITIAL_SEND_ESTIMATE_MS = 80;
/** Typical AdminCreateUser + AdminSetUserPassword + marker time before this container has measured any (ms). */
export const INITIAL_CREATION_ESTIMATE_MS = 120;

/**
 * Wires the magic-link request core to Cognito, DynamoDB, KMS and SES. Only the table operations this
 * function uses are bundled, and SDK clients are created on first use.
 */
export function createMagicLinkDeps(config: MagicLinkApiConfig, log: Logger): MagicLinkRequestDeps {
  const table = createStateTable(config.tableName);
  const findUser = userFinder(config.userPoolId);
  const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
  return {
    userPoolId: config.userPoolId,
    store: { load: table.load, save: table.save, countRequest: countRequest(table), withdrawLink: withdrawLink(table) },
    limits: config.limits,
    linkTtlMs: config.linkTtlMs,
    redirectUris: config.redirectUris,
    maxRequestsPerIpPerMinute: config.maxRequestsPerIpPerMinute,
    email: config.email,
    findUser,
    signUp: config.autoSignUp ? {
      userPoolId: config.userPoolId,
      store: { markSignUp: markSignUp(table) },
      findUser,
      createUser: userCreator(config.userPoolId),
      confirmUser: userConfirmer(config.userPoolId),
      creationLatency: createSendLatency(INITIAL_CREATION_ESTIMATE_MS),
      log,
      sleep,
    } : undefined,
    sign: createLinkSigner(config.keyId),
    sendEmail: createEmailSender(),
    latency: createSendLatency(INITIAL_SEND_ESTIMATE_MS),
    log,
    now: () => Date.now(),
    sleep,
  };
}
