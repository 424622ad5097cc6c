import { createHash, randomUUID } from 'node:crypto';
import type { ClientModel } from '../model';
import { RefreshTokenStore } from './refresh-tokens';
import { SigningKey, looksLikeJwt, verifyJwt } from './signing-key';

/**
 * The tokens of one user pool: ID and access tokens signed like Cognito's (RS256, two keys, the
 * same claims), opaque refresh tokens, and the server-side state that refresh, RevokeToken,
 * global sign-out and the user APIs' access-token check need.
 */

/** The user the tokens are about. */
export interface TokenSubject {
  readonly username: string;
  readonly sub: string;
  /** As stored, e.g. `email_verified: 'true'`; `sub` here is ignored (the field above wins). */
  readonly attributes: Record<string, string>;
}

/** Cognito's `AuthenticationResult`. */
export interface IssuedTokens {
  readonly AccessToken: string;
  readonly IdToken: string;
  /** Present after sign-in, and after a refresh that rotates the refresh token. */
  readonly RefreshToken?: string;
  /** Seconds the access token is valid. */
  readonly ExpiresIn: number;
  readonly TokenType: 'Bearer';
}

/** The claims of an access token, as Cognito issues them without a pre token generation trigger. */
export interface AccessClaims {
  readonly sub: string;
  readonly iss: string;
  readonly client_id: string;
  /** Only when the client has token revocation enabled, like Cognito. */
  readonly origin_jti?: string;
  readonly event_id: string;
  readonly token_use: 'access';
  readonly scope: string;
  readonly auth_time: number;
  readonly exp: number;
  readonly iat: number;
  /** Only when the client has token revocation enabled, like Cognito. */
  readonly jti?: string;
  readonly username: string;
}

export type TokenErrorType =
  | 'NotAuthorizedException'
  | 'RefreshTokenReuseException'
  | 'UnauthorizedException'
  | 'UnsupportedOperationException'
  | 'UnsupportedTokenTypeException';

/** A refusal with Cognito's error type and message, for the API layer to answer as-is. */
export class TokenError extends Error {
  constructor(readonly type: TokenErrorType, message: string) {
    super(message);
    this.name = type;
  }
}

export interface TokenServiceOptions {
  readonly region: string;
  readonly userPoolId: string;
  /** The clock, in milliseconds since the epoch. @default Date.now */
  readonly now?: () => number;
}

/**
 * Cognito's messages as observed (see docs/sandbox-cognito-rules.draft.md); those of
 * RevokeToken's refusals and of a rotated-out token are not documented and are proposals.
 */
const MESSAGES = {
  invalidRefreshToken: 'Invalid Refresh Token.',
  refreshTokenOfOtherClient: 'Refresh Token has different Client',
  refreshTokenRevoked: 'Refresh Token has been revoked',
  refreshTokenExpired: 'Refresh Token has expired',
  refreshTokenRotatedOut: 'Refresh Token has been invalidated by refresh token rotation',
  invalidAccessToken: 'Invalid Access Token',
  accessTokenRevoked: 'Access Token has been revoked',
  accessTokenExpired: 'Access Token has expired',
  revocationDisabled: 'Token revocation is not enabled for this app client.',
  notARefreshToken: 'Unsupported token type',
  tokenOfOtherClient: 'Client is not authorized to revoke this token',
} as const;

/** The scope of tokens from the user pool API (not the hosted UI's OAuth scopes). */
const USER_ADMIN_SCOPE = 'aws.cognito.signin.user.admin';

/** Stored attributes that Cognito puts in the ID token as booleans. */
const BOOLEAN_ATTRIBUTES = new Set(['email_verified', 'phone_number_verified']);

interface Session {
  readonly originJti: string;
  /** Seconds since the epoch, of the sign-in. */
  readonly authTime: number;
}

export class TokenService {
  readonly issuer: string;
  readonly jwksPath: string;
  private readonly now: () => number;
  private readonly idTokenKey = new SigningKey();
  private readonly accessTokenKey = new SigningKey();
  private readonly refreshTokens = new RefreshTokenStore();
  private readonly accessTokens = new AccessTokenLedger();

  constructor(options: TokenServiceOptions) {
    this.issuer = `https://cognito-idp.${options.region}.amazonaws.com/${options.userPoolId}`;
    this.jwksPath = `/${options.userPoolId}/.well-known/jwks.json`;
    this.now = options.now ?? Date.now;
  }

  /** The pool's JWKS: the ID token key, then the access token key. */
  jwks(): { keys: object[] } {
    return { keys: [this.idTokenKey.jwk, this.accessTokenKey.jwk] };
  }

  /** Tokens after a successful authentication: a new session (origin_jti) and refresh token. */
  issueForSignIn(
    subject: TokenSubject,
    client: ClientModel,
    readableAttributes: (name: string) => boolean,
  ): IssuedTokens {
    const session: Session = { originJti: randomUUID(), authTime: Math.floor(this.now() / 1000) };
    const tokens = this.issue(subject, client, readableAttributes, session);
    return { ...tokens, RefreshToken: this.issueRefreshToken(subject, client, session) };
  }

  /**
   * REFRESH_TOKEN_AUTH / GetTokensFromRefreshToken: new access and ID tokens of the same session.
   * With `rotate`, also a new refresh token, and the one given stops working at once (Cognito's
   * rotation with a grace period of 0): using it again is a RefreshTokenReuseException.
   * The ID token shows the user's attributes as they are now, those `readableAttributes` allows
   * (by default the client's `readAttributes`, all when empty).
   */
  refresh(
    refreshToken: string,
    clientId: string,
    lookup: (username: string) => TokenSubject | undefined,
    client: ClientModel,
    options: { rotate: boolean; readableAttributes?: (name: string) => boolean },
  ): IssuedTokens {
    const record = this.refreshTokens.find(refreshToken);
    if (!record) throw new TokenError('NotAuthorizedException', MESSAGES.invalidRefreshToken);
    if (record.clientId !== clientId) {
      throw new TokenError('NotAuthorizedException', MESSAGES.refreshTokenOfOtherClient);
    }
    if (record.revoked) throw new TokenError('NotAuthorizedException', MESSAGES.refreshTokenRevoked);
    if (record.rotatedOut) {
      throw new TokenError('RefreshTokenReuseException', MESSAGES.refreshTokenRotatedOut);
    }
    if (record.expiresAt <= this.now()) {
      throw new TokenError('NotAuthorizedException', MESSAGES.refreshTokenExpired);
    }
    const subject = lookup(record.username);
    if (!subject || subject.sub !== record.sub) {
      throw new TokenError('NotAuthorizedException', MESSAGES.invalidRefreshToken);
    }
    const session: Session = { originJti: record.originJti, authTime: record.authTime };
    const readable = options.readableAttributes ?? ((name: string) => clientReads(client, name));
    const tokens = this.issue(subject, client, readable, session);
    if (!options.rotate) return tokens;
    this.refreshTokens.rotateOut(refreshToken);
    return { ...tokens, RefreshToken: this.issueRefreshToken(subject, client, session) };
  }

  /**
   * Checks an access token as Cognito's user APIs do (GetUser etc.): signature, issuer,
   * token_use, expiry, and that neither its session was revoked nor its user signed out since.
   */
  verifyAccessToken(token: string): AccessClaims {
    const jwt = verifyJwt(token, [this.accessTokenKey]);
    const claims = jwt?.payload;
    if (
      !claims ||
      claims.iss !== this.issuer ||
      claims.token_use !== 'access' ||
      typeof claims.exp !== 'number' ||
      typeof claims.username !== 'string'
    ) {
      throw new TokenError('NotAuthorizedException', MESSAGES.invalidAccessToken);
    }
    if (claims.exp * 1000 <= this.now()) {
      throw new TokenError('NotAuthorizedException', MESSAGES.accessTokenExpired);
    }
    if (!this.accessTokens.isLive(claims.username, token)) {
      throw new TokenError('NotAuthorizedException', MESSAGES.accessTokenRevoked);
    }
    return claims as unknown as AccessClaims;
  }

  /**
   * RevokeToken: the refresh token and every access token of its session stop working.
   * An unknown token is not an error (as RFC 7009 has it), so callers learn nothing from it.
   */
  revoke(refreshToken: string, clientId: string, client: ClientModel): void {
    if (!client.enableTokenRevocation) {
      throw new TokenError('UnsupportedOperationException', MESSAGES.revocationDisabled);
    }
    if (looksLikeJwt(refreshToken)) {
      throw new TokenError('UnsupportedTokenTypeException', MESSAGES.notARefreshToken);
    }
    const record = this.refreshTokens.find(refreshToken);
    if (!record) return;
    if (record.clientId !== clientId) {
      throw new TokenError('UnauthorizedException', MESSAGES.tokenOfOtherClient);
    }
    this.refreshTokens.revokeSession(record.originJti);
    this.accessTokens.dropSession(record.username, record.originJti);
  }

  /** GlobalSignOut / AdminUserGlobalSignOut: every token of the user issued so far stops working. */
  signOutEverywhere(username: string): void {
    this.refreshTokens.revokeUser(username);
    this.accessTokens.dropUser(username);
  }

  /** AdminDeleteUser / DeleteUser: forgets the user's tokens, so none serves a later user of that name. */
  forgetUser(username: string): void {
    this.refreshTokens.forgetUser(username);
    this.accessTokens.dropUser(username);
  }

  private issue(
    subject: TokenSubject,
    client: ClientModel,
    readableAttributes: (name: string) => boolean,
    session: Session,
  ): Omit<IssuedTokens, 'RefreshToken'> {
    const nowMs = this.now();
    const iat = Math.floor(nowMs / 1000);
    const eventId = randomUUID();
    // Cognito adds origin_jti and jti only for clients with token revocation enabled.
    const revocable = client.enableTokenRevocation;
    const accessExp = iat + client.accessTokenValiditySeconds;

    const accessClaims: AccessClaims = {
      sub: subject.sub,
      iss: this.issuer,
      client_id: client.clientId,
      ...(revocable && { origin_jti: session.originJti }),
      event_id: eventId,
      token_use: 'access',
      scope: USER_ADMIN_SCOPE,
      auth_time: session.authTime,
      exp: accessExp,
      iat,
      ...(revocable && { jti: randomUUID() }),
      username: subject.username,
    };
    const idClaims = {
      'sub': subject.sub,
      ...booleanAttributes(subject, readableAttributes),
      'iss': this.issuer,
      'cognito:username': subject.username,
      ...(revocable && { origin_jti: session.originJti }),
      'aud': client.clientId,
      'event_id': eventId,
      'token_use': 'id',
      'auth_time': session.authTime,
      'exp': iat + client.idTokenValiditySeconds,
      iat,
      ...(revocable && { jti: randomUUID() }),
      ...stringAttributes(subject, readableAttributes),
    };

    const accessToken = this.accessTokenKey.sign(accessClaims);
    this.accessTokens.record(subject.username, accessToken, session.originJti, accessExp * 1000, nowMs);
    return {
      AccessToken: accessToken,
      IdToken: this.idTokenKey.sign(idClaims),
      ExpiresIn: client.accessTokenValiditySeconds,
      TokenType: 'Bearer',
    };
  }

  private issueRefreshToken(subject: TokenSubject, client: ClientModel, session: Session): string {
    return this.refreshTokens.issue({
      username: subject.username,
      sub: subject.sub,
      clientId: client.clientId,
      originJti: session.originJti,
      authTime: session.authTime,
      expiresAt: this.now() + client.refreshTokenValiditySeconds * 1000,
    });
  }
}

/**
 * The access tokens still honoured, per user, by the SHA-256 of the token. Revocation and sign-out
 * delete entries, so a token issued after a sign-out (even within the same second) is unaffected,
 * and clients without token revocation (no jti claim) are covered all the same.
 */
class AccessTokenLedger {
  private readonly byUser = new Map<string, Map<string, { originJti: string; expiresAt: number }>>();

  record(username: string, token: string, originJti: string, expiresAt: number, now: number): void {
    const tokens = this.byUser.get(username) ?? new Map();
    for (const [hash, entry] of tokens) {
      if (entry.expiresAt <= now) tokens.delete(hash);
    }
    tokens.set(hashOf(token), { originJti, expiresAt });
    this.byUser.set(username, tokens);
  }

  isLive(username: string, token: string): boolean {
    return this.byUser.get(username)?.has(hashOf(token)) ?? false;
  }

  dropSession(username: string, originJti: string): void {
    const tokens = this.byUser.get(username);
    for (const [hash, entry] of tokens ?? []) {
      if (entry.originJti === originJti) tokens!.delete(hash);
    }
  }

  dropUser(username: string): void {
    this.byUser.delete(username);
  }
}

function clientReads(client: ClientModel, name: string): boolean {
  return client.readAttributes.length === 0 || client.readAttributes.includes(name);
}

function booleanAttributes(subject: TokenSubject, readable: (name: string) => boolean): Record<string, boolean> {
  const claims: Record<string, boolean> = {};
  for (const [name, value] of Object.entries(subject.attributes)) {
    if (BOOLEAN_ATTRIBUTES.has(name) && readable(name)) claims[name] = value === 'true';
  }
  return claims;
}

function stringAttributes(subject: TokenSubject, readable: (name: string) => boolean): Record<string, string> {
  const claims: Record<string, string> = {};
  for (const [name, value] of Object.entries(subject.attributes)) {
    if (name !== 'sub' && !BOOLEAN_ATTRIBUTES.has(name) && readable(name)) claims[name] = value;
  }
  return claims;
}

function hashOf(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}
