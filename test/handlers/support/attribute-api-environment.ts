import { DEFAULT_CODE_LIMITS_ENVIRONMENT } from './default-code-limits';

/** A complete AttributeApi function environment with the library's default limits and texts. */
export const ATTRIBUTE_API_ENVIRONMENT = {
  USER_POOL_ID: 'us-east-1_TestPool',
  TABLE_NAME: 'passwordless-state',
  METHODS: 'email-otp,sms-otp',
  ...DEFAULT_CODE_LIMITS_ENVIRONMENT,
  EMAIL_FROM: 'no-reply@example.com',
  EMAIL_SUBJECT: 'Verify your email address',
  EMAIL_TEXT_BODY: 'Your verification code is {code}. It expires in {minutes} minutes. If you did not ask to add this address to an account, ignore this email.',
  SMS_ALLOWED_COUNTRY_CODES: '1,44',
  SMS_MESSAGE: 'Your verification code is {code}',
  ALLOWED_ORIGINS: 'https://app.example.com,http://localhost:3000',
  MAX_REQUESTS_PER_IP_PER_MINUTE: '10',
};
