import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { readCreateConfig, readDefineConfig, readVerifyConfig } from '../../lambda/core/config';
import { PasswordlessUserPool } from '../../src';

/** The environment each function gets in the template, with the table reference resolved to a name. */
function environments(template: Template): Record<string, Record<string, string>> {
  const functions = template.findResources('AWS::Lambda::Function');
  return Object.fromEntries(Object.values(functions).map((fn) => {
    const variables = Object.fromEntries(Object.entries(fn.Properties.Environment.Variables as Record<string, unknown>)
      .map(([name, value]) => [name, typeof value === 'string' ? value : 'resolved-table-name']));
    return [fn.Properties.Description.split(' ')[1], variables];
  }));
}

test('the handlers accept the environment the constructs give them, with the limits the props say', () => {
  // Given
  const stack = new Stack(new App(), 'Stack');
  new PasswordlessUserPool(stack, 'Auth', {
    email: { fromAddress: 'Example <no-reply@example.com>', htmlBody: '<p>{code}</p>' },
    sms: { allowedCountryCallingCodes: ['1', '44'], senderId: 'Example' },
    otp: { codeLength: 8, codeLifetime: Duration.minutes(5), maxAttemptsPerCode: 4, failureWindow: Duration.minutes(30) },
    logLevel: 'debug',
  });

  // When
  const env = environments(Template.fromStack(stack));

  // Then
  expect(readDefineConfig(env.DefineAuthChallenge)).toEqual({ maxAttempts: 4, logLevel: 'debug' });
  expect(readCreateConfig(env.CreateAuthChallenge)).toEqual({ methods: ['email-otp', 'sms-otp'], codeLength: 8, logLevel: 'debug' });
  const verify = readVerifyConfig(env.VerifyAuthChallengeResponse);
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
