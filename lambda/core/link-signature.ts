import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { CLIENT_CONFIG, lazyClient } from './lazy-client';
import { derToRawSignature, hasLowS } from './magic-link-token';

/** A KMS client created on first use, once per container (only functions that use magic links load the SDK). */
const lazyKms = () => lazyClient('@aws-sdk/client-kms', (sdk: typeof import('@aws-sdk/client-kms')) => new sdk.KMSClient(CLIENT_CONFIG));
type Kms = ReturnType<typeof lazyKms>;

/** Signs with the ECC P-256 key inside KMS (the private key never leaves it); returns r||s. */
export function createLinkSigner(keyId: string, kms: Kms = lazyKms()) {
  return async (message: Buffer): Promise<Buffer> => {
    const { sdk, client } = await kms();
    const out = await client.send(new sdk.SignCommand({
      KeyId: keyId, Message: message, MessageType: 'RAW', SigningAlgorithm: 'ECDSA_SHA_256',
    }));
    if (!out.Signature) throw new Error('KMS returned no signature');
    return derToRawSignature(out.Signature);
  };
}

/**
 * Verifies link signatures locally with the key's public half, fetched from KMS once per container:
 * redemption costs no KMS call after the first.
 */
export function createLinkVerifier(keyId: string, kms: Kms = lazyKms()) {
  let publicKey: Promise<KeyObject> | undefined;
  const load = async () => {
    const { sdk, client } = await kms();
    const out = await client.send(new sdk.GetPublicKeyCommand({ KeyId: keyId }));
    if (out.KeySpec !== 'ECC_NIST_P256' || !out.PublicKey) throw new Error('The magic-link key must be an ECC_NIST_P256 signing key');
    return createPublicKey({ key: Buffer.from(out.PublicKey), format: 'der', type: 'spki' });
  };
  return async (message: Buffer, signature: Buffer): Promise<boolean> => {
    if (!hasLowS(signature)) return false;
    publicKey ??= load().catch((error: unknown) => {
      publicKey = undefined; // a failed fetch is retried by the next redemption
      throw error;
    });
    return verify('sha256', message, { key: await publicKey, dsaEncoding: 'ieee-p1363' }, signature);
  };
}
