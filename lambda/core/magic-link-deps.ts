import type { MagicLinkApiConfig } from './config';
import { createEmailSender } from './email-sender';
import { lazyClient } from './lazy-client';
import { createLinkSigner } from './link-signature';
import type { Logger } from './log';
import type { MagicLinkRequestDeps, PoolUser } from './magic-link-request';
import { createSendLatency } from './send-latency';
import { countRequest, withdrawLink } from './state-store';
import { createStateTable } from './state-table';

/** Typical KMS Sign + SES send time before this container has measured any (ms). */
const INITIAL_SEND_ESTIMATE_MS = 80;

/**
 * Wires the magic-link request core to Cognito, DynamoDB, KMS and SES. Only the table operations this
 * function uses are bundled, and SDK clients are created on first use.
 */
export function createMagicLinkDeps(config: MagicLinkApiConfig, log: Logger): MagicLinkRequestDeps {
  const table = createStateTable(config.tableName);
  return {
    userPoolId: config.userPoolId,
    store: { load: table.load, save: table.save, countRequest: countRequest(table), withdrawLink: withdrawLink(table) },
    limits: config.limits,
    linkTtlMs: config.linkTtlMs,
    redirectUris: config.redirectUris,
    maxRequestsPerIpPerMinute: config.maxRequestsPerIpPerMinute,
    email: config.email,
    findUser: createUserFinder(config.userPoolId),
    sign: createLinkSigner(config.keyId),
    sendEmail: createEmailSender(),
    latency: createSendLatency(INITIAL_SEND_ESTIMATE_MS),
    log,
    now: () => Date.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
}

/** AdminGetUser by email (the pool signs in by email): undefined when there is no such user. */
function createUserFinder(userPoolId: string): (email: string) => Promise<PoolUser | undefined> {
  const cognito = lazyClient(
    '@aws-sdk/client-cognito-identity-provider',
    (sdk: typeof import('@aws-sdk/client-cognito-identity-provider')) => new sdk.CognitoIdentityProviderClient({}),
  );
  return async (email) => {
    const { sdk, client } = await cognito();
    try {
      const out = await client.send(new sdk.AdminGetUserCommand({ UserPoolId: userPoolId, Username: email }));
      const attributes = Object.fromEntries((out.UserAttributes ?? []).map((attribute) => [attribute.Name!, attribute.Value]));
      return { username: out.Username!, enabled: out.Enabled !== false, attributes };
    } catch (error) {
      if ((error as Error).name === 'UserNotFoundException') return undefined;
      throw error;
    }
  };
}
