import { clientModel } from './client-model';
import { functionModel } from './function-model';
import type { AppModel, ClientModel, PoolModel } from '../../../sandbox/model';

export const POOL_ID = 'us-east-1_Test12345';

/** An app with one email-username pool, its three challenge triggers (functions named define, create and verify) and `clients`. */
export function poolApp(clients: ClientModel[] = [clientModel()]): AppModel {
  const trigger = (name: string) => functionModel('/nowhere', { name, id: `Test/${name}` });
  const pool: PoolModel = {
    id: 'Test/Pool',
    userPoolId: POOL_ID,
    arn: `arn:aws:cognito-idp:us-east-1:000000000000:userpool/${POOL_ID}`,
    usernameAttributes: ['email'],
    aliasAttributes: [],
    autoVerifiedAttributes: ['email'],
    caseSensitiveUsernames: false,
    attributesRequireVerificationBeforeUpdate: ['email'],
    allowAdminCreateUserOnly: true,
    customAttributes: [],
    triggers: { DefineAuthChallenge: trigger('define'), CreateAuthChallenge: trigger('create'), VerifyAuthChallengeResponse: trigger('verify') },
    clients,
    usesOurTriggers: true,
  };
  return { region: 'us-east-1', account: '000000000000', userPools: [pool], tables: [], keys: [], apis: [] };
}
