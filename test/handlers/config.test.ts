import { ATTRIBUTE_API_ENVIRONMENT } from './support/attribute-api-environment';
import { DEFAULT_CODE_LIMITS } from './support/default-code-limits';
import { MAGIC_LINK_API_ENVIRONMENT } from './support/magic-link-api-environment';
import { SIGN_IN_API_ENVIRONMENT } from './support/sign-in-api-environment';
import { VERIFY_ENVIRONMENT } from './support/verify-environment';
import {
  ConfigError,
  readAttributeApiConfig,
  readCreateConfig,
  readDefineConfig,
  readMagicLinkApiConfig,
  readSignInApiConfig,
  readVerifyConfig,
} from '../../lambda/core/config';

/** Reading throws a ConfigError that says `message`. */
function expectConfigError(read: () => unknown, message: string): void {
  expect(read).toThrow(ConfigError);
  expect(read).toThrow(`Invalid cdk-passwordless configuration: ${message}`);
}

test('a complete environment parses into typed configuration', () => {
  const config = readVerifyConfig(VERIFY_ENVIRONMENT);
  expect(config.limits).toEqual(DEFAULT_CODE_LIMITS);
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

describe('magic links in the verify trigger', () => {
  test('METHODS with magic-link needs MAGIC_LINK_KEY_ID', () => {
    const env = { ...VERIFY_ENVIRONMENT, METHODS: 'email-otp,magic-link' };
    expect(() => readVerifyConfig(env)).toThrow('Invalid cdk-passwordless configuration: MAGIC_LINK_KEY_ID is required');
    expect(readVerifyConfig({ ...env, MAGIC_LINK_KEY_ID: 'arn:aws:kms:us-east-1:111122223333:key/k' }).magicLinkKeyId)
      .toBe('arn:aws:kms:us-east-1:111122223333:key/k');
  });

  test('without magic-link the key is neither needed nor read', () => {
    expect(readVerifyConfig({ ...VERIFY_ENVIRONMENT, MAGIC_LINK_KEY_ID: 'ignored' }).magicLinkKeyId).toBeUndefined();
  });
});

describe('readMagicLinkApiConfig', () => {
  test('a complete environment parses into typed configuration', () => {
    expect(readMagicLinkApiConfig(MAGIC_LINK_API_ENVIRONMENT)).toEqual({
      userPoolId: 'us-east-1_TestPool',
      tableName: 'passwordless-state',
      keyId: 'arn:aws:kms:us-east-1:111122223333:key/k',
      redirectUris: ['https://app.example.com/auth/callback', 'http://localhost:3000/cb'],
      allowedOrigins: ['https://app.example.com', 'http://localhost:3000'],
      linkTtlMs: 600_000,
      limits: { codeTtlMs: 600_000, sendCooldownMs: 60_000, maxSendsPerHour: 5, maxFailures: 10, failureWindowMs: 3_600_000 },
      maxRequestsPerIpPerMinute: 10,
      maxBodyBytes: 4096,
      email: {
        from: 'no-reply@example.com',
        subject: 'Your sign-in link',
        textBody: 'Sign in: {link} ({minutes} minutes)',
        htmlBody: undefined,
        configurationSet: undefined,
      },
      autoSignUp: false,
      logLevel: 'info',
    });
  });

  test('optional settings: HTML body, configuration set, no CORS origins', () => {
    const config = readMagicLinkApiConfig({
      ...MAGIC_LINK_API_ENVIRONMENT,
      ALLOWED_ORIGINS: undefined,
      EMAIL_HTML_BODY: '<a href="{link}">Sign in</a>',
      EMAIL_CONFIGURATION_SET: 'tracking',
      LOG_LEVEL: 'debug',
    });
    expect(config.allowedOrigins).toEqual([]);
    expect(config.email.htmlBody).toBe('<a href="{link}">Sign in</a>');
    expect(config.email.configurationSet).toBe('tracking');
    expect(config.logLevel).toBe('debug');
  });

  test.each([
    ['USER_POOL_ID', undefined, 'USER_POOL_ID is required'],
    ['TABLE_NAME', '', 'TABLE_NAME is required'],
    ['KEY_ID', undefined, 'KEY_ID is required'],
    ['REDIRECT_URIS', undefined, 'REDIRECT_URIS is required'],
    ['REDIRECT_URIS', 'https://app.example.com/cb,,https://app.example.com/other', 'REDIRECT_URIS has an empty entry'],
    ['ALLOWED_ORIGINS', 'https://app.example.com, ', 'ALLOWED_ORIGINS has an empty entry'],
    ['LINK_TTL_SECONDS', '59', 'LINK_TTL_SECONDS must be an integer between 60 and 3600 (received: "59")'],
    ['LINK_TTL_SECONDS', '3601', 'LINK_TTL_SECONDS must be an integer between 60 and 3600 (received: "3601")'],
    ['LINK_TTL_SECONDS', '10m', 'LINK_TTL_SECONDS must be an integer between 60 and 3600 (received: "10m")'],
    ['LINK_TTL_SECONDS', undefined, 'LINK_TTL_SECONDS is required'],
    ['SEND_COOLDOWN_SECONDS', '5', 'SEND_COOLDOWN_SECONDS must be an integer between 10 and 900 (received: "5")'],
    ['MAX_SENDS_PER_HOUR', '0', 'MAX_SENDS_PER_HOUR must be an integer between 1 and 60 (received: "0")'],
    ['MAX_FAILURES', '-1', 'MAX_FAILURES must be an integer between 1 and 100 (received: "-1")'],
    ['FAILURE_WINDOW_SECONDS', '1.5', 'FAILURE_WINDOW_SECONDS must be an integer between 60 and 86400 (received: "1.5")'],
    ['MAX_REQUESTS_PER_IP_PER_MINUTE', '1001', 'MAX_REQUESTS_PER_IP_PER_MINUTE must be an integer between 1 and 1000 (received: "1001")'],
    ['EMAIL_FROM', undefined, 'EMAIL_FROM is required'],
    ['EMAIL_SUBJECT', '', 'EMAIL_SUBJECT is required'],
    ['EMAIL_TEXT_BODY', 'Your code is {code}', 'EMAIL_TEXT_BODY must contain the {link} placeholder'],
    ['EMAIL_HTML_BODY', '<p>no link</p>', 'EMAIL_HTML_BODY must contain the {link} placeholder'],
    ['LOG_LEVEL', 'verbose', 'LOG_LEVEL must be debug, info, warn or error (received: "verbose")'],
  ])('%s=%j is a clear error', (name, value, message) => {
    expectConfigError(() => readMagicLinkApiConfig({ ...MAGIC_LINK_API_ENVIRONMENT, [name]: value }), message);
  });
});

describe('readSignInApiConfig', () => {
  test('a complete environment parses into typed configuration', () => {
    expect(readSignInApiConfig(SIGN_IN_API_ENVIRONMENT)).toEqual({
      userPoolId: 'us-east-1_TestPool',
      clientId: 'testclientid1234567890',
      tableName: 'passwordless-state',
      methods: ['email-otp', 'sms-otp', 'magic-link'],
      allowedCountryCodes: ['1', '44'],
      allowedOrigins: ['https://app.example.com', 'http://localhost:3000'],
      maxRequestsPerIpPerMinute: 10,
      maxBodyBytes: 4096,
      logLevel: 'info',
    });
  });

  test('a leftover GENERATE_USERNAMES is neither needed nor read: Cognito generates the usernames', () => {
    const config = readSignInApiConfig({ ...SIGN_IN_API_ENVIRONMENT, GENERATE_USERNAMES: 'not read' });
    expect(config).toEqual(readSignInApiConfig(SIGN_IN_API_ENVIRONMENT));
    expect(config).not.toHaveProperty('generateUsernames');
  });

  test('optional settings: no ALLOWED_ORIGINS is no CORS', () => {
    const config = readSignInApiConfig({ ...SIGN_IN_API_ENVIRONMENT, ALLOWED_ORIGINS: undefined, LOG_LEVEL: 'debug' });
    expect(config.allowedOrigins).toEqual([]);
    expect(config.logLevel).toBe('debug');
  });

  test('without sms-otp the country codes are neither needed nor read', () => {
    const config = readSignInApiConfig({ ...SIGN_IN_API_ENVIRONMENT, METHODS: 'email-otp', SMS_ALLOWED_COUNTRY_CODES: 'not read' });
    expect(config.allowedCountryCodes).toEqual([]);
    expect(readSignInApiConfig({ ...SIGN_IN_API_ENVIRONMENT, METHODS: 'email-otp', SMS_ALLOWED_COUNTRY_CODES: undefined }).methods).toEqual(['email-otp']);
  });

  test.each([
    ['USER_POOL_ID', undefined, 'USER_POOL_ID is required'],
    ['CLIENT_ID', undefined, 'CLIENT_ID is required'],
    ['TABLE_NAME', '', 'TABLE_NAME is required'],
    ['METHODS', 'email-otp,password', 'METHODS has an unknown method (received: "password")'],
    ['SMS_ALLOWED_COUNTRY_CODES', undefined, 'SMS_ALLOWED_COUNTRY_CODES is required'],
    ['SMS_ALLOWED_COUNTRY_CODES', '1,0044', 'SMS_ALLOWED_COUNTRY_CODES must list country calling codes of 1-3 digits (received: "0044")'],
    ['ALLOWED_ORIGINS', ',https://app.example.com', 'ALLOWED_ORIGINS has an empty entry'],
    ['MAX_REQUESTS_PER_IP_PER_MINUTE', '0', 'MAX_REQUESTS_PER_IP_PER_MINUTE must be an integer between 1 and 1000 (received: "0")'],
    ['MAX_REQUESTS_PER_IP_PER_MINUTE', undefined, 'MAX_REQUESTS_PER_IP_PER_MINUTE is required'],
    ['LOG_LEVEL', 'trace', 'LOG_LEVEL must be debug, info, warn or error (received: "trace")'],
  ])('%s=%j is a clear error', (name, value, message) => {
    expectConfigError(() => readSignInApiConfig({ ...SIGN_IN_API_ENVIRONMENT, [name]: value }), message);
  });
});

describe('readAttributeApiConfig', () => {
  test('a complete environment parses into typed configuration', () => {
    expect(readAttributeApiConfig(ATTRIBUTE_API_ENVIRONMENT)).toEqual({
      userPoolId: 'us-east-1_TestPool',
      tableName: 'passwordless-state',
      limits: DEFAULT_CODE_LIMITS,
      email: {
        from: 'no-reply@example.com',
        subject: 'Verify your email address',
        textBody: ATTRIBUTE_API_ENVIRONMENT.EMAIL_TEXT_BODY,
        htmlBody: undefined,
        configurationSet: undefined,
      },
      sms: { allowedCountryCodes: ['1', '44'], message: 'Your verification code is {code}', senderId: undefined, originationNumber: undefined },
      allowedOrigins: ['https://app.example.com', 'http://localhost:3000'],
      maxRequestsPerIpPerMinute: 10,
      maxBodyBytes: 4096,
      logLevel: 'info',
    });
  });

  test('optional settings: HTML body, configuration set, SMS sender id and origination number', () => {
    const config = readAttributeApiConfig({
      ...ATTRIBUTE_API_ENVIRONMENT,
      EMAIL_HTML_BODY: '<b>{code}</b>',
      EMAIL_CONFIGURATION_SET: 'tracking',
      SMS_SENDER_ID: 'MyApp',
      SMS_ORIGINATION_NUMBER: '+14155550000',
    });
    expect(config.email).toMatchObject({ htmlBody: '<b>{code}</b>', configurationSet: 'tracking' });
    expect(config.sms).toMatchObject({ senderId: 'MyApp', originationNumber: '+14155550000' });
  });

  test('without sms-otp there is no SMS configuration and none is needed', () => {
    const env = { ...ATTRIBUTE_API_ENVIRONMENT, METHODS: 'email-otp,magic-link', SMS_ALLOWED_COUNTRY_CODES: undefined, SMS_MESSAGE: undefined };
    expect(readAttributeApiConfig(env).sms).toBeUndefined();
  });

  test('the email settings are needed even when email-otp is not a sign-in method', () => {
    const env = { ...ATTRIBUTE_API_ENVIRONMENT, METHODS: 'sms-otp' };
    expect(readAttributeApiConfig(env).email.from).toBe('no-reply@example.com');
    expect(() => readAttributeApiConfig({ ...env, EMAIL_FROM: undefined })).toThrow('EMAIL_FROM is required');
  });

  test.each([
    ['USER_POOL_ID', undefined, 'USER_POOL_ID is required'],
    ['TABLE_NAME', undefined, 'TABLE_NAME is required'],
    ['METHODS', undefined, 'METHODS is required'],
    ['CODE_LENGTH', '11', 'CODE_LENGTH must be an integer between 6 and 10 (received: "11")'],
    ['CODE_TTL_SECONDS', '30', 'CODE_TTL_SECONDS must be an integer between 60 and 900 (received: "30")'],
    ['MAX_ATTEMPTS', '0', 'MAX_ATTEMPTS must be an integer between 1 and 10 (received: "0")'],
    ['SEND_COOLDOWN_SECONDS', undefined, 'SEND_COOLDOWN_SECONDS is required'],
    ['MAX_SENDS_PER_HOUR', '61', 'MAX_SENDS_PER_HOUR must be an integer between 1 and 60 (received: "61")'],
    ['MAX_FAILURES', 'ten', 'MAX_FAILURES must be an integer between 1 and 100 (received: "ten")'],
    ['FAILURE_WINDOW_SECONDS', '86401', 'FAILURE_WINDOW_SECONDS must be an integer between 60 and 86400 (received: "86401")'],
    ['EMAIL_SUBJECT', undefined, 'EMAIL_SUBJECT is required'],
    ['EMAIL_TEXT_BODY', 'Verify: {link}', 'EMAIL_TEXT_BODY must contain the {code} placeholder'],
    ['EMAIL_HTML_BODY', '<p>no code</p>', 'EMAIL_HTML_BODY must contain the {code} placeholder'],
    ['SMS_MESSAGE', 'Your code', 'SMS_MESSAGE must contain the {code} placeholder'],
    ['SMS_ALLOWED_COUNTRY_CODES', '1,abc', 'SMS_ALLOWED_COUNTRY_CODES must list country calling codes of 1-3 digits (received: "abc")'],
    ['ALLOWED_ORIGINS', 'https://app.example.com,,', 'ALLOWED_ORIGINS has an empty entry'],
    ['MAX_REQUESTS_PER_IP_PER_MINUTE', '-5', 'MAX_REQUESTS_PER_IP_PER_MINUTE must be an integer between 1 and 1000 (received: "-5")'],
    ['LOG_LEVEL', 'silly', 'LOG_LEVEL must be debug, info, warn or error (received: "silly")'],
  ])('%s=%j is a clear error', (name, value, message) => {
    expectConfigError(() => readAttributeApiConfig({ ...ATTRIBUTE_API_ENVIRONMENT, [name]: value }), message);
  });
});

describe('the AUTO_SIGN_UP flag', () => {
  test('AUTO_SIGN_UP of the verify trigger: absent or "false" is off, "true" is on', () => {
    expect(readVerifyConfig(VERIFY_ENVIRONMENT).autoSignUp).toBe(false);
    expect(readVerifyConfig({ ...VERIFY_ENVIRONMENT, AUTO_SIGN_UP: 'false' }).autoSignUp).toBe(false);
    expect(readVerifyConfig({ ...VERIFY_ENVIRONMENT, AUTO_SIGN_UP: 'true' }).autoSignUp).toBe(true);
  });

  test('AUTO_SIGN_UP of the magic-link API; a leftover GENERATE_USERNAMES is not read', () => {
    const config = readMagicLinkApiConfig({ ...MAGIC_LINK_API_ENVIRONMENT, AUTO_SIGN_UP: 'true', GENERATE_USERNAMES: 'not read' });
    expect(config.autoSignUp).toBe(true);
    expect(config).not.toHaveProperty('generateUsernames');
  });

  test.each([
    ['readVerifyConfig', () => readVerifyConfig({ ...VERIFY_ENVIRONMENT, AUTO_SIGN_UP: '1' }), 'AUTO_SIGN_UP must be true or false (received: "1")'],
    ['readVerifyConfig', () => readVerifyConfig({ ...VERIFY_ENVIRONMENT, AUTO_SIGN_UP: 'True' }), 'AUTO_SIGN_UP must be true or false (received: "True")'],
    ['readMagicLinkApiConfig', () => readMagicLinkApiConfig({ ...MAGIC_LINK_API_ENVIRONMENT, AUTO_SIGN_UP: 'on' }), 'AUTO_SIGN_UP must be true or false (received: "on")'],
  ])('a bad flag value in %s is a ConfigError naming it', (_, read, message) => {
    expectConfigError(read, message);
  });
});
