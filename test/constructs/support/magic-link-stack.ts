import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as kms from 'aws-cdk-lib/aws-kms';
import { MagicLinkApi, MagicLinkApiProps, OtpChallengeTriggers, OtpChallengeTriggersProps } from '../../../src';

// A stack with a MagicLinkApi on email-code triggers, for the tests of MagicLinkApi and its optional routes.

export const EMAIL = { fromAddress: 'no-reply@example.com' };
export const SMS = { allowedCountryCallingCodes: ['1', '44'] };
export const REDIRECT_URLS = ['https://app.example.com/sign-in'];
/** The app client the fixture adds: custom auth, no secret (what autoSignUp needs). */
export const CUSTOM_AUTH_CLIENT: cognito.UserPoolClientOptions = { authFlows: { custom: true }, generateSecret: false };

export type Overrides = Partial<Omit<MagicLinkApiProps, 'userPool' | 'triggers'>>;

export interface Fixture {
  readonly stack: Stack;
  readonly userPool: cognito.UserPool;
  readonly userPoolClient: cognito.UserPoolClient;
  readonly triggers: OtpChallengeTriggers;
}

export type TriggerOverrides = Partial<OtpChallengeTriggersProps> | ((stack: Stack) => Partial<OtpChallengeTriggersProps>);

/** A stack with a user pool, an app client `Client` (custom auth unless told otherwise) and email-code triggers attached to the pool. */
export function fixture(triggerProps: TriggerOverrides = {}, clientOptions: cognito.UserPoolClientOptions = CUSTOM_AUTH_CLIENT): Fixture {
  const stack = new Stack(new App(), 'TestStack');
  const userPool = new cognito.UserPool(stack, 'Pool');
  const userPoolClient = userPool.addClient('Client', clientOptions);
  const overrides = typeof triggerProps === 'function' ? triggerProps(stack) : triggerProps;
  const triggers = new OtpChallengeTriggers(stack, 'Triggers', { email: EMAIL, userPool, ...overrides });
  return { stack, userPool, userPoolClient, triggers };
}

/** A MagicLinkApi on the fixture, given the fixture's client. */
export function magicLinkApi(f: Fixture, overrides: Overrides = {}): MagicLinkApi {
  return new MagicLinkApi(f.stack, 'MagicLink', {
    userPool: f.userPool,
    triggers: f.triggers,
    userPoolClient: f.userPoolClient,
    redirectUrls: REDIRECT_URLS,
    email: EMAIL,
    ...overrides,
  });
}

export function synth(overrides: Overrides = {}, triggerProps: TriggerOverrides = {}): Template {
  const f = fixture(triggerProps);
  magicLinkApi(f, overrides);
  return Template.fromStack(f.stack);
}

/** Throws what constructing a MagicLinkApi with these overrides throws. */
export function construct(overrides: Overrides): () => void {
  return () => magicLinkApi(fixture(), overrides);
}

/** Triggers whose state table is encrypted with a customer managed key `TableKey`. */
export const withTableKey = (stack: Stack): Partial<OtpChallengeTriggersProps> => ({
  stateTable: { encryptionKey: new kms.Key(stack, 'TableKey', { enableKeyRotation: true }) },
});

/** The logical ID of the customer managed table key of `withTableKey`. */
export function tableKeyIdOf(template: Template): string {
  return Object.keys(template.findResources('AWS::KMS::Key')).find((id) => id.startsWith('TableKey'))!;
}
