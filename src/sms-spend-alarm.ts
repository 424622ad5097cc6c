import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Construct } from 'constructs';
import { SmsOtpOptions } from './sms-otp-options';

/**
 * The alarm on the account's month-to-date SMS spend that `sms.monthlySpendAlarmUsd` asks for (R21), notifying
 * `sms.spendAlarmTopic` when given. SNS publishes the metric per account and region, about every few minutes.
 */
export function createSmsSpendAlarm(scope: Construct, id: string, sms: SmsOtpOptions): cloudwatch.Alarm | undefined {
  if (sms.monthlySpendAlarmUsd === undefined) return undefined;
  const alarm = new cloudwatch.Alarm(scope, id, {
    alarmDescription: `SMS spend of this account this month reached ${sms.monthlySpendAlarmUsd} USD: look for SMS pumping `
      + '(many sign-ins to numbers nobody owns) and review sms.allowedCountryCallingCodes (cdk-passwordless)',
    metric: new cloudwatch.Metric({
      namespace: 'AWS/SNS',
      metricName: 'SMSMonthToDateSpentUSD',
      statistic: cloudwatch.Stats.MAXIMUM,
      period: Duration.minutes(5),
    }),
    threshold: sms.monthlySpendAlarmUsd,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
  if (sms.spendAlarmTopic) alarm.addAlarmAction(new cloudwatchActions.SnsAction(sms.spendAlarmTopic));
  return alarm;
}
