import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { MagicLinkApiConfig } from './config';
import { createEmailSender } from './email-sender';
import { createLinkSigner } from './link-signature';
import type { Logger } from './log';
import type { MagicLinkRequestDeps, PoolUser } from './magic-link-request';
import { SendLatency } from './send-latency';
import { createStateStore } from './state-store';

/** Typical KMS Sign + SES send time before this container has measured any (ms). */
const INITIAL_SEND_ESTIMATE_MS = 80;

/** Wires the magic-link request core to Cognito, DynamoDB, KMS and SES; clients are created on first use. */
export function createMagicLinkDeps(config: MagicLinkApiConfig, log: Logger): MagicLinkRequestDeps {
  let dynamodb: Promise<DynamoDBClient> | undefined;
  const client = () => (dynamodb ??= import('@aws-sdk/client-dynamodb').then((sdk) => new sdk.DynamoDBClient({})));
  return {
    userPoolId: config.userPoolId,
    store: createStateStore(config.tableName, client),
    limits: config.limits,
    linkTtlMs: config.linkTtlMs,
    redirectUris: config.redirectUris,
    maxRequestsPerIpPerMinute: config.maxRequestsPerIpPerMinute,
    email: config.email,
    findUser: createUserFinder(config.userPoolId),
    sign: createLinkSigner(config.keyId),
    sendEmail: createEmailSender(),
    latency: new SendLatency(INITIAL_SEND_ESTIMATE_MS),
    log,
    now: () => Date.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
}

/** AdminGetUser by email (the pool signs in by email): undefined when there is no such user. */
function createUserFinder(userPoolId: string): (email: string) => Promise<PoolUser | undefined> {
  let cognito: Promise<{ client: CognitoIdentityProviderClient; sdk: typeof import('@aws-sdk/client-cognito-identity-provider') }> | undefined;
  return async (email) => {
    cognito ??= import('@aws-sdk/client-cognito-identity-provider').then((sdk) => ({ sdk, client: new sdk.CognitoIdentityProviderClient({}) }));
    const { sdk, client } = await cognito;
    try {
      const out = await client.send(new sdk.AdminGetUserCommand({ UserPoolId: userPoolId, Username: email }));
      const attributes = Object.fromEntries((out.UserAttributes ?? []).map((attribute) => [attribute.Name!, attribute.Value]));
      return { username: out.Username!, enabled: out.Enabled !== false, attributes };
    } catch (error) {
      if ((error as { name?: string }).name === 'UserNotFoundException') return undefined;
      throw error;
    }
  };
}
