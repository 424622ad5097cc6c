import type { VerifyConfig } from './config';
import { createDelivery } from './delivery';
import type { Logger } from './log';
import { SendLatency } from './send-latency';
import type { SignInCodeDeps } from './sign-in-code';
import { createStateStore } from './state-store';

/** Typical SES/SNS send time before this container has measured any (ms). */
const INITIAL_SEND_ESTIMATE_MS = 60;

/** Wires the sign-in code core to DynamoDB, SES and SNS; SDK clients are created on first use. */
export function createSignInCodeDeps(config: VerifyConfig, log: Logger): SignInCodeDeps {
  let dynamodb: Promise<import('@aws-sdk/client-dynamodb').DynamoDBClient> | undefined;
  const client = () => (dynamodb ??= import('@aws-sdk/client-dynamodb').then((sdk) => new sdk.DynamoDBClient({})));
  return {
    store: createStateStore(config.tableName, client),
    delivery: createDelivery({ email: config.email, sms: config.sms, codeTtlMs: config.limits.codeTtlMs }),
    limits: config.limits,
    methods: config.methods,
    allowedCountryCodes: config.sms?.allowedCountryCodes ?? [],
    latency: new SendLatency(INITIAL_SEND_ESTIMATE_MS),
    log,
    now: () => Date.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
}
