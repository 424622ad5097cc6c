import { Fn, Stack, Token } from 'aws-cdk-lib';
import { EmailOtpOptions } from './email-otp-options';
import { SmsOtpOptions } from './sms-otp-options';
import { DEFAULTS } from './trigger-defaults';

/** The verify handler's email settings (see lambda/core/config.ts for the reading side). */
export function emailEnvironment(email: EmailOtpOptions): Record<string, string> {
  return {
    EMAIL_FROM: email.fromAddress,
    EMAIL_SUBJECT: email.subject ?? DEFAULTS.emailSubject,
    EMAIL_TEXT_BODY: email.textBody ?? DEFAULTS.emailTextBody,
    ...(email.htmlBody !== undefined ? { EMAIL_HTML_BODY: email.htmlBody } : {}),
    ...(email.configurationSetName !== undefined ? { EMAIL_CONFIGURATION_SET: email.configurationSetName } : {}),
  };
}

/** The verify handler's SMS settings. */
export function smsEnvironment(sms: SmsOtpOptions): Record<string, string> {
  const codes = sms.allowedCountryCallingCodes;
  return {
    SMS_ALLOWED_COUNTRY_CODES: Token.isUnresolved(codes) ? Fn.join(',', codes) : [...new Set(codes)].join(','),
    SMS_MESSAGE: sms.messageTemplate ?? DEFAULTS.smsMessage,
    ...(sms.senderId !== undefined ? { SMS_SENDER_ID: sms.senderId } : {}),
    ...(sms.originationNumber !== undefined ? { SMS_ORIGINATION_NUMBER: sms.originationNumber } : {}),
  };
}

/** The SES identity (and configuration set) that `ses:SendEmail` is scoped to. */
export function sesResources(stack: Stack, email: EmailOtpOptions): string[] {
  const identity = email.sesIdentity ?? fromAddressDomain(email.fromAddress);
  return [
    stack.formatArn({ service: 'ses', resource: 'identity', resourceName: identity }),
    ...(email.configurationSetName !== undefined
      ? [stack.formatArn({ service: 'ses', resource: 'configuration-set', resourceName: email.configurationSetName })]
      : []),
  ];
}

function fromAddressDomain(fromAddress: string): string {
  const address = fromAddress.match(/<([^<>]+)>\s*$/)?.[1] ?? fromAddress;
  return address.slice(address.lastIndexOf('@') + 1);
}
