import { RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';

/**
 * Settings of the DynamoDB table that holds challenge state (hashed codes, attempt counters, send quotas).
 */
export interface StateTableOptions {
  /**
   * Customer managed KMS key that encrypts the table.
   * @default - encrypted with the AWS managed key for DynamoDB
   * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/EncryptionAtRest.html
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * What happens to the table when it leaves the stack.
   * @default RemovalPolicy.DESTROY - the table holds only short-lived hashed state
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * Whether point-in-time recovery is enabled on the table.
   * @default false
   * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/PointInTimeRecovery.html
   */
  readonly pointInTimeRecovery?: boolean;
}
