import type { VerifyConfig } from './config';
import { createChannels } from './delivery';
import type { Logger } from './log';
import type { RedemptionStore } from './magic-link-redemption';
import { createSendLatency } from './send-latency';
import type { SignInCodeDeps, SignInCodeStore } from './sign-in-code';
import { signUpCompletion } from './sign-up-completion';
import { clearSignUp, codeStore, consumeLink } from './state-store';
import { createStateTable } from './state-table';

/** Typical SES/SNS send time before this container has measured any (ms). */
const INITIAL_SEND_ESTIMATE_MS = 60;

/** The verify trigger's dependencies: those of sign-in codes, with the table operation that redeems links. */
export interface VerifyDeps extends SignInCodeDeps {
  readonly store: SignInCodeStore & RedemptionStore;
}

/**
 * Wires the sign-in code core and link redemption to DynamoDB, SES and SNS. Only the table operations
 * this trigger uses are bundled, and SDK clients are created on first use, for enabled channels only.
 */
export function createVerifyDeps(config: VerifyConfig, log: Logger): VerifyDeps {
  const table = createStateTable(config.tableName);
  return {
    store: { ...codeStore(table), consumeLink: consumeLink(table) },
    channels: createChannels({ email: config.email, sms: config.sms, codeTtlMs: config.limits.codeTtlMs }),
    limits: config.limits,
    allowedCountryCodes: config.sms?.allowedCountryCodes ?? [],
    latency: createSendLatency(INITIAL_SEND_ESTIMATE_MS),
    completeSignUp: config.autoSignUp ? signUpCompletion(clearSignUp(table)) : undefined,
    log,
    now: () => Date.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
}
