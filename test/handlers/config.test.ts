import { VERIFY_ENVIRONMENT } from './support/verify-environment';
import { ConfigError, readCreateConfig, readDefineConfig, readVerifyConfig } from '../../lambda/core/config';

test('a complete environment parses into typed configuration', () => {
  const config = readVerifyConfig(VERIFY_ENVIRONMENT);
  expect(config.limits).toEqual({
    codeLength: 6, codeTtlMs: 180_000, maxAttempts: 3, sendCooldownMs: 60_000, maxSendsPerHour: 5, maxFailures: 10, failureWindowMs: 3_600_000,
  });
  expect(config.sms?.allowedCountryCodes).toEqual(['1', '44']);
  expect(config.email?.htmlBody).toBeUndefined();
  expect(config.logLevel).toBe('info');
});

test.each([
  ['CODE_LENGTH', '5', /CODE_LENGTH must be an integer between 6 and 10 \(received: "5"\)/],
  ['MAX_ATTEMPTS', 'three', /MAX_ATTEMPTS must be an integer/],
  ['METHODS', 'email-otp,carrier-pigeon', /METHODS has an unknown method/],
  ['TABLE_NAME', '', /TABLE_NAME is required/],
  ['EMAIL_TEXT_BODY', 'no placeholder', /EMAIL_TEXT_BODY must contain the \{code\} placeholder/],
  ['SMS_ALLOWED_COUNTRY_CODES', '1,+44', /country calling codes/],
  ['LOG_LEVEL', 'trace', /LOG_LEVEL must be/],
])('a bad %s is a clear error naming it', (name, value, message) => {
  expect(() => readVerifyConfig({ ...VERIFY_ENVIRONMENT, [name]: value })).toThrow(ConfigError);
  expect(() => readVerifyConfig({ ...VERIFY_ENVIRONMENT, [name]: value })).toThrow(message);
});

test('channels that are not enabled need no settings', () => {
  const env = { ...VERIFY_ENVIRONMENT, METHODS: 'email-otp', SMS_ALLOWED_COUNTRY_CODES: undefined, SMS_MESSAGE: undefined };
  expect(readVerifyConfig(env).sms).toBeUndefined();
});

test('define and create read only what they use', () => {
  expect(readDefineConfig({ MAX_ATTEMPTS: '5' })).toEqual({ maxAttempts: 5, logLevel: 'info' });
  expect(readCreateConfig({ METHODS: 'sms-otp', CODE_LENGTH: '8', LOG_LEVEL: 'debug' })).toEqual({ methods: ['sms-otp'], codeLength: 8, logLevel: 'debug' });
});
