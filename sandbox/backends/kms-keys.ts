import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import type { KeyModel } from '../model';
import { KmsError } from './kms-error';

/** A key of the app with key material made at start; none when the local KMS cannot use its key spec. */
export interface LocalKey {
  readonly model: KeyModel;
  readonly created: Date;
  /** The AES-256 key (SYMMETRIC_DEFAULT) or the HMAC key (HMAC_*). */
  readonly secret?: Buffer;
  readonly privateKey?: KeyObject;
  readonly publicKey?: KeyObject;
}

/** HMAC key specs, with their key length in bytes and the one MAC algorithm each allows. */
export const HMAC_SPECS: Record<string, { bytes: number; algorithm: string; hash: string }> = {
  HMAC_224: { bytes: 28, algorithm: 'HMAC_SHA_224', hash: 'sha224' },
  HMAC_256: { bytes: 32, algorithm: 'HMAC_SHA_256', hash: 'sha256' },
  HMAC_384: { bytes: 48, algorithm: 'HMAC_SHA_384', hash: 'sha384' },
  HMAC_512: { bytes: 64, algorithm: 'HMAC_SHA_512', hash: 'sha512' },
};

export function createLocalKey(model: KeyModel): LocalKey {
  const created = new Date();
  if (model.keySpec === 'SYMMETRIC_DEFAULT') return { model, created, secret: randomBytes(32) };
  const hmac = HMAC_SPECS[model.keySpec];
  if (hmac) return { model, created, secret: randomBytes(hmac.bytes) };
  if (model.keySpec === 'ECC_NIST_P256') return { model, created, ...generateKeyPairSync('ec', { namedCurve: 'prime256v1' }) };
  return { model, created };
}

/** The app's keys, found by what a KMS `KeyId` may be: a key ID or a key ARN. Aliases are unknown to the sandbox. */
export class KeyRing {
  private readonly byId = new Map<string, LocalKey>();

  constructor(models: readonly KeyModel[]) {
    for (const model of models) {
      const key = createLocalKey(model);
      this.byId.set(model.keyId, key);
      this.byId.set(model.arn, key);
    }
  }

  find(keyId: unknown): LocalKey {
    if (typeof keyId !== 'string' || keyId === '') throw new KmsError('ValidationException', 'KeyId is required');
    const key = this.byId.get(keyId);
    if (key) return key;
    if (/^(arn:[^:]+:kms:[^:]*:\d*:)?alias\//.test(keyId)) throw new KmsError('NotFoundException', `Alias ${keyId} is not found.`);
    throw new KmsError('NotFoundException', `Key '${keyId}' does not exist`);
  }
}

/** Refuses an operation the key's usage does not allow, as KMS does. */
export function requireUsage(key: LocalKey, usage: string, operation: string): void {
  if (key.model.keyUsage !== usage) {
    throw new KmsError('InvalidKeyUsageException', `${key.model.arn} key usage is ${key.model.keyUsage} which is not valid for ${operation}.`);
  }
}

/** The key material, or an UnsupportedOperationException for a key spec the local KMS does not implement. */
export function material<T>(key: LocalKey, value: T | undefined): T {
  if (value === undefined) throw new KmsError('UnsupportedOperationException', `The local KMS cannot use ${key.model.keySpec} keys`);
  return value;
}

/** `DescribeKey`'s `KeyMetadata`; the account comes from the key's ARN. */
export function keyMetadata(key: LocalKey): Record<string, unknown> {
  const { keyId, arn, keySpec, keyUsage } = key.model;
  const account = arn.split(':')[4];
  const hmac = HMAC_SPECS[keySpec];
  return {
    AWSAccountId: account,
    KeyId: keyId,
    Arn: arn,
    CreationDate: key.created.getTime() / 1000,
    Enabled: true,
    Description: '',
    KeyUsage: keyUsage,
    KeyState: 'Enabled',
    Origin: 'AWS_KMS',
    KeyManager: 'CUSTOMER',
    CustomerMasterKeySpec: keySpec,
    KeySpec: keySpec,
    MultiRegion: false,
    ...(keySpec === 'SYMMETRIC_DEFAULT' ? { EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'] } : {}),
    ...(hmac ? { MacAlgorithms: [hmac.algorithm] } : {}),
    ...(keySpec === 'ECC_NIST_P256' ? { SigningAlgorithms: ['ECDSA_SHA_256'] } : {}),
  };
}
