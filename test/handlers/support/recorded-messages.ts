import { SendEmailCommand, SendEmailCommandInput, SESv2Client } from '@aws-sdk/client-sesv2';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { AwsClientStub } from 'aws-sdk-client-mock';

export interface SentEmail { readonly to: string; readonly subject: string; readonly text: string }
export interface SentText { readonly to: string; readonly message: string }

export interface RecordedMessages {
  /** The emails SES was asked to send in this test. */
  readonly emails: SentEmail[];
  /** The text messages SNS was asked to send in this test. */
  readonly texts: SentText[];
  /** What the SES mock does with a SendEmail: records the email and answers with a message ID. */
  recordEmail(input: SendEmailCommandInput): { MessageId: string };
}

/**
 * Resets the SES mock (and the SNS mock, when given) before each test and has it record what it is asked to
 * send, in arrays emptied before each test. Tests may then override any command.
 */
export function recordedMessages(ses: AwsClientStub<SESv2Client>, sns?: AwsClientStub<SNSClient>): RecordedMessages {
  const emails: SentEmail[] = [];
  const texts: SentText[] = [];
  const recordEmail = (input: SendEmailCommandInput) => {
    emails.push({
      to: input.Destination!.ToAddresses![0],
      subject: input.Content!.Simple!.Subject!.Data!,
      text: input.Content!.Simple!.Body!.Text!.Data!,
    });
    return { MessageId: 'm' };
  };
  beforeEach(() => {
    emails.length = 0;
    texts.length = 0;
    ses.reset();
    ses.on(SendEmailCommand).callsFake(recordEmail);
    sns?.reset();
    sns?.on(PublishCommand).callsFake((input) => {
      texts.push({ to: input.PhoneNumber, message: input.Message });
      return { MessageId: 'm' };
    });
  });
  return { emails, texts, recordEmail };
}
