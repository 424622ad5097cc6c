/** A complete VerifyAuthChallengeResponse environment with the library's default limits. */
export const VERIFY_ENVIRONMENT = {
  METHODS: 'email-otp,sms-otp',
  CODE_LENGTH: '6',
  MAX_ATTEMPTS: '3',
  CODE_TTL_SECONDS: '180',
  SEND_COOLDOWN_SECONDS: '60',
  MAX_SENDS_PER_HOUR: '5',
  MAX_FAILURES: '10',
  FAILURE_WINDOW_SECONDS: '3600',
  TABLE_NAME: 'passwordless-state',
  EMAIL_FROM: 'no-reply@example.com',
  EMAIL_SUBJECT: 'Your sign-in code',
  EMAIL_TEXT_BODY: 'Your code is {code}. It expires in {minutes} minutes.',
  SMS_ALLOWED_COUNTRY_CODES: '1,44',
  SMS_MESSAGE: '{code} is your sign-in code',
};
