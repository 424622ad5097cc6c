/**
 * Delivery of one-time codes by SMS through Amazon SNS.
 */
export interface SmsOtpOptions {
  /**
   * Country calling codes that may receive codes, each 1 to 3 digits without '+', for example ['1', '44']; other numbers are refused before SNS is called.
   * @see https://docs.aws.amazon.com/sns/latest/dg/sns-supported-regions-countries.html
   */
  readonly allowedCountryCallingCodes: string[];

  /**
   * Sender ID shown on the recipient's phone where the country supports it: 1 to 11 letters or digits, at least one letter.
   * @default - no sender ID
   * @see https://docs.aws.amazon.com/sns/latest/dg/channels-sms-originating-identities-sender-ids.html
   */
  readonly senderId?: string;

  /**
   * Origination number (E.164, for example '+12065550100') that sends the SMS.
   * @default - SNS picks an origination identity
   * @see https://docs.aws.amazon.com/sns/latest/dg/channels-sms-originating-identities-origination-numbers.html
   */
  readonly originationNumber?: string;

  /**
   * Text of the SMS; must contain `{code}`, may contain `{minutes}`, and must fit 140 characters after substitution.
   * @default '{code} is your sign-in code. It expires in {minutes} minutes.'
   */
  readonly messageTemplate?: string;
}
