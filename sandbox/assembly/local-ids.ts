import { createHash } from 'node:crypto';

/**
 * The account the sandbox pretends to be. All zeros, like other local AWS emulators, so that it can never be
 * mistaken for a real account in logs or tokens.
 */
export const SANDBOX_ACCOUNT = '000000000000';

/** The region of stacks that do not set one (environment-agnostic stacks). */
export const DEFAULT_REGION = 'us-east-1';

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const LOWERCASE_ALPHANUMERIC = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** `<region>_<9 alphanumerics>` like a Cognito user pool ID, the same on every run for the same resource. */
export function localUserPoolId(region: string, stackName: string, logicalId: string): string {
  return `${region}_${pick(ALPHANUMERIC, 9, `user-pool:${stackName}/${logicalId}`)}`;
}

/** 26 lowercase alphanumerics like a Cognito app client ID, the same on every run for the same resource. */
export function localClientId(stackName: string, logicalId: string): string {
  return pick(LOWERCASE_ALPHANUMERIC, 26, `user-pool-client:${stackName}/${logicalId}`);
}

/** 10 lowercase alphanumerics like an API Gateway REST API ID, the same on every run for the same resource. */
export function localRestApiId(stackName: string, logicalId: string): string {
  return pick(LOWERCASE_ALPHANUMERIC, 10, `rest-api:${stackName}/${logicalId}`);
}

/** A UUID like a KMS key ID (name-based, version 5 layout), the same on every run for the same resource. */
export function localKeyId(stackName: string, logicalId: string): string {
  const hex = digest(`kms-key:${stackName}/${logicalId}`).toString('hex');
  const variant = '89ab'[parseInt(hex[16], 16) % 4];
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The name CloudFormation would generate for a resource that has none (without its random suffix). */
export function localPhysicalName(stackName: string, logicalId: string): string {
  return `${stackName}-${logicalId}`;
}

/** The partition of a region, what `AWS::Partition` resolves to. */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** The domain suffix of a region's endpoints, what `AWS::URLSuffix` resolves to. */
export function urlSuffixOf(region: string): string {
  return region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
}

function pick(alphabet: string, length: number, seed: string): string {
  const bytes = digest(seed);
  return Array.from(bytes.subarray(0, length), (byte) => alphabet[byte % alphabet.length]).join('');
}

function digest(seed: string): Buffer {
  return createHash('sha256').update(seed).digest();
}
