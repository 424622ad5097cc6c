import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { KmsError } from './kms-error';
import { material, requireUsage, type KeyRing, type LocalKey } from './kms-keys';
import { algorithm, blob, MAX_DATA_BYTES, type KmsRequest } from './kms-request';

/**
 * SYMMETRIC_DEFAULT as AES-256-GCM. The ciphertext blob carries what Decrypt needs, like a real KMS blob:
 * version (1) | key ID length | key ID | IV (12) | tag (16) | ciphertext. The encryption context is the
 * additional authenticated data, so Decrypt fails unless it is given the same context.
 */
const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const ENCRYPTION_ALGORITHM = 'SYMMETRIC_DEFAULT';

export function encrypt(request: KmsRequest, keys: KeyRing): unknown {
  const key = keys.find(request.KeyId);
  requireUsage(key, 'ENCRYPT_DECRYPT', 'Encrypt');
  const secret = material(key, key.model.keySpec === ENCRYPTION_ALGORITHM ? key.secret : undefined);
  algorithm(request, 'EncryptionAlgorithm', ENCRYPTION_ALGORITHM, ENCRYPTION_ALGORITHM);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', secret, iv).setAAD(contextBytes(request));
  const ciphertext = Buffer.concat([cipher.update(blob(request, 'Plaintext', MAX_DATA_BYTES)), cipher.final()]);
  const keyId = Buffer.from(key.model.keyId, 'utf8');
  const header = Buffer.from([VERSION, keyId.length]);
  const ciphertextBlob = Buffer.concat([header, keyId, iv, cipher.getAuthTag(), ciphertext]);
  return { KeyId: key.model.arn, CiphertextBlob: ciphertextBlob.toString('base64'), EncryptionAlgorithm: ENCRYPTION_ALGORITHM };
}

export function decrypt(request: KmsRequest, keys: KeyRing): unknown {
  algorithm(request, 'EncryptionAlgorithm', ENCRYPTION_ALGORITHM, ENCRYPTION_ALGORITHM);
  const parts = parseBlob(blob(request, 'CiphertextBlob'));
  const key = keyOf(parts.keyId, keys);
  if (request.KeyId !== undefined && keys.find(request.KeyId) !== key) {
    throw new KmsError('IncorrectKeyException', 'The key ID in the request does not identify a KMS key that can perform this operation.');
  }
  requireUsage(key, 'ENCRYPT_DECRYPT', 'Decrypt');
  try {
    const decipher = createDecipheriv('aes-256-gcm', material(key, key.secret), parts.iv).setAAD(contextBytes(request)).setAuthTag(parts.tag);
    const plaintext = Buffer.concat([decipher.update(parts.ciphertext), decipher.final()]);
    return { KeyId: key.model.arn, Plaintext: plaintext.toString('base64'), EncryptionAlgorithm: ENCRYPTION_ALGORITHM };
  } catch {
    throw invalidCiphertext();
  }
}

/** The encryption context, canonical (keys sorted) so that the same pairs in any order authenticate. */
function contextBytes(request: KmsRequest): Buffer {
  const context = request.EncryptionContext ?? {};
  if (typeof context !== 'object' || context === null || Object.values(context).some((value) => typeof value !== 'string')) {
    throw new KmsError('ValidationException', 'EncryptionContext must map strings to strings');
  }
  const sorted = Object.entries(context as Record<string, string>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Buffer.from(JSON.stringify(sorted), 'utf8');
}

function parseBlob(bytes: Buffer) {
  const keyIdEnd = 2 + (bytes[1] ?? 0);
  if (bytes[0] !== VERSION || bytes.length <= keyIdEnd + IV_BYTES + TAG_BYTES) throw invalidCiphertext();
  return {
    keyId: bytes.subarray(2, keyIdEnd).toString('utf8'),
    iv: bytes.subarray(keyIdEnd, keyIdEnd + IV_BYTES),
    tag: bytes.subarray(keyIdEnd + IV_BYTES, keyIdEnd + IV_BYTES + TAG_BYTES),
    ciphertext: bytes.subarray(keyIdEnd + IV_BYTES + TAG_BYTES),
  };
}

/** A blob naming a key this sandbox does not hold (e.g. from an earlier run) cannot be decrypted. */
function keyOf(keyId: string, keys: KeyRing): LocalKey {
  try {
    return keys.find(keyId);
  } catch {
    throw invalidCiphertext();
  }
}

function invalidCiphertext(): KmsError {
  return new KmsError('InvalidCiphertextException', 'The ciphertext is invalid or was not encrypted under this key and encryption context');
}
