/** A complete MagicLinkApi function environment with the library's default limits. */
export const MAGIC_LINK_API_ENVIRONMENT = {
  USER_POOL_ID: 'us-east-1_TestPool',
  TABLE_NAME: 'passwordless-state',
  KEY_ID: 'arn:aws:kms:us-east-1:111122223333:key/k',
  REDIRECT_URIS: 'https://app.example.com/auth/callback, http://localhost:3000/cb',
  ALLOWED_ORIGINS: 'https://app.example.com,http://localhost:3000',
  LINK_TTL_SECONDS: '600',
  SEND_COOLDOWN_SECONDS: '60',
  MAX_SENDS_PER_HOUR: '5',
  MAX_FAILURES: '10',
  FAILURE_WINDOW_SECONDS: '3600',
  MAX_REQUESTS_PER_IP_PER_MINUTE: '10',
  EMAIL_FROM: 'no-reply@example.com',
  EMAIL_SUBJECT: 'Your sign-in link',
  EMAIL_TEXT_BODY: 'Sign in: {link} ({minutes} minutes)',
};
