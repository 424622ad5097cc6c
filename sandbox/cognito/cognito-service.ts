import type { AppModel, ClientModel } from '../model';
import { adminOperations } from './admin-operations';
import { authOperations } from './auth-operations';
import { CustomAuthFlow } from './custom-auth';
import { CognitoError } from './errors';
import { LocalPool } from './local-pool';
import { CognitoMessages } from './messages';
import type { TriggerInvoker } from './trigger-events';
import type { UserRecord } from './user-directory';
import { userOperations } from './user-operations';

export type CognitoRequest = Record<string, unknown>;
export type Operation = (service: CognitoService, request: CognitoRequest) => Promise<object> | object;

/**
 * The local Cognito user pools of an app: the operations of `AWSCognitoIdentityProviderService`
 * that sign-in, token, attribute and admin calls need.
 */
export class CognitoService {
  readonly pools: LocalPool[];
  readonly messages = new CognitoMessages();
  private readonly flows = new Map<string, CustomAuthFlow>();
  private readonly operations: Record<string, Operation> = { ...authOperations, ...userOperations, ...adminOperations };

  constructor(app: AppModel, invoke: TriggerInvoker, now: () => number = Date.now) {
    this.pools = app.userPools.map((model) => new LocalPool(model, app.region, now));
    for (const pool of this.pools) this.flows.set(pool.model.userPoolId, new CustomAuthFlow(pool, invoke));
  }

  /** Runs one operation by its name (the part after the dot of `X-Amz-Target`). */
  async call(operation: string, request: CognitoRequest): Promise<object> {
    const run = this.operations[operation];
    if (!run) {
      throw new CognitoError('UnknownOperationException', `The sandbox does not implement ${operation}; see docs/sandbox.md for the operations it serves.`);
    }
    return run(this, request);
  }

  get operationNames(): string[] {
    return Object.keys(this.operations);
  }

  pool(userPoolId: unknown): LocalPool {
    const pool = this.pools.find((candidate) => candidate.model.userPoolId === userPoolId);
    if (!pool) throw new CognitoError('ResourceNotFoundException', `User pool ${String(userPoolId)} does not exist.`);
    return pool;
  }

  /** The pool and client of a ClientId, as Cognito finds them. */
  client(clientId: unknown): { pool: LocalPool; client: ClientModel } {
    for (const pool of this.pools) {
      const client = pool.model.clients.find((candidate) => candidate.clientId === clientId);
      if (client) return { pool, client };
    }
    throw new CognitoError('ResourceNotFoundException', `User pool client ${String(clientId)} does not exist.`);
  }

  flow(pool: LocalPool): CustomAuthFlow {
    return this.flows.get(pool.model.userPoolId)!;
  }

  /** The user an access token belongs to, after the checks Cognito's user APIs make. */
  userOf(accessToken: unknown): { pool: LocalPool; user: UserRecord; clientId: string } {
    if (typeof accessToken !== 'string' || accessToken.length === 0) {
      throw new CognitoError('InvalidParameterException', "1 validation error detected: Value at 'accessToken' failed to satisfy constraint: Member must not be null");
    }
    const pool = this.pools.find((candidate) => candidate.model.userPoolId === issuerPoolId(accessToken));
    if (!pool) throw new CognitoError('NotAuthorizedException', 'Invalid Access Token');
    const claims = pool.tokens.verifyAccessToken(accessToken);
    const user = pool.users.find(claims.username);
    if (!user) throw new CognitoError('UserNotFoundException', 'User does not exist.');
    if (!user.enabled) throw new CognitoError('NotAuthorizedException', 'User is disabled.');
    return { pool, user, clientId: claims.client_id };
  }
}

/** The pool ID at the end of a JWT's `iss`, read without trusting it: the pool's own check follows. */
function issuerPoolId(token: string): string | undefined {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf-8'));
    return typeof payload.iss === 'string' ? payload.iss.split('/').pop() : undefined;
  } catch {
    return undefined;
  }
}
