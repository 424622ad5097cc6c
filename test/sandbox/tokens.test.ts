import { randomUUID } from 'node:crypto';
import { CognitoJwtVerifier } from 'aws-jwt-verify';
import { clientModel } from './support/client-model';
import { TokenError, TokenService, type TokenSubject } from '../../sandbox/cognito/tokens';

const REGION = 'us-east-1';
const USER_POOL_ID = 'us-east-1_AbCdEf123';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;


const clientA = clientModel();
const clientB = clientModel({ id: 'Stack/Other', clientId: 'zyxwvutsrqponmlkjihgfedcba' });

function subject(username: string, attributes: Record<string, string> = {}): TokenSubject {
  return {
    username,
    sub: randomUUID(),
    attributes: { email: `${username}@example.com`, email_verified: 'true', ...attributes },
  };
}

const everything = () => true;

/** The payload of a JWT, unverified. */
function claimsOf(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString());
}

function headerOf(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[0], 'base64url').toString());
}

function verifierFor(service: TokenService, tokenUse: 'id' | 'access', clientId = clientA.clientId) {
  const verifier = CognitoJwtVerifier.create({ userPoolId: USER_POOL_ID, clientId, tokenUse });
  verifier.cacheJwks(service.jwks() as Parameters<typeof verifier.cacheJwks>[0]);
  return verifier;
}

function thrown(fn: () => unknown): TokenError {
  try {
    fn();
  } catch (err) {
    if (err instanceof TokenError) return err;
    throw err;
  }
  throw new Error('expected a TokenError');
}

// Key generation costs ~100 ms a key, so one service serves every test; `offsetMs` moves its clock.
let offsetMs = 0;
const service = new TokenService({ region: REGION, userPoolId: USER_POOL_ID, now: () => Date.now() + offsetMs });
const lookup = (...subjects: TokenSubject[]) => (username: string) => subjects.find((s) => s.username === username);

beforeEach(() => {
  offsetMs = 0;
});

describe('issued tokens', () => {
  test('the ID token passes aws-jwt-verify for the pool and client', async () => {
    // Given a signed-in user
    const tokens = service.issueForSignIn(subject('alice'), clientA, everything);

    // Then the ID token verifies as Cognito's would
    const claims = await verifierFor(service, 'id').verify(tokens.IdToken);
    expect(claims.aud).toBe(clientA.clientId);
    expect(claims.iss).toBe(`https://cognito-idp.${REGION}.amazonaws.com/${USER_POOL_ID}`);
  });

  test('the access token passes aws-jwt-verify for the pool and client', async () => {
    const tokens = service.issueForSignIn(subject('alice'), clientA, everything);

    const claims = await verifierFor(service, 'access').verify(tokens.AccessToken);

    expect(claims.client_id).toBe(clientA.clientId);
  });

  test('the result has the shape of Cognito\'s AuthenticationResult', () => {
    const tokens = service.issueForSignIn(subject('alice'), clientA, everything);

    expect(tokens).toEqual({
      AccessToken: expect.any(String),
      IdToken: expect.any(String),
      RefreshToken: expect.any(String),
      ExpiresIn: 3600,
      TokenType: 'Bearer',
    });
  });

  test('the ID token has Cognito\'s claims, with verified flags as booleans', () => {
    // Given a user with verified email, unverified phone and a few more attributes
    const user = subject('alice', {
      'phone_number': '+15555550100',
      'phone_number_verified': 'false',
      'given_name': 'Alice',
      'family_name': 'Liddell',
      'custom:tier': 'gold',
    });

    // When tokens are issued
    const issuedAt = Math.floor(Date.now() / 1000);
    const claims = claimsOf(service.issueForSignIn(user, clientA, everything).IdToken);

    // Then
    expect(claims).toEqual({
      'sub': user.sub,
      'email_verified': true,
      'phone_number_verified': false,
      'iss': service.issuer,
      'cognito:username': 'alice',
      'origin_jti': expect.stringMatching(UUID),
      'aud': clientA.clientId,
      'event_id': expect.stringMatching(UUID),
      'token_use': 'id',
      'auth_time': claims.iat,
      'exp': (claims.iat as number) + clientA.idTokenValiditySeconds,
      'iat': expect.any(Number),
      'jti': expect.stringMatching(UUID),
      'email': 'alice@example.com',
      'phone_number': '+15555550100',
      'given_name': 'Alice',
      'family_name': 'Liddell',
      'custom:tier': 'gold',
    });
    expect(Math.abs((claims.iat as number) - issuedAt)).toBeLessThanOrEqual(1);
  });

  test('the access token has Cognito\'s claims and nothing else', () => {
    const user = subject('alice', { given_name: 'Alice' });

    const tokens = service.issueForSignIn(user, clientA, everything);
    const claims = claimsOf(tokens.AccessToken);

    expect(claims).toEqual({
      sub: user.sub,
      iss: service.issuer,
      client_id: clientA.clientId,
      origin_jti: claimsOf(tokens.IdToken).origin_jti,
      event_id: claimsOf(tokens.IdToken).event_id,
      token_use: 'access',
      scope: 'aws.cognito.signin.user.admin',
      auth_time: claims.iat,
      exp: (claims.iat as number) + clientA.accessTokenValiditySeconds,
      iat: expect.any(Number),
      jti: expect.stringMatching(UUID),
      username: 'alice',
    });
    expect(claims.jti).not.toBe(claimsOf(tokens.IdToken).jti);
  });

  test('attributes the client may not read stay out of the ID token', () => {
    const user = subject('alice', { 'custom:secret': 'x', 'given_name': 'Alice' });
    const readable = (name: string) => name !== 'custom:secret' && name !== 'email_verified';

    const claims = claimsOf(service.issueForSignIn(user, clientA, readable).IdToken);

    expect(claims).not.toHaveProperty('custom:secret');
    expect(claims).not.toHaveProperty('email_verified');
    expect(claims).toMatchObject({ given_name: 'Alice', email: 'alice@example.com', sub: user.sub });
  });

  test('the header is { kid, alg: RS256 } without typ, and ID and access tokens use different keys', () => {
    const tokens = service.issueForSignIn(subject('alice'), clientA, everything);
    const kids = service.jwks().keys.map((k) => (k as { kid: string }).kid);

    const idHeader = headerOf(tokens.IdToken);
    const accessHeader = headerOf(tokens.AccessToken);

    expect(Object.keys(idHeader)).toEqual(['kid', 'alg']);
    expect(idHeader.alg).toBe('RS256');
    expect(accessHeader.alg).toBe('RS256');
    expect(idHeader.kid).not.toBe(accessHeader.kid);
    expect(kids).toEqual([idHeader.kid, accessHeader.kid]);
  });

  test('the JWKS lists two RSA signing keys like Cognito\'s', () => {
    const { keys } = service.jwks();

    expect(keys).toHaveLength(2);
    for (const key of keys) {
      expect(key).toEqual({
        alg: 'RS256',
        e: 'AQAB',
        kid: expect.stringMatching(/^[A-Za-z0-9+/]{43}=$/),
        kty: 'RSA',
        n: expect.stringMatching(/^[A-Za-z0-9_-]{342}$/),
        use: 'sig',
      });
    }
    expect(service.jwksPath).toBe(`/${USER_POOL_ID}/.well-known/jwks.json`);
  });

  test('a refresh token is a long opaque base64url string, new at each sign-in', () => {
    const first = service.issueForSignIn(subject('alice'), clientA, everything).RefreshToken!;
    const second = service.issueForSignIn(subject('alice'), clientA, everything).RefreshToken!;

    expect(first).toMatch(/^[A-Za-z0-9_-]{86}$/);
    expect(first).not.toBe(second);
  });

  test('each sign-in starts a new session (origin_jti)', () => {
    const first = claimsOf(service.issueForSignIn(subject('alice'), clientA, everything).AccessToken);
    const second = claimsOf(service.issueForSignIn(subject('alice'), clientA, everything).AccessToken);

    expect(first.origin_jti).not.toBe(second.origin_jti);
  });

  test('a client without token revocation gets tokens without origin_jti and jti, as in Cognito', async () => {
    const client = clientModel({ enableTokenRevocation: false });

    const tokens = service.issueForSignIn(subject('alice'), client, everything);

    for (const token of [tokens.IdToken, tokens.AccessToken]) {
      expect(claimsOf(token)).not.toHaveProperty('origin_jti');
      expect(claimsOf(token)).not.toHaveProperty('jti');
    }
    await expect(verifierFor(service, 'access').verify(tokens.AccessToken)).resolves.toBeDefined();
    expect(service.verifyAccessToken(tokens.AccessToken).username).toBe('alice');
  });
});

describe('rejected by a JWT verifier', () => {
  test('a token signed with another key', () => {
    // Given another service (other keys) for the same pool ID
    const impostor = new TokenService({ region: REGION, userPoolId: USER_POOL_ID });
    const tokens = impostor.issueForSignIn(subject('alice'), clientA, everything);

    // Then neither token verifies against this pool's keys (verifySync: an unknown kid would make
    // verify() fetch the pool's JWKS from AWS)
    expect(() => verifierFor(service, 'id').verifySync(tokens.IdToken)).toThrow(/kid/i);
    expect(() => verifierFor(service, 'access').verifySync(tokens.AccessToken)).toThrow(/kid/i);
    expect(thrown(() => service.verifyAccessToken(tokens.AccessToken))).toMatchObject({
      type: 'NotAuthorizedException',
      message: 'Invalid Access Token',
    });
  });

  test('a token signed with another key that claims one of this pool\'s kids', () => {
    const impostor = new TokenService({ region: REGION, userPoolId: USER_POOL_ID });
    const accessKid = headerOf(service.issueForSignIn(subject('alice'), clientA, everything).AccessToken).kid;
    const stolenKid = withKid(impostor.issueForSignIn(subject('alice'), clientA, everything).AccessToken, accessKid);

    expect(() => verifierFor(service, 'access').verifySync(stolenKid)).toThrow(/signature/i);
    expect(thrown(() => service.verifyAccessToken(stolenKid)).message).toBe('Invalid Access Token');
  });

  test('an expired token', async () => {
    // Given tokens issued two hours ago (ID token valid 30 minutes, access token 1 hour)
    offsetMs = -2 * 3600 * 1000;
    const tokens = service.issueForSignIn(subject('alice'), clientA, everything);
    offsetMs = 0;

    await expect(verifierFor(service, 'id').verify(tokens.IdToken)).rejects.toThrow(/expired/i);
    await expect(verifierFor(service, 'access').verify(tokens.AccessToken)).rejects.toThrow(/expired/i);
  });

  test('a token for another client (aud / client_id)', async () => {
    const tokens = service.issueForSignIn(subject('alice'), clientA, everything);

    await expect(verifierFor(service, 'id', clientB.clientId).verify(tokens.IdToken)).rejects.toThrow(/audience|client/i);
    await expect(verifierFor(service, 'access', clientB.clientId).verify(tokens.AccessToken)).rejects.toThrow(
      /client/i,
    );
  });

  test('an ID token where an access token is expected, and the reverse', async () => {
    const tokens = service.issueForSignIn(subject('alice'), clientA, everything);

    await expect(verifierFor(service, 'access').verify(tokens.IdToken)).rejects.toThrow(/token use/i);
    await expect(verifierFor(service, 'id').verify(tokens.AccessToken)).rejects.toThrow(/token use/i);
  });
});

describe('verifyAccessToken', () => {
  test('returns the claims of a valid access token', () => {
    const tokens = service.issueForSignIn(subject('alice'), clientA, everything);

    expect(service.verifyAccessToken(tokens.AccessToken)).toEqual(claimsOf(tokens.AccessToken));
  });

  test('rejects an expired access token', () => {
    const tokens = service.issueForSignIn(subject('alice'), clientA, everything);
    offsetMs = (clientA.accessTokenValiditySeconds + 1) * 1000;

    expect(thrown(() => service.verifyAccessToken(tokens.AccessToken))).toMatchObject({
      type: 'NotAuthorizedException',
      message: 'Access Token has expired',
    });
  });

  test.each([
    ['an ID token', (t: { IdToken: string }) => t.IdToken],
    ['garbage', () => 'not-a-token'],
    ['a token with a forged payload', (t: { AccessToken: string }) => forge(t.AccessToken, { username: 'mallory' })],
    ['a token with alg none', (t: { AccessToken: string }) => withAlgNone(t.AccessToken)],
  ])('rejects %s as an invalid access token', (_, pick) => {
    const tokens = service.issueForSignIn(subject('alice'), clientA, everything);

    expect(thrown(() => service.verifyAccessToken(pick(tokens)))).toMatchObject({
      type: 'NotAuthorizedException',
      message: 'Invalid Access Token',
    });
  });
});

describe('refresh', () => {
  test('gives new tokens of the same session: same auth_time and origin_jti, new jti', () => {
    // Given a sign-in, and a minute later a refresh
    const user = subject('bob');
    const signIn = service.issueForSignIn(user, clientA, everything);
    offsetMs = 60_000;

    const refreshed = service.refresh(signIn.RefreshToken!, clientA.clientId, lookup(user), clientA, { rotate: false });

    // Then
    for (const [before, after] of [
      [signIn.AccessToken, refreshed.AccessToken],
      [signIn.IdToken, refreshed.IdToken],
    ]) {
      const old = claimsOf(before);
      const renewed = claimsOf(after);
      expect(renewed.auth_time).toBe(old.auth_time);
      expect(renewed.origin_jti).toBe(old.origin_jti);
      expect(renewed.jti).not.toBe(old.jti);
      expect(renewed.iat).toBeGreaterThanOrEqual((old.iat as number) + 59);
    }
    expect(refreshed.RefreshToken).toBeUndefined();
    expect(service.verifyAccessToken(refreshed.AccessToken).username).toBe('bob');
  });

  test('the refreshed ID token shows the user\'s attributes as they are now', () => {
    const user = subject('bob');
    const signIn = service.issueForSignIn(user, clientA, everything);
    const updated = { ...user, attributes: { ...user.attributes, given_name: 'Robert' } };

    const refreshed = service.refresh(signIn.RefreshToken!, clientA.clientId, lookup(updated), clientA, {
      rotate: false,
    });

    expect(claimsOf(refreshed.IdToken).given_name).toBe('Robert');
  });

  test('the refreshed ID token keeps to the client\'s readAttributes', () => {
    const client = clientModel({ readAttributes: ['email'] });
    const user = subject('bob', { given_name: 'Bob' });
    const signIn = service.issueForSignIn(user, client, (name) => client.readAttributes.includes(name));

    const refreshed = service.refresh(signIn.RefreshToken!, client.clientId, lookup(user), client, { rotate: false });

    expect(claimsOf(refreshed.IdToken)).toMatchObject({ email: 'bob@example.com' });
    expect(claimsOf(refreshed.IdToken)).not.toHaveProperty('given_name');
    expect(claimsOf(refreshed.IdToken)).not.toHaveProperty('email_verified');
  });

  test('the old refresh token keeps working without rotation', () => {
    const user = subject('bob');
    const signIn = service.issueForSignIn(user, clientA, everything);

    service.refresh(signIn.RefreshToken!, clientA.clientId, lookup(user), clientA, { rotate: false });

    expect(() =>
      service.refresh(signIn.RefreshToken!, clientA.clientId, lookup(user), clientA, { rotate: false }),
    ).not.toThrow();
  });

  test('rotation returns a new refresh token, and reusing the old one is a RefreshTokenReuseException', () => {
    // Given a sign-in
    const user = subject('bob');
    const signIn = service.issueForSignIn(user, clientA, everything);

    // When the refresh token is rotated
    const rotated = service.refresh(signIn.RefreshToken!, clientA.clientId, lookup(user), clientA, { rotate: true });

    // Then the new one works, for the same session, and the old one is refused
    expect(rotated.RefreshToken).toBeDefined();
    expect(rotated.RefreshToken).not.toBe(signIn.RefreshToken);
    const again = service.refresh(rotated.RefreshToken!, clientA.clientId, lookup(user), clientA, { rotate: true });
    expect(claimsOf(again.AccessToken).origin_jti).toBe(claimsOf(signIn.AccessToken).origin_jti);
    expect(
      thrown(() => service.refresh(signIn.RefreshToken!, clientA.clientId, lookup(user), clientA, { rotate: true })),
    ).toMatchObject({ type: 'RefreshTokenReuseException' });
  });

  test('a refresh token of client A is refused for client B', () => {
    const user = subject('bob');
    const signIn = service.issueForSignIn(user, clientA, everything);

    const error = thrown(() =>
      service.refresh(signIn.RefreshToken!, clientB.clientId, lookup(user), clientB, { rotate: false }),
    );

    expect(error).toMatchObject({ type: 'NotAuthorizedException', message: 'Refresh Token has different Client' });
  });

  test('an unknown refresh token is refused', () => {
    const error = thrown(() =>
      service.refresh('x'.repeat(86), clientA.clientId, lookup(subject('bob')), clientA, { rotate: false }),
    );

    expect(error).toMatchObject({ type: 'NotAuthorizedException', message: 'Invalid Refresh Token.' });
  });

  test('an expired refresh token is refused', () => {
    const user = subject('bob');
    const signIn = service.issueForSignIn(user, clientA, everything);
    offsetMs = (clientA.refreshTokenValiditySeconds + 1) * 1000;

    const error = thrown(() =>
      service.refresh(signIn.RefreshToken!, clientA.clientId, lookup(user), clientA, { rotate: false }),
    );

    expect(error).toMatchObject({ type: 'NotAuthorizedException', message: 'Refresh Token has expired' });
  });

  test('a refresh token of a user since deleted and re-created (other sub) is refused', () => {
    const user = subject('bob');
    const signIn = service.issueForSignIn(user, clientA, everything);
    const recreated = { ...user, sub: '99999999-0000-4000-8000-000000000000' };

    const error = thrown(() =>
      service.refresh(signIn.RefreshToken!, clientA.clientId, lookup(recreated), clientA, { rotate: false }),
    );

    expect(error).toMatchObject({ type: 'NotAuthorizedException', message: 'Invalid Refresh Token.' });
  });
});

describe('revoke', () => {
  test('stops the refresh token and every access token of its session, not another session\'s', () => {
    // Given two sessions of one user, the first refreshed once
    const user = subject('carol');
    const first = service.issueForSignIn(user, clientA, everything);
    const firstRefreshed = service.refresh(first.RefreshToken!, clientA.clientId, lookup(user), clientA, {
      rotate: false,
    });
    const second = service.issueForSignIn(user, clientA, everything);

    // When the first session's refresh token is revoked
    service.revoke(first.RefreshToken!, clientA.clientId, clientA);

    // Then the first session is over
    expect(
      thrown(() => service.refresh(first.RefreshToken!, clientA.clientId, lookup(user), clientA, { rotate: false })),
    ).toMatchObject({ type: 'NotAuthorizedException', message: 'Refresh Token has been revoked' });
    for (const token of [first.AccessToken, firstRefreshed.AccessToken]) {
      expect(thrown(() => service.verifyAccessToken(token))).toMatchObject({
        type: 'NotAuthorizedException',
        message: 'Access Token has been revoked',
      });
    }
    // And the second one goes on
    expect(service.verifyAccessToken(second.AccessToken).username).toBe('carol');
    expect(() =>
      service.refresh(second.RefreshToken!, clientA.clientId, lookup(user), clientA, { rotate: false }),
    ).not.toThrow();
  });

  test('also stops refresh tokens rotated from the revoked one\'s session', () => {
    const user = subject('carol');
    const signIn = service.issueForSignIn(user, clientA, everything);
    const rotated = service.refresh(signIn.RefreshToken!, clientA.clientId, lookup(user), clientA, { rotate: true });

    service.revoke(rotated.RefreshToken!, clientA.clientId, clientA);

    expect(thrown(() => service.verifyAccessToken(signIn.AccessToken)).message).toBe('Access Token has been revoked');
  });

  test('is refused for a client with token revocation disabled', () => {
    const client = clientModel({ enableTokenRevocation: false });
    const signIn = service.issueForSignIn(subject('carol'), client, everything);

    const error = thrown(() => service.revoke(signIn.RefreshToken!, client.clientId, client));

    expect(error.type).toBe('UnsupportedOperationException');
    expect(service.verifyAccessToken(signIn.AccessToken).username).toBe('carol');
  });

  test('is refused for a refresh token of another client', () => {
    const signIn = service.issueForSignIn(subject('carol'), clientA, everything);

    const error = thrown(() => service.revoke(signIn.RefreshToken!, clientB.clientId, clientB));

    expect(error.type).toBe('UnauthorizedException');
    expect(service.verifyAccessToken(signIn.AccessToken).username).toBe('carol');
  });

  test('is refused for an access or ID token', () => {
    const signIn = service.issueForSignIn(subject('carol'), clientA, everything);

    expect(thrown(() => service.revoke(signIn.AccessToken, clientA.clientId, clientA)).type).toBe(
      'UnsupportedTokenTypeException',
    );
    expect(thrown(() => service.revoke(signIn.IdToken, clientA.clientId, clientA)).type).toBe(
      'UnsupportedTokenTypeException',
    );
  });

  test('succeeds, doing nothing, for an unknown refresh token', () => {
    expect(() => service.revoke('y'.repeat(86), clientA.clientId, clientA)).not.toThrow();
  });
});

describe('signOutEverywhere', () => {
  test('stops every refresh and access token of the user, and no other user\'s', () => {
    // Given two sessions of dave, on two clients, and one of erin
    const dave = subject('dave');
    const erin = subject('erin');
    const onA = service.issueForSignIn(dave, clientA, everything);
    const onB = service.issueForSignIn(dave, clientB, everything);
    const erins = service.issueForSignIn(erin, clientA, everything);

    // When dave signs out everywhere
    service.signOutEverywhere('dave');

    // Then
    for (const [tokens, client] of [
      [onA, clientA],
      [onB, clientB],
    ] as const) {
      expect(thrown(() => service.verifyAccessToken(tokens.AccessToken)).message).toBe('Access Token has been revoked');
      expect(
        thrown(() => service.refresh(tokens.RefreshToken!, client.clientId, lookup(dave), client, { rotate: false })),
      ).toMatchObject({ type: 'NotAuthorizedException', message: 'Refresh Token has been revoked' });
    }
    expect(service.verifyAccessToken(erins.AccessToken).username).toBe('erin');
  });

  test('leaves tokens issued right after it valid, even within the same millisecond', () => {
    // Given a frozen clock
    const frozen = Date.now();
    const stopped = new TokenService({ region: REGION, userPoolId: USER_POOL_ID, now: () => frozen });
    const dave = subject('dave');
    const before = stopped.issueForSignIn(dave, clientA, everything);

    // When dave signs out and signs in again at the same instant
    stopped.signOutEverywhere('dave');
    const after = stopped.issueForSignIn(dave, clientA, everything);

    // Then only the new session works
    expect(claimsOf(after.AccessToken).iat).toBe(claimsOf(before.AccessToken).iat);
    expect(thrown(() => stopped.verifyAccessToken(before.AccessToken)).message).toBe('Access Token has been revoked');
    expect(stopped.verifyAccessToken(after.AccessToken).username).toBe('dave');
    expect(() =>
      stopped.refresh(after.RefreshToken!, clientA.clientId, lookup(dave), clientA, { rotate: false }),
    ).not.toThrow();
  });

  test('also ends sessions of clients without token revocation', () => {
    const client = clientModel({ enableTokenRevocation: false });
    const dave = subject('dave');
    const signIn = service.issueForSignIn(dave, client, everything);

    service.signOutEverywhere('dave');

    expect(thrown(() => service.verifyAccessToken(signIn.AccessToken)).message).toBe('Access Token has been revoked');
  });
});

describe('forgetUser', () => {
  test('makes the user\'s refresh tokens unknown and access tokens invalid', () => {
    const frank = subject('frank');
    const signIn = service.issueForSignIn(frank, clientA, everything);

    service.forgetUser('frank');

    expect(
      thrown(() => service.refresh(signIn.RefreshToken!, clientA.clientId, lookup(frank), clientA, { rotate: false })),
    ).toMatchObject({ type: 'NotAuthorizedException', message: 'Invalid Refresh Token.' });
    expect(thrown(() => service.verifyAccessToken(signIn.AccessToken)).message).toBe('Access Token has been revoked');
  });
});

/** The token with claims changed and the original signature kept. */
function forge(jwt: string, changes: Record<string, unknown>): string {
  const [header, , signature] = jwt.split('.');
  const payload = Buffer.from(JSON.stringify({ ...claimsOf(jwt), ...changes })).toString('base64url');
  return `${header}.${payload}.${signature}`;
}

function withAlgNone(jwt: string): string {
  const header = Buffer.from(JSON.stringify({ ...headerOf(jwt), alg: 'none' })).toString('base64url');
  return `${header}.${jwt.split('.')[1]}.`;
}

function withKid(jwt: string, kid: unknown): string {
  const header = Buffer.from(JSON.stringify({ ...headerOf(jwt), kid })).toString('base64url');
  return [header, ...jwt.split('.').slice(1)].join('.');
}
