/**
 * Delivery of one-time codes by email through Amazon SES (API v2).
 */
export interface EmailOtpOptions {
  /**
   * Sender of the code emails: a plain address or `Name <address@domain>`; SES must have verified it or its domain.
   * @see https://docs.aws.amazon.com/ses/latest/dg/creating-identities.html
   */
  readonly fromAddress: string;

  /**
   * The SES identity (a domain or an email address) the sender uses; the send permission is scoped to it.
   * @default - the domain of `fromAddress`
   * @see https://docs.aws.amazon.com/ses/latest/dg/control-user-access.html
   */
  readonly sesIdentity?: string;

  /**
   * SES configuration set used for every code email, for example to publish delivery events.
   * @default - no configuration set
   * @see https://docs.aws.amazon.com/ses/latest/dg/using-configuration-sets.html
   */
  readonly configurationSetName?: string;

  /**
   * Subject line of the code email.
   * @default 'Your sign-in code'
   */
  readonly subject?: string;

  /**
   * Plain-text body of the code email; must contain `{code}` and may contain `{minutes}` (the code lifetime).
   * @default 'Your sign-in code is {code}. It expires in {minutes} minutes. If you did not try to sign in, ignore this email.'
   */
  readonly textBody?: string;

  /**
   * HTML body of the code email; when given it must contain `{code}` and may contain `{minutes}`.
   * @default - no HTML part, the email is text only
   */
  readonly htmlBody?: string;
}
