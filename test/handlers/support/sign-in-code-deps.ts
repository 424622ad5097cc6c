import { DEFAULT_CODE_LIMITS } from './default-code-limits';
import { createLogger } from '../../../lambda/core/log';
import { createSendLatency } from '../../../lambda/core/send-latency';
import type { SignInCodeDeps } from '../../../lambda/core/sign-in-code';

export interface SentCode { readonly to: string; readonly code: string }

/**
 * Deps of the sign-in code core (requestSignInCode, checkSignInCode) on `store` with the default limits, whose
 * email and SMS channels record each code they send in `sent`. Nothing is logged unless `overrides.log` says so.
 */
export function recordingSignInCodeDeps(store: SignInCodeDeps['store'], overrides: Partial<SignInCodeDeps> = {}): { deps: SignInCodeDeps; sent: SentCode[] } {
  const sent: SentCode[] = [];
  const record = async (to: string, code: string) => void sent.push({ to, code });
  const deps: SignInCodeDeps = {
    store,
    channels: { 'email-otp': record, 'sms-otp': record },
    limits: DEFAULT_CODE_LIMITS,
    allowedCountryCodes: ['1', '44'],
    latency: createSendLatency(1),
    log: createLogger('debug', () => undefined),
    now: () => Date.now(),
    sleep: async () => undefined,
    ...overrides,
  };
  return { deps, sent };
}
