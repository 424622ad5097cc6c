import type { AttributeChangeDeps } from './attribute-change';
import { attributeWriter, tokenUser, userDeleter, userFinder } from './cognito-users';
import type { AttributeApiConfig } from './config';
import { createChannels } from './delivery';
import type { Logger } from './log';
import { codeStore, countRequest } from './state-store';
import { createStateTable } from './state-table';

/** Wires the attribute-change core to Cognito, DynamoDB, SES and SNS; SDK clients are created on first use. */
export function createAttributeDeps(config: AttributeApiConfig, log: Logger): AttributeChangeDeps {
  const table = createStateTable(config.tableName);
  return {
    userPoolId: config.userPoolId,
    store: { ...codeStore(table), countRequest: countRequest(table) },
    channels: createChannels({ email: config.email, sms: config.sms, codeTtlMs: config.limits.codeTtlMs }),
    limits: config.limits,
    allowedCountryCodes: config.sms?.allowedCountryCodes ?? [],
    maxRequestsPerIpPerMinute: config.maxRequestsPerIpPerMinute,
    userOfToken: tokenUser(),
    findUser: userFinder(config.userPoolId),
    writeAttributes: attributeWriter(config.userPoolId),
    deleteUser: userDeleter(config.userPoolId),
    log,
    now: () => Date.now(),
  };
}
