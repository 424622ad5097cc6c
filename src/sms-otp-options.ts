import * as sns from 'aws-cdk-lib/aws-sns';

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

  /**
   * Creates a CloudWatch alarm when the account's SMS spend this month (SNS `SMSMonthToDateSpentUSD`, per region)
   * reaches this many US dollars, from 1 to 1,000,000. The alarm only tells: the hard stop is the SNS account
   * spend limit (`MonthlySpendLimit`, 1 USD in a new account), which SNS enforces by refusing to send.
   * @default - no alarm
   * @see https://docs.aws.amazon.com/sns/latest/dg/sms_preferences.html
   */
  readonly monthlySpendAlarmUsd?: number;

  /**
   * SNS topic the spend alarm notifies when it goes into ALARM; requires `monthlySpendAlarmUsd`.
   * @default - no notification; the alarm shows in the CloudWatch console
   */
  readonly spendAlarmTopic?: sns.ITopic;
}
