import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as config from '../../lambda/core/config';
import { PasswordlessUserPool, PasswordlessUserPoolProps } from '../../src';

/**
 * The environment each function of a PasswordlessUserPool with these props gets in the template, by the
 * function's name (e.g. VerifyAuthChallengeResponse), with resource references resolved to a name.
 */
function environmentsOf(props: PasswordlessUserPoolProps): Record<string, Record<string, string>> {
  const stack = new Stack(new App(), 'Stack');
  new PasswordlessUserPool(stack, 'Auth', props);
  const functions = Template.fromStack(stack).findResources('AWS::Lambda::Function');
  return Object.fromEntries(Object.values(functions).map((fn) => {
    const variables = Object.fromEntries(Object.entries(fn.Properties.Environment.Variables as Record<string, unknown>)
      .map(([name, value]) => [name, typeof value === 'string' ? value : 'resolved-table-name']));
    return [fn.Properties.Description.split(' ')[1], variables];
  }));
}

test('the handlers accept the environment the constructs give them, with the limits the props say', () => {
  // Given / When
  const env = environmentsOf({
    email: { fromAddress: 'Example <no-reply@example.com>', htmlBody: '<p>{code}</p>' },
    sms: { allowedCountryCallingCodes: ['1', '44'], senderId: 'Example' },
    otp: { codeLength: 8, codeLifetime: Duration.minutes(5), maxAttemptsPerCode: 4, failureWindow: Duration.minutes(30) },
    logLevel: 'debug',
  });

  // Then
  expect(config.readDefineConfig(env.DefineAuthChallenge)).toEqual({ maxAttempts: 4, logLevel: 'debug' });
  expect(config.readCreateConfig(env.CreateAuthChallenge)).toEqual({ methods: ['email-otp', 'sms-otp'], codeLength: 8, logLevel: 'debug' });
  const verify = config.readVerifyConfig(env.VerifyAuthChallengeResponse);
  expect(verify.limits).toEqual({
    codeLength: 8,
    codeTtlMs: 300_000,
    maxAttempts: 4,
    sendCooldownMs: 60_000,
    maxSendsPerHour: 5,
    maxFailures: 10,
    failureWindowMs: 1_800_000,
  });
  expect(verify.email).toMatchObject({ from: 'Example <no-reply@example.com>', htmlBody: '<p>{code}</p>' });
  expect(verify.sms).toMatchObject({ allowedCountryCodes: ['1', '44'], senderId: 'Example' });
});

test('the magic-link handlers accept the environment the constructs give them, with the limits the props say', () => {
  // Given / When
  const env = environmentsOf({
    email: { fromAddress: 'Example <no-reply@example.com>' },
    otp: { sendCooldown: Duration.seconds(90), maxSendsPerHour: 4, failureWindow: Duration.minutes(30) },
    magicLink: {
      redirectUrls: ['https://app.example.com/sign-in', 'http://127.0.0.1/demo/'],
      linkLifetime: Duration.minutes(15),
      maxRequestsPerIpPerMinute: 5,
      email: { fromAddress: 'links@example.com', htmlBody: '<a href="{link}">Sign in</a>', configurationSetName: 'links' },
    },
    logLevel: 'debug',
  });

  // Then
  expect(config.readCreateConfig(env.CreateAuthChallenge).methods).toEqual(['email-otp', 'magic-link']);
  const verify = config.readVerifyConfig(env.VerifyAuthChallengeResponse);
  expect(verify.methods).toEqual(['email-otp', 'magic-link']);
  expect(verify.magicLinkKeyId).toBeDefined();
  const api = config.readMagicLinkApiConfig(env.MagicLinkApi);
  expect(api).toMatchObject({
    redirectUris: ['https://app.example.com/sign-in', 'http://127.0.0.1/demo/'],
    allowedOrigins: ['https://app.example.com', 'http://127.0.0.1'],
    linkTtlMs: 900_000,
    maxRequestsPerIpPerMinute: 5,
    logLevel: 'debug',
    email: { from: 'links@example.com', subject: 'Your sign-in link', htmlBody: '<a href="{link}">Sign in</a>', configurationSet: 'links' },
  });
  expect(api.limits).toMatchObject({ sendCooldownMs: 90_000, maxSendsPerHour: 4, maxFailures: 10, failureWindowMs: 1_800_000 });
});

test('the sign-in and attribute handlers accept the environment the constructs give them, with the limits the props say', () => {
  // Given / When
  const env = environmentsOf({
    email: { fromAddress: 'Example <no-reply@example.com>', configurationSetName: 'auth' },
    sms: { allowedCountryCallingCodes: ['1', '44'], senderId: 'Example' },
    otp: { codeLength: 8, codeLifetime: Duration.minutes(5), maxAttemptsPerCode: 4, sendCooldown: Duration.seconds(90) },
    magicLink: {
      redirectUrls: ['https://app.example.com/sign-in'],
      maxRequestsPerIpPerMinute: 5,
      autoSignUp: true,
      attributeUpdates: true,
    },
    userPoolProps: { signInAliases: { email: true, phone: true } },
    logLevel: 'debug',
  });

  // Then
  expect(config.readVerifyConfig(env.VerifyAuthChallengeResponse).autoSignUp).toBe(true);
  expect(config.readMagicLinkApiConfig(env.MagicLinkApi)).toMatchObject({ autoSignUp: true });
  // Cognito generates the usernames (username attributes), so no function is told to make them up.
  expect(env.MagicLinkApi).not.toHaveProperty('GENERATE_USERNAMES');
  expect(env.SignInApi).not.toHaveProperty('GENERATE_USERNAMES');
  expect(config.readSignInApiConfig(env.SignInApi)).toMatchObject({
    methods: ['email-otp', 'sms-otp', 'magic-link'],
    allowedCountryCodes: ['1', '44'],
    allowedOrigins: ['https://app.example.com'],
    maxRequestsPerIpPerMinute: 5,
    logLevel: 'debug',
  });
  const attributes = config.readAttributeApiConfig(env.AttributeApi);
  expect(attributes.limits).toEqual({
    codeLength: 8,
    codeTtlMs: 300_000,
    maxAttempts: 4,
    sendCooldownMs: 90_000,
    maxSendsPerHour: 5,
    maxFailures: 10,
    failureWindowMs: 3_600_000,
  });
  expect(attributes.email).toMatchObject({ from: 'Example <no-reply@example.com>', subject: 'Verify your email address', configurationSet: 'auth' });
  expect(attributes.sms).toMatchObject({ allowedCountryCodes: ['1', '44'], message: 'Your verification code is {code}', senderId: 'Example' });
  expect(attributes).toMatchObject({ allowedOrigins: ['https://app.example.com'], maxRequestsPerIpPerMinute: 5, logLevel: 'debug' });
});
