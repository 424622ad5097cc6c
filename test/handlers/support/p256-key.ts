import { generateKeyPairSync, KeyObject, sign, verify } from 'node:crypto';
import type { createLinkVerifier } from '../../../lambda/core/link-signature';
import { derToRawSignature } from '../../../lambda/core/magic-link-token';

/** A local ECC P-256 key standing in for the KMS key: KMS-shaped outputs from a key the test holds. */
export interface P256Key {
  readonly privateKey: KeyObject;
  /** The SubjectPublicKeyInfo DER bytes, as KMS GetPublicKey returns them. */
  readonly publicKeyDer: Buffer;
  /** A raw r||s signature with the low s, as a token carries it (converted from DER as the signer does). */
  signRaw(message: Buffer): Buffer;
  /** A DER signature, as KMS Sign returns it. */
  signDer(message: Uint8Array): Buffer;
  verifyRaw(message: Buffer, signature: Buffer): boolean;
}

export function newP256Key(): P256Key {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    privateKey,
    publicKeyDer: publicKey.export({ format: 'der', type: 'spki' }),
    signRaw: (message) => derToRawSignature(sign('sha256', message, { key: privateKey, dsaEncoding: 'der' })),
    signDer: (message) => sign('sha256', message, { key: privateKey, dsaEncoding: 'der' }),
    verifyRaw: (message, signature) => verify('sha256', message, { key: publicKey, dsaEncoding: 'ieee-p1363' }, signature),
  };
}

type Kms = NonNullable<Parameters<typeof createLinkVerifier>[1]>;

/** A `kms` function for createLinkVerifier whose GetPublicKey returns `publicKeyDer` with `keySpec`; counts calls. */
export function fakeKms(publicKeyDer: Uint8Array, keySpec = 'ECC_NIST_P256'): Kms & { calls: number } {
  const fake = Object.assign(async () => ({
    sdk: await import('@aws-sdk/client-kms'),
    client: {
      send: async () => {
        fake.calls += 1;
        return { KeySpec: keySpec, PublicKey: publicKeyDer };
      },
    } as unknown as import('@aws-sdk/client-kms').KMSClient,
  }), { calls: 0 });
  return fake;
}
