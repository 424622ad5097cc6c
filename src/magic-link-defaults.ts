import { Duration } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';

/**
 * Defaults of the magic-link settings (see the props' `@default`) and the attribute verification messages; function
 * settings default as the triggers'.
 */
export const MAGIC_LINK_DEFAULTS = {
  linkLifetime: Duration.minutes(10),
  rateLimit: 10,
  burstLimit: 20,
  maxRequestsPerIpPerMinute: 10,
  accessLogRetention: logs.RetentionDays.ONE_MONTH,
  emailSubject: 'Your sign-in link',
  emailTextBody: 'Sign in by opening this link: {link}\n\n'
    + 'It expires in {minutes} minutes and works once. If you did not ask to sign in, ignore this email.',
  verificationEmailSubject: 'Verify your email address',
  verificationEmailTextBody: 'Your verification code is {code}. It expires in {minutes} minutes. '
    + 'If you did not ask to add this address to an account, ignore this email.',
  verificationSmsMessage: 'Your verification code is {code}',
};
