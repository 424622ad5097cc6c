import type { OtpLimits } from '../../../lambda/core/config';

/** The library's default code limits, as the functions' environment carries them. */
export const DEFAULT_CODE_LIMITS_ENVIRONMENT = {
  CODE_LENGTH: '6',
  CODE_TTL_SECONDS: '180',
  MAX_ATTEMPTS: '3',
  SEND_COOLDOWN_SECONDS: '60',
  MAX_SENDS_PER_HOUR: '5',
  MAX_FAILURES: '10',
  FAILURE_WINDOW_SECONDS: '3600',
};

/** The same limits as the handlers read them. */
export const DEFAULT_CODE_LIMITS: OtpLimits = {
  codeLength: 6, codeTtlMs: 180_000, maxAttempts: 3, sendCooldownMs: 60_000, maxSendsPerHour: 5, maxFailures: 10, failureWindowMs: 3_600_000,
};
