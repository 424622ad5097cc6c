import { sign, verify, type KeyObject } from 'node:crypto';
import { signDigest, verifyDigest } from './ecdsa-p256';
import { KmsError } from './kms-error';
import { material, requireUsage, type KeyRing, type LocalKey } from './kms-keys';
import { algorithm, blob, MAX_DATA_BYTES, type KmsRequest } from './kms-request';

const SIGNING_ALGORITHM = 'ECDSA_SHA_256';
/** SHA-256 digests are 32 bytes. */
const DIGEST_BYTES = 32;

export function signMessage(request: KmsRequest, keys: KeyRing): unknown {
  const key = signingKey(request, keys.find(request.KeyId), 'Sign');
  const privateKey = material(key, key.privateKey);
  const { message, isDigest } = messageOf(request);
  const signature = isDigest ? signDigest(privateKey, message) : sign('sha256', message, { key: privateKey, dsaEncoding: 'der' });
  return { KeyId: key.model.arn, Signature: signature.toString('base64'), SigningAlgorithm: SIGNING_ALGORITHM };
}

/** A wrong signature is an error, KMSInvalidSignatureException, not `SignatureValid: false`. */
export function verifySignature(request: KmsRequest, keys: KeyRing): unknown {
  const key = signingKey(request, keys.find(request.KeyId), 'Verify');
  const publicKey = material(key, key.publicKey);
  const { message, isDigest } = messageOf(request);
  const signature = blob(request, 'Signature');
  const valid = isDigest ? verifyDigest(publicKey, message, signature) : verifyRaw(publicKey, message, signature);
  if (!valid) throw new KmsError('KMSInvalidSignatureException', 'The signature is not valid');
  return { KeyId: key.model.arn, SignatureValid: true, SigningAlgorithm: SIGNING_ALGORITHM };
}

/** The SubjectPublicKeyInfo (DER) of an asymmetric key; symmetric and HMAC keys have none. */
export function getPublicKey(request: KmsRequest, keys: KeyRing): unknown {
  const key = keys.find(request.KeyId);
  if (key.model.keySpec === 'SYMMETRIC_DEFAULT' || key.model.keySpec.startsWith('HMAC_')) {
    throw new KmsError('UnsupportedOperationException', `${key.model.arn} is a ${key.model.keySpec} key, which has no public key`);
  }
  const publicKey = material(key, key.publicKey);
  return {
    KeyId: key.model.arn,
    PublicKey: publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
    CustomerMasterKeySpec: key.model.keySpec,
    KeySpec: key.model.keySpec,
    KeyUsage: key.model.keyUsage,
    SigningAlgorithms: [SIGNING_ALGORITHM],
  };
}

function signingKey(request: KmsRequest, key: LocalKey, operation: string): LocalKey {
  requireUsage(key, 'SIGN_VERIFY', operation);
  material(key, key.privateKey);
  algorithm(request, 'SigningAlgorithm', SIGNING_ALGORITHM);
  return key;
}

/** The message as given (RAW, hashed while signing) or its SHA-256 digest (DIGEST, which must be 32 bytes). */
function messageOf(request: KmsRequest): { message: Buffer; isDigest: boolean } {
  const type = request.MessageType ?? 'RAW';
  if (type !== 'RAW' && type !== 'DIGEST') throw new KmsError('ValidationException', `MessageType must be RAW or DIGEST (received: ${String(type)})`);
  const message = blob(request, 'Message', MAX_DATA_BYTES);
  if (type === 'DIGEST' && message.length !== DIGEST_BYTES) {
    throw new KmsError('ValidationException', `Digest is invalid length for algorithm ${SIGNING_ALGORITHM}.`);
  }
  return { message, isDigest: type === 'DIGEST' };
}

/** Node throws on some malformed signatures: to KMS those are just invalid. */
function verifyRaw(publicKey: KeyObject, message: Buffer, signature: Buffer): boolean {
  try {
    return verify('sha256', message, { key: publicKey, dsaEncoding: 'der' }, signature);
  } catch {
    return false;
  }
}
