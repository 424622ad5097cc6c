import type { ClientModel } from '../../../sandbox/model';

/** A public app client as readAssembly would give it: custom auth and refresh, 3-minute sessions. */
export function clientModel(overrides: Partial<ClientModel> = {}): ClientModel {
  return {
    id: 'Stack/Client',
    clientId: 'abcdefghijklmnopqrstuvwxyz',
    name: 'web',
    explicitAuthFlows: ['ALLOW_CUSTOM_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    preventUserExistenceErrors: true,
    authSessionValiditySeconds: 180,
    accessTokenValiditySeconds: 3600,
    idTokenValiditySeconds: 1800,
    refreshTokenValiditySeconds: 30 * 86400,
    enableTokenRevocation: true,
    readAttributes: [],
    writeAttributes: [],
    callbackUrls: [],
    hasSecret: false,
    ...overrides,
  };
}
