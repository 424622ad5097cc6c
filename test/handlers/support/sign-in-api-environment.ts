/** A complete SignInApi function environment with the library's default limits. */
export const SIGN_IN_API_ENVIRONMENT = {
  USER_POOL_ID: 'us-east-1_TestPool',
  CLIENT_ID: 'testclientid1234567890',
  TABLE_NAME: 'passwordless-state',
  METHODS: 'email-otp,sms-otp,magic-link',
  SMS_ALLOWED_COUNTRY_CODES: '1,44',
  ALLOWED_ORIGINS: 'https://app.example.com,http://localhost:3000',
  MAX_REQUESTS_PER_IP_PER_MINUTE: '10',
};
