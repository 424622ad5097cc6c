import { DEFAULT_CODE_LIMITS_ENVIRONMENT } from './default-code-limits';

/** A complete VerifyAuthChallengeResponse environment with the library's default limits. */
export const VERIFY_ENVIRONMENT = {
  METHODS: 'email-otp,sms-otp',
  ...DEFAULT_CODE_LIMITS_ENVIRONMENT,
  TABLE_NAME: 'passwordless-state',
  EMAIL_FROM: 'no-reply@example.com',
  EMAIL_SUBJECT: 'Your sign-in code',
  EMAIL_TEXT_BODY: 'Your code is {code}. It expires in {minutes} minutes.',
  SMS_ALLOWED_COUNTRY_CODES: '1,44',
  SMS_MESSAGE: '{code} is your sign-in code',
};
