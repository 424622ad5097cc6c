import { randomBytes } from 'node:crypto';
import type { ClientModel } from '../model';
import { CognitoError } from './errors';
import type { UserRecord } from './user-directory';

/** One entry of the trigger events' `request.session` array. */
export interface ChallengeResult {
  readonly challengeName: string;
  readonly challengeResult: boolean;
  readonly challengeMetadata?: string;
}

/** A challenge that was sent to the client and waits for its answer. */
export interface PendingChallenge {
  readonly challengeName: string;
  readonly publicChallengeParameters: Record<string, string>;
  readonly privateChallengeParameters: Record<string, string>;
  readonly challengeMetadata?: string;
}

/** The server side of a custom-auth sign-in between two calls. */
export interface AuthSession {
  readonly client: ClientModel;
  /** The user, or undefined for an unknown user (PreventUserExistenceErrors). */
  readonly user?: UserRecord;
  /** The `userName` of the trigger events and the USERNAME challenge parameter. */
  readonly userName: string;
  /** What the client signed in with (username, email or phone number). */
  readonly identifier: string;
  readonly results: ChallengeResult[];
  readonly pending: PendingChallenge;
}

interface Entry {
  readonly session: AuthSession;
  readonly expiresAt: number;
}

/**
 * Sessions of custom-auth sign-ins: opaque, single use (each answer consumes the session it came with
 * and a new one is returned), valid for the client's AuthSessionValidity from when they were issued.
 */
export class AuthSessions {
  private readonly entries = new Map<string, Entry>();
  /** Answered sessions until they would have expired, to tell reuse from a session never issued. */
  private readonly used = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  issue(session: AuthSession): string {
    this.sweep();
    const token = randomBytes(192).toString('base64url');
    this.entries.set(token, { session, expiresAt: this.now() + session.client.authSessionValiditySeconds * 1000 });
    return token;
  }

  /** Takes the session out of the store: it cannot be answered twice, whatever happens next. */
  take(token: string, clientId: string): AuthSession {
    if (this.used.has(token)) {
      throw new CognitoError('NotAuthorizedException', 'Invalid session for the user, session can only be used once.');
    }
    const entry = this.entries.get(token);
    if (!entry || entry.session.client.clientId !== clientId) {
      throw new CognitoError('NotAuthorizedException', 'Invalid session for the user.');
    }
    this.entries.delete(token);
    this.used.set(token, entry.expiresAt);
    if (entry.expiresAt <= this.now()) {
      throw new CognitoError('NotAuthorizedException', 'Invalid session for the user, session is expired.');
    }
    return entry.session;
  }

  get size(): number {
    return this.entries.size;
  }

  private sweep(): void {
    const now = this.now();
    for (const [token, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(token);
    for (const [token, expiresAt] of this.used) if (expiresAt <= now) this.used.delete(token);
  }
}
