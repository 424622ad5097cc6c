import type { ClientModel } from '../model';
import type { CognitoRequest, Operation } from './cognito-service';
import { CognitoError } from './errors';
import type { LocalPool } from './local-pool';
import { requiredString, stringMap } from './request-members';

/** Sign-in and token operations: InitiateAuth, RespondToAuthChallenge, refresh, revoke, sign-out. */
export const authOperations: Record<string, Operation> = {
  async InitiateAuth(service, request) {
    const { pool, client } = service.client(requiredString(request, 'ClientId'));
    const flow = requiredString(request, 'AuthFlow');
    const parameters = stringMap(request, 'AuthParameters') ?? {};
    checkSecretHash(client, parameters);
    if (flow === 'CUSTOM_AUTH') {
      requireFlow(client, 'ALLOW_CUSTOM_AUTH', 'CUSTOM_AUTH_FLOW_ONLY');
      return service.flow(pool).initiate(client, parameters);
    }
    if (flow === 'REFRESH_TOKEN_AUTH' || flow === 'REFRESH_TOKEN') {
      requireFlow(client, 'ALLOW_REFRESH_TOKEN_AUTH');
      if (client.refreshTokenRotation) {
        throw new CognitoError('NotAuthorizedException', 'Refresh token rotation is enabled for this client: use GetTokensFromRefreshToken.');
      }
      const refreshToken = parameters.REFRESH_TOKEN;
      if (!refreshToken) throw new CognitoError('InvalidParameterException', 'Missing required parameter REFRESH_TOKEN');
      const tokens = refresh(pool, client, refreshToken, false);
      return { ChallengeParameters: {}, AuthenticationResult: tokens };
    }
    throw new CognitoError('InvalidParameterException', `The sandbox supports the auth flows CUSTOM_AUTH and REFRESH_TOKEN_AUTH, not ${flow}.`);
  },

  async RespondToAuthChallenge(service, request) {
    const { pool, client } = service.client(requiredString(request, 'ClientId'));
    const challengeName = requiredString(request, 'ChallengeName');
    if (challengeName !== 'CUSTOM_CHALLENGE') {
      throw new CognitoError('InvalidParameterException', `The sandbox answers CUSTOM_CHALLENGE only, not ${challengeName}.`);
    }
    const session = requiredString(request, 'Session');
    const responses = stringMap(request, 'ChallengeResponses') ?? {};
    checkSecretHash(client, responses);
    return service.flow(pool).respond(client, session, responses, stringMap(request, 'ClientMetadata'));
  },

  GetTokensFromRefreshToken(service, request) {
    const { pool, client } = service.client(requiredString(request, 'ClientId'));
    const tokens = refresh(pool, client, requiredString(request, 'RefreshToken'), client.refreshTokenRotation === true);
    return { AuthenticationResult: tokens };
  },

  RevokeToken(service, request) {
    const { pool, client } = service.client(requiredString(request, 'ClientId'));
    if (!client.enableTokenRevocation) {
      throw new CognitoError('UnsupportedOperationException', 'Token revocation is not enabled for this app client.');
    }
    pool.tokens.revoke(requiredString(request, 'Token'), client.clientId, client);
    return {};
  },

  GlobalSignOut(service, request: CognitoRequest) {
    const { pool, user } = service.userOf(request.AccessToken);
    pool.tokens.signOutEverywhere(user.username);
    return {};
  },
};

function refresh(pool: LocalPool, client: ClientModel, refreshToken: string, rotate: boolean) {
  return pool.tokens.refresh(
    refreshToken,
    client.clientId,
    (username) => {
      const user = pool.users.find(username);
      return user && user.enabled ? pool.subject(user) : undefined;
    },
    client,
    { rotate },
  );
}

function requireFlow(client: ClientModel, ...flows: string[]): void {
  if (!flows.some((flow) => client.explicitAuthFlows.includes(flow))) {
    throw new CognitoError('InvalidParameterException', 'Auth flow not enabled for this client');
  }
}

/** A client with a secret needs SECRET_HASH; the sandbox cannot know the secret, so it checks presence only. */
function checkSecretHash(client: ClientModel, parameters: Record<string, string>): void {
  if (client.hasSecret && !parameters.SECRET_HASH) {
    throw new CognitoError('NotAuthorizedException', `Client ${client.clientId} is configured with secret but SECRET_HASH was not received`);
  }
}
