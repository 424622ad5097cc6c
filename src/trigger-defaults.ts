import { Duration } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';

/** Defaults of the OTP, delivery and function settings (see the props' `@default`). */
export const DEFAULTS = {
  codeLength: 6,
  codeLifetime: Duration.minutes(3),
  maxAttemptsPerCode: 3,
  sendCooldown: Duration.seconds(60),
  maxSendsPerHour: 5,
  maxFailuresPerIdentifier: 10,
  failureWindow: Duration.hours(1),
  logLevel: 'info',
  maxAnswerLength: 1024,
  maxClientMetadataBytes: 1024,
  maxRequestBodyBytes: 4096,
  emailSubject: 'Your sign-in code',
  emailTextBody:
    'Your sign-in code is {code}. It expires in {minutes} minutes. If you did not try to sign in, ignore this email.',
  smsMessage: '{code} is your sign-in code. It expires in {minutes} minutes.',
  runtime: lambda.Runtime.NODEJS_22_X,
  memorySize: 256,
  architecture: lambda.Architecture.ARM_64,
  timeout: Duration.seconds(5),
  logRetention: logs.RetentionDays.ONE_MONTH,
};
