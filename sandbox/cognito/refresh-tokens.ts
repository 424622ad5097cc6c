import { createHash, randomBytes } from 'node:crypto';

/** What the pool remembers of a refresh token: never the token itself, only its SHA-256. */
export interface RefreshRecord {
  readonly username: string;
  /** The user's `sub` at sign-in, so that a token cannot serve a later user of the same name. */
  readonly sub: string;
  readonly clientId: string;
  /** The session: shared by every token issued from the sign-in and its refreshes. */
  readonly originJti: string;
  /** Seconds since the epoch, of the sign-in. */
  readonly authTime: number;
  /** Milliseconds since the epoch. */
  readonly expiresAt: number;
  /** By RevokeToken or global sign-out. */
  revoked: boolean;
  /** Replaced by a new token through refresh token rotation: using it again is a reuse. */
  rotatedOut: boolean;
}

/** The refresh tokens of one user pool, kept as hashes so that a dump of the state grants nothing. */
export class RefreshTokenStore {
  private readonly records = new Map<string, RefreshRecord>();

  /** A new opaque token (512 random bits, base64url) for `record`. */
  issue(record: Omit<RefreshRecord, 'revoked' | 'rotatedOut'>): string {
    const token = randomBytes(64).toString('base64url');
    this.records.set(hashOf(token), { ...record, revoked: false, rotatedOut: false });
    return token;
  }

  find(token: string): RefreshRecord | undefined {
    return this.records.get(hashOf(token));
  }

  /** Marks one token replaced by rotation (kept, so that its reuse can be told apart). */
  rotateOut(token: string): void {
    const record = this.records.get(hashOf(token));
    if (record) record.rotatedOut = true;
  }

  /** Marks every refresh token of the session revoked. */
  revokeSession(originJti: string): void {
    for (const record of this.records.values()) {
      if (record.originJti === originJti) record.revoked = true;
    }
  }

  /** Marks every refresh token of the user revoked. */
  revokeUser(username: string): void {
    for (const record of this.records.values()) {
      if (record.username === username) record.revoked = true;
    }
  }

  forgetUser(username: string): void {
    for (const [hash, record] of this.records) {
      if (record.username === username) this.records.delete(hash);
    }
  }
}

function hashOf(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}
