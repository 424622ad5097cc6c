import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as config from '../../lambda/core/config';
import { PasswordlessUserPool, PasswordlessUserPoolProps, RateLimitWebAcl } from '../../src';

const EMAIL = { fromAddress: 'no-reply@example.com' };
const SMS = { allowedCountryCallingCodes: ['1', '44'] };
const MAGIC_LINK = { redirectUrls: ['https://app.example.com/sign-in'], autoSignUp: true, attributeUpdates: true };

function build(props: PasswordlessUserPoolProps): { stack: Stack; auth: PasswordlessUserPool; template: Template } {
  const stack = new Stack(new App(), 'TestStack');
  const auth = new PasswordlessUserPool(stack, 'Auth', props);
  return { stack, auth, template: Template.fromStack(stack) };
}

/** The environment of every function, by the first word after 'Cognito'/'HTTP' in its description. */
function environments(template: Template): Record<string, Record<string, unknown>> {
  return Object.fromEntries(Object.values(template.findResources('AWS::Lambda::Function'))
    .map((fn) => [String(fn.Properties.Description).split(' ')[1], fn.Properties.Environment.Variables]));
}

describe('WAF web ACL for the user pool', () => {
  test('creates none by default', () => {
    // Given / When
    const { template, auth } = build({ email: EMAIL });

    // Then
    template.resourceCountIs('AWS::WAFv2::WebACL', 0);
    expect(auth.webAclArn).toBeUndefined();
  });

  test('with wafRateLimit, a regional rate-based rule on the source IP is associated with the user pool', () => {
    // Given / When
    const { template, auth } = build({ email: EMAIL, wafRateLimit: 200 });

    // Then
    template.hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'REGIONAL',
      DefaultAction: { Allow: {} },
      Rules: [Match.objectLike({
        Statement: { RateBasedStatement: { Limit: 200, AggregateKeyType: 'IP', EvaluationWindowSec: 300 } },
        Action: { Block: { CustomResponse: { ResponseCode: 429, CustomResponseBodyKey: 'TooManyRequests' } } },
      })],
    });
    const poolId = Object.keys(template.findResources('AWS::Cognito::UserPool'))[0];
    template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', { ResourceArn: { 'Fn::GetAtt': [poolId, 'Arn'] } });
    expect(auth.webAclArn).toBeDefined();
  });

  test('the user pool and the magic-link API each get their own web ACL', () => {
    // Given / When
    const { template } = build({ email: EMAIL, wafRateLimit: 200, magicLink: { ...MAGIC_LINK, wafRateLimit: 100 } });

    // Then
    template.resourceCountIs('AWS::WAFv2::WebACL', 2);
    template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 2);
  });

  test.each([9, 2_000_000_001, 10.5])('wafRateLimit %p is a synth error naming the range', (limit) => {
    expect(() => build({ email: EMAIL, wafRateLimit: limit })).toThrow(/wafRateLimit must be (an integer )?between 10 and 2000000000/);
  });

  test('RateLimitWebAcl protects any regional resource', () => {
    // Given
    const stack = new Stack(new App(), 'TestStack');

    // When
    const acl = new RateLimitWebAcl(stack, 'Acl', { resourceArn: 'arn:aws:example', limit: 50, metricName: 'Thing', description: 'a thing' });

    // Then
    Template.fromStack(stack).hasResourceProperties('AWS::WAFv2::WebACLAssociation', { ResourceArn: 'arn:aws:example' });
    expect(acl.webAclArn).toBeDefined();
  });
});

describe('SMS spend alarm', () => {
  test('creates none by default', () => {
    // Given / When
    const { template, auth } = build({ sms: SMS });

    // Then
    template.resourceCountIs('AWS::CloudWatch::Alarm', 0);
    expect(auth.triggers.smsSpendAlarm).toBeUndefined();
  });

  test('with monthlySpendAlarmUsd, alarms on the month-to-date SMS spend reaching it and notifies the topic', () => {
    // Given
    const stack = new Stack(new App(), 'TestStack');
    const topic = new sns.Topic(stack, 'Alerts');

    // When
    const auth = new PasswordlessUserPool(stack, 'Auth', { sms: { ...SMS, monthlySpendAlarmUsd: 50, spendAlarmTopic: topic } });

    // Then
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SNS',
      MetricName: 'SMSMonthToDateSpentUSD',
      Statistic: 'Maximum',
      Threshold: 50,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: Object.keys(template.findResources('AWS::SNS::Topic'))[0] }],
    });
    expect(auth.triggers.smsSpendAlarm).toBeDefined();
  });

  test('a topic without a threshold is a synth error', () => {
    // Given
    const stack = new Stack(new App(), 'TestStack');
    const topic = new sns.Topic(stack, 'Alerts');

    // When / Then
    expect(() => new PasswordlessUserPool(stack, 'Auth', { sms: { ...SMS, spendAlarmTopic: topic } }))
      .toThrow(/sms.spendAlarmTopic needs sms.monthlySpendAlarmUsd/);
  });

  test.each([0, 1_000_001])('monthlySpendAlarmUsd %p is a synth error naming the range', (usd) => {
    expect(() => build({ sms: { ...SMS, monthlySpendAlarmUsd: usd } })).toThrow(/sms.monthlySpendAlarmUsd must be between 1 and 1000000/);
  });
});

describe('input size limits', () => {
  test('the defaults reach every handler that reads input', () => {
    // Given / When
    const { template, auth } = build({ email: EMAIL, sms: SMS, magicLink: MAGIC_LINK });

    // Then
    const env = environments(template);
    const verify = config.readVerifyConfig(env.VerifyAuthChallengeResponse as config.Env);
    expect(verify).toMatchObject({ maxAnswerLength: 1024, maxClientMetadataBytes: 1024 });
    expect(config.readMagicLinkApiConfig(env.MagicLinkApi as config.Env).maxBodyBytes).toBe(4096);
    expect([auth.triggers.maxAnswerLength, auth.triggers.maxClientMetadataBytes, auth.triggers.maxRequestBodyBytes]).toEqual([1024, 1024, 4096]);
    const apiFunctions = Object.entries(env).filter(([name]) => !name.endsWith('Challenge') && !name.endsWith('Response'));
    expect(apiFunctions).toHaveLength(3);
    expect(apiFunctions.map(([, variables]) => variables.MAX_BODY_BYTES)).toEqual(['4096', '4096', '4096']);
  });

  test('inputLimits sets them', () => {
    // Given / When
    const { template } = build({
      email: EMAIL,
      magicLink: MAGIC_LINK,
      inputLimits: { maxAnswerLength: 600, maxClientMetadataBytes: 300, maxRequestBodyBytes: 2048 },
    });

    // Then
    const env = environments(template);
    const verify = config.readVerifyConfig(env.VerifyAuthChallengeResponse as config.Env);
    expect(verify).toMatchObject({ maxAnswerLength: 600, maxClientMetadataBytes: 300 });
    expect(config.readMagicLinkApiConfig(env.MagicLinkApi as config.Env).maxBodyBytes).toBe(2048);
  });

  test.each([
    ['maxAnswerLength', 511, /inputLimits.maxAnswerLength must be between 512 and 4096 \(received: 511\)/],
    ['maxClientMetadataBytes', 16385, /inputLimits.maxClientMetadataBytes must be between 256 and 16384 \(received: 16385\)/],
    ['maxRequestBodyBytes', 1000, /inputLimits.maxRequestBodyBytes must be between 1024 and 65536 \(received: 1000\)/],
  ])('%s %p is a synth error naming the range', (name, value, message) => {
    expect(() => build({ email: EMAIL, inputLimits: { [name]: value } })).toThrow(message);
  });
});

describe('phone numbers written by the app client (R21)', () => {
  test('a client that may write phone_number gets a warning about SMS pumping', () => {
    // Given / When
    const { stack } = build({
      sms: SMS,
      userPoolClientProps: { writeAttributes: new cognito.ClientAttributes().withStandardAttributes({ phoneNumber: true }) },
    });

    // Then
    Annotations.fromStack(stack).hasWarning('/TestStack/Auth', Match.stringLikeRegexp('lets users write phone_number themselves'));
  });

  test('a client that may write *_verified or custom attributes gets a warning naming them', () => {
    // Given / When
    const { stack } = build({
      email: EMAIL,
      userPoolProps: { customAttributes: { role: new cognito.StringAttribute({ mutable: true }) } },
      userPoolClientProps: {
        writeAttributes: new cognito.ClientAttributes().withStandardAttributes({ emailVerified: true }).withCustomAttributes('role'),
      },
    });

    // Then
    Annotations.fromStack(stack).hasWarning('/TestStack/Auth', Match.stringLikeRegexp('write custom:role, email_verified themselves'));
  });

  test('the default client gets no such warning', () => {
    // Given / When
    const { stack } = build({ sms: SMS });

    // Then
    Annotations.fromStack(stack).hasNoWarning('/TestStack/Auth', Match.stringLikeRegexp('themselves'));
  });
});
