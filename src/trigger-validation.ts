import { Duration, Token } from 'aws-cdk-lib';
import type { OtpChallengeTriggersOptions } from './otp-challenge-triggers';
import { OtpOptions } from './otp-options';
import { SmsOtpOptions } from './sms-otp-options';
import { DEFAULTS } from './trigger-defaults';
import { TriggerFunctionOptions } from './trigger-function-options';
import {
  validateDurationRange,
  validateEmailDelivery,
  validateIntegerRange,
  validateOneOf,
  validatePattern,
  validatePlaceholders,
} from './validation';

/** Lambda's limit on the JSON-serialized environment of a function. */
const MAX_ENVIRONMENT_BYTES = 4096;

/** Throws a synth-time error naming the first prop outside its allowed range. */
export function validateProps(props: OtpChallengeTriggersOptions): void {
  if (!props.email && !props.sms) {
    throw new Error('At least one of email and sms must be set: they are the channels that deliver the codes');
  }
  const otp = props.otp ?? {};
  validateIntegerRange('otp.codeLength', otp.codeLength, 6, 10);
  validateDurationRange('otp.codeLifetime', otp.codeLifetime, 1, 15, 'minutes');
  validateIntegerRange('otp.maxAttemptsPerCode', otp.maxAttemptsPerCode, 1, 10);
  validateDurationRange('otp.sendCooldown', otp.sendCooldown, 10, 900, 'seconds');
  validateIntegerRange('otp.maxSendsPerHour', otp.maxSendsPerHour, 1, 60);
  validateIntegerRange('otp.maxFailuresPerIdentifier', otp.maxFailuresPerIdentifier, 1, 100);
  validateDurationRange('otp.failureWindow', otp.failureWindow, 1, 1440, 'minutes');
  validateOneOf('logLevel', props.logLevel, ['debug', 'info', 'warn', 'error']);
  const limits = props.inputLimits ?? {};
  validateIntegerRange('inputLimits.maxAnswerLength', limits.maxAnswerLength, 512, 4096);
  validateIntegerRange('inputLimits.maxClientMetadataBytes', limits.maxClientMetadataBytes, 256, 16384);
  validateIntegerRange('inputLimits.maxRequestBodyBytes', limits.maxRequestBodyBytes, 1024, 65536);
  const functions: Record<string, TriggerFunctionOptions | undefined> = {
    functionDefaults: props.functionDefaults,
    defineAuthChallenge: props.defineAuthChallenge,
    createAuthChallenge: props.createAuthChallenge,
    verifyAuthChallenge: props.verifyAuthChallenge,
  };
  for (const [name, options] of Object.entries(functions)) {
    validateIntegerRange(`${name}.memorySize`, options?.memorySize, 128, 10240);
    validateDurationRange(`${name}.timeout`, options?.timeout, 1, 5, 'seconds');
  }
  if (props.email) validateEmailDelivery(props.email, '{code}');
  if (props.sms) validateSms(props.sms, otp);
}

function validateSms(sms: SmsOtpOptions, otp: OtpOptions): void {
  const codes = sms.allowedCountryCallingCodes;
  if (!Token.isUnresolved(codes)) {
    if (codes.length === 0) {
      throw new Error('sms.allowedCountryCallingCodes must list at least one country calling code, e.g. [\'1\', \'44\'] (received: [])');
    }
    codes.forEach((code, i) => validatePattern(`sms.allowedCountryCallingCodes[${i}]`, code, /^[1-9][0-9]{0,2}$/,
      "a country calling code of 1 to 3 digits without '+', e.g. '44'"));
  }
  validateIntegerRange('sms.monthlySpendAlarmUsd', sms.monthlySpendAlarmUsd, 1, 1_000_000);
  if (sms.spendAlarmTopic && sms.monthlySpendAlarmUsd === undefined) {
    throw new Error('sms.spendAlarmTopic needs sms.monthlySpendAlarmUsd: the topic is notified when the spend reaches that amount');
  }
  validatePattern('sms.senderId', sms.senderId, /^(?=.*[A-Za-z])[A-Za-z0-9]{1,11}$/,
    '1 to 11 letters or digits with at least one letter');
  validatePattern('sms.originationNumber', sms.originationNumber, /^\+[1-9][0-9]{1,14}$/,
    "an E.164 phone number, e.g. '+12065550100'");
  const template = sms.messageTemplate;
  validatePlaceholders('sms.messageTemplate', template, ['{code}']);
  const lifetime = otp.codeLifetime ?? DEFAULTS.codeLifetime;
  if (template !== undefined && !Token.isUnresolved(template) && !lifetime.isUnresolved()) {
    const rendered = renderTemplate(template, otp.codeLength ?? DEFAULTS.codeLength, lifetime);
    if (rendered.length > 140) {
      throw new Error(`sms.messageTemplate must be at most 140 characters after substitution (received: ${rendered.length} characters: '${rendered}')`);
    }
  }
}

function renderTemplate(template: string, codeLength: number, lifetime: Duration): string {
  const minutes = Math.ceil(lifetime.toSeconds() / 60);
  return template.split('{code}').join('0'.repeat(codeLength)).split('{minutes}').join(String(minutes));
}

/** Throws when a function's environment would exceed Lambda's limit; `fix` names the props that make it large. */
export function validateEnvironmentSize(
  environment: Record<string, string>,
  functionName = 'the verify function',
  fix = 'email.textBody, email.htmlBody, email.subject or sms.messageTemplate',
): void {
  // Lambda measures the JSON of the variables; a token (the table name) may resolve to up to 255 characters.
  const resolved = Object.fromEntries(Object.entries(environment)
    .map(([key, value]) => [key, Token.isUnresolved(value) ? 'x'.repeat(255) : value]));
  const bytes = Buffer.byteLength(JSON.stringify({ ...resolved, AWS_NODEJS_CONNECTION_REUSE_ENABLED: '1' }));
  if (bytes > MAX_ENVIRONMENT_BYTES) {
    throw new Error(`The environment of ${functionName} would be ${bytes} bytes, above Lambda's limit of ${MAX_ENVIRONMENT_BYTES}: `
      + `shorten ${fix}`);
  }
}
