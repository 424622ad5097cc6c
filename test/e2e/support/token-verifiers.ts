import { CognitoJwtVerifier } from 'aws-jwt-verify';
import type { Sandbox } from '../../../sandbox/start';

/**
 * aws-jwt-verify verifiers for the sandbox pool's ID and access tokens, with the JWKS fetched from the
 * sandbox's jwksUri (aws-jwt-verify itself refuses http:// JWKS URIs, so the keys are cached up front).
 */
export async function tokenVerifiers(sandbox: Sandbox, clientId = sandbox.info.userPoolClientId) {
  const jwks = await (await fetch(sandbox.info.jwksUri)).json();
  const make = <T extends 'id' | 'access'>(tokenUse: T) => {
    const verifier = CognitoJwtVerifier.create({ userPoolId: sandbox.info.userPoolId, clientId, tokenUse });
    verifier.cacheJwks(jwks);
    return verifier;
  };
  return { id: make('id'), access: make('access'), jwks };
}
