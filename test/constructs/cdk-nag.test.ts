import { App, Aspects, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { AwsSolutionsChecks } from 'cdk-nag';
import { PasswordlessUserPool, PasswordlessUserPoolProps } from '../../src';

const EMAIL = { fromAddress: 'no-reply@example.com' };
const SMS = { allowedCountryCallingCodes: ['1', '44'] };
const MAGIC_LINK = { redirectUrls: ['https://app.example.com/sign-in', 'http://127.0.0.1/demo/'] };

interface Suppression { readonly id: string; readonly reason: string; readonly applies_to?: string[] }

function checkedStack(props: PasswordlessUserPoolProps | ((stack: Stack) => PasswordlessUserPoolProps)): Stack {
  const app = new App();
  const stack = new Stack(app, 'TestStack');
  new PasswordlessUserPool(stack, 'Auth', typeof props === 'function' ? props(stack) : props);
  Aspects.of(app).add(new AwsSolutionsChecks());
  return stack;
}

function findings(stack: Stack) {
  const annotations = Annotations.fromStack(stack);
  const describe = (m: { id: string; entry: { data?: unknown } }) => `${m.id}: ${String(m.entry.data).split(':')[0]}`;
  return {
    errors: annotations.findError('*', Match.stringLikeRegexp('AwsSolutions-.*')).map(describe),
    warnings: annotations.findWarning('*', Match.stringLikeRegexp('AwsSolutions-.*')).map(describe),
  };
}

/** Every cdk-nag suppression in the template, as `<logical id prefix> <rule>[applies_to]` with its reason. */
function suppressions(stack: Stack): { where: string; suppression: Suppression }[] {
  const resources = Template.fromStack(stack).toJSON().Resources as Record<string, any>;
  return Object.entries(resources).flatMap(([logicalId, resource]) =>
    ((resource.Metadata?.cdk_nag?.rules_to_suppress ?? []) as Suppression[])
      .map((suppression) => ({ where: logicalId.replace(/[0-9A-F]{8}$/, ''), suppression })));
}

const summary = (stack: Stack) => suppressions(stack)
  .map(({ where, suppression }) => `${where} ${suppression.id}${suppression.applies_to ? JSON.stringify(suppression.applies_to) : ''}`)
  .sort();

/** The props, with a state table encrypted by a customer managed key and point-in-time recovery. */
const withTableKey = (props: PasswordlessUserPoolProps) => (stack: Stack): PasswordlessUserPoolProps => ({
  ...props,
  stateTable: { encryptionKey: new kms.Key(stack, 'Key', { enableKeyRotation: true }), pointInTimeRecovery: true },
});

const EVERY_ROUTE = { ...MAGIC_LINK, autoSignUp: true, attributeUpdates: true };

describe('cdk-nag AwsSolutions', () => {
  test.each<[string, PasswordlessUserPoolProps]>([
    ['the default PasswordlessUserPool with email and SMS', { email: EMAIL, sms: SMS }],
    ['SMS only', { sms: SMS }],
    ['a PasswordlessUserPool with magicLink', { email: EMAIL, sms: SMS, magicLink: MAGIC_LINK }],
    ['magicLink with autoSignUp and attributeUpdates', { email: EMAIL, sms: SMS, magicLink: EVERY_ROUTE }],
  ])('%s has no unsuppressed errors or warnings', (_name, props) => {
    // Given / When
    const stack = checkedStack(props);

    // Then
    expect(findings(stack)).toEqual({ errors: [], warnings: [] });
  });

  test('the default PasswordlessUserPool suppresses exactly the reviewed rules, each with a reason', () => {
    // Given / When
    const stack = checkedStack({ email: EMAIL, sms: SMS });

    // Then
    expect(summary(stack)).toEqual([
      'AuthTriggersCreateAuthChallenge AwsSolutions-L1',
      'AuthTriggersDefineAuthChallenge AwsSolutions-L1',
      'AuthTriggersStateTable AwsSolutions-DDB3',
      'AuthTriggersVerifyAuthChallenge AwsSolutions-L1',
      'AuthTriggersVerifyAuthChallengeRoleDefaultPolicy AwsSolutions-IAM5["Resource::*"]',
      'AuthUserPool AwsSolutions-COG2',
      'AuthUserPool AwsSolutions-COG8',
      'AuthUserPoolsmsRole AwsSolutions-IAM5["Resource::*"]',
    ]);
    for (const { suppression } of suppressions(stack)) {
      expect(suppression.reason.trim().length).toBeGreaterThanOrEqual(10);
    }
  });

  test.each<[string, PasswordlessUserPoolProps, PasswordlessUserPoolProps, string[]]>([
    ['magicLink adds', { email: EMAIL, sms: SMS }, { email: EMAIL, sms: SMS, magicLink: MAGIC_LINK }, [
      'AuthMagicLinkApiDeploymentStagev1 AwsSolutions-APIG3',
      'AuthMagicLinkApiDeploymentStagev1 AwsSolutions-APIG6',
      'AuthMagicLinkApimagiclinkPOST AwsSolutions-APIG4',
      'AuthMagicLinkApimagiclinkPOST AwsSolutions-COG4',
      'AuthMagicLinkFunction AwsSolutions-L1',
    ]],
    ['autoSignUp and attributeUpdates add', { email: EMAIL, sms: SMS, magicLink: MAGIC_LINK }, { email: EMAIL, sms: SMS, magicLink: EVERY_ROUTE }, [
      'AuthMagicLinkApiattributesPOST AwsSolutions-APIG4',
      'AuthMagicLinkApiattributesPOST AwsSolutions-COG4',
      'AuthMagicLinkApiattributesverifyPOST AwsSolutions-APIG4',
      'AuthMagicLinkApiattributesverifyPOST AwsSolutions-COG4',
      'AuthMagicLinkApisigninPOST AwsSolutions-APIG4',
      'AuthMagicLinkApisigninPOST AwsSolutions-COG4',
      'AuthMagicLinkAttributeFunction AwsSolutions-L1',
      'AuthMagicLinkAttributeFunctionRoleDefaultPolicy AwsSolutions-IAM5["Resource::*"]',
      'AuthMagicLinkSignInFunction AwsSolutions-L1',
    ]],
  ])('%s exactly the reviewed suppressions, each with a reason', (_name, before, props, added) => {
    // Given
    const without = summary(checkedStack(before));

    // When
    const stack = checkedStack(props);

    // Then
    expect(summary(stack).filter((s) => !without.includes(s))).toEqual(added);
    for (const { suppression } of suppressions(stack)) {
      expect(suppression.reason.trim().length).toBeGreaterThanOrEqual(10);
    }
  });

  test.each<[string, PasswordlessUserPoolProps, string[]]>([
    ['email only', { email: EMAIL }, [
      'AuthTriggersVerifyAuthChallengeRoleDefaultPolicy AwsSolutions-IAM5["Action::kms:GenerateDataKey*"]',
    ]],
    ['magicLink', { email: EMAIL, magicLink: MAGIC_LINK }, [
      'AuthMagicLinkFunctionRoleDefaultPolicy AwsSolutions-IAM5["Action::kms:GenerateDataKey*"]',
    ]],
    ['autoSignUp and attributeUpdates with email only', { email: EMAIL, magicLink: EVERY_ROUTE }, [
      'AuthMagicLinkSignInFunctionRoleDefaultPolicy AwsSolutions-IAM5["Action::kms:GenerateDataKey*"]',
      'AuthMagicLinkAttributeFunctionRoleDefaultPolicy AwsSolutions-IAM5["Action::kms:GenerateDataKey*"]',
    ]],
  ])('%s with a customer managed table key and PITR has no unsuppressed findings, and no wildcard resource', (_name, props, keySuppressions) => {
    // Given / When
    const stack = checkedStack(withTableKey(props));

    // Then
    expect(findings(stack)).toEqual({ errors: [], warnings: [] });
    expect(summary(stack)).toEqual(expect.arrayContaining(keySuppressions));
    expect(summary(stack).filter((s) => s.includes('DDB3') || s.includes('Resource::*'))).toEqual([]);
  });

  test('with wafRateLimit, the stage is checked for WAF, not suppressed, and passes', () => {
    // Given / When
    const stack = checkedStack({ email: EMAIL, magicLink: { ...MAGIC_LINK, wafRateLimit: 500 } });

    // Then
    expect(summary(stack).filter((s) => s.includes('APIG3'))).toEqual([]);
    expect(findings(stack)).toEqual({ errors: [], warnings: [] });
  });

  test('suppressions follow the user\'s choices: another runtime and the Plus plan are checked, not suppressed', () => {
    // Given / When
    const stack = checkedStack({
      email: EMAIL,
      functionDefaults: { runtime: lambda.Runtime.NODEJS_20_X },
      userPoolProps: { featurePlan: cognito.FeaturePlan.PLUS },
    });

    // Then
    expect(summary(stack).filter((s) => s.includes('L1') || s.includes('COG8'))).toEqual([]);
    expect(findings(stack).errors).toEqual(expect.arrayContaining([expect.stringMatching(/AwsSolutions-L1/)]));
    expect(findings(stack).errors.filter((e) => e.includes('COG8'))).toEqual([]);
  });
});
