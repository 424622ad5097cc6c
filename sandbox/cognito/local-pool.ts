import type { ClientModel, PoolModel } from '../model';
import { AuthSessions } from './auth-sessions';
import { CognitoError } from './errors';
import { TokenService, type TokenSubject } from './tokens';
import { UserDirectory, type UserRecord } from './user-directory';
import { VerificationCodes } from './verification-codes';

/** One user pool of the app, running locally: its users, sign-in sessions, tokens and codes. */
export class LocalPool {
  readonly users: UserDirectory;
  readonly sessions: AuthSessions;
  readonly tokens: TokenService;
  readonly verificationCodes: VerificationCodes;

  constructor(readonly model: PoolModel, readonly region: string, now: () => number = Date.now) {
    this.users = new UserDirectory(model);
    this.sessions = new AuthSessions(now);
    this.tokens = new TokenService({ region, userPoolId: model.userPoolId, now });
    this.verificationCodes = new VerificationCodes(now);
  }

  client(clientId: string): ClientModel {
    const client = this.model.clients.find((candidate) => candidate.clientId === clientId);
    if (!client) throw new CognitoError('ResourceNotFoundException', 'User pool client ' + clientId + ' does not exist.');
    return client;
  }

  /** What the token service needs of a user. */
  subject(user: UserRecord): TokenSubject {
    return { username: user.username, sub: user.attributes.sub, attributes: user.attributes };
  }
}

/** Whether a client may read an attribute (an empty ReadAttributes list means all of them). */
export function readableBy(client: ClientModel): (name: string) => boolean {
  return (name) => client.readAttributes.length === 0 || client.readAttributes.includes(name);
}
