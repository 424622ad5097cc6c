import { createHmac, timingSafeEqual } from 'node:crypto';
import { KmsError } from './kms-error';
import { HMAC_SPECS, material, requireUsage, type KeyRing, type LocalKey } from './kms-keys';
import { algorithm, blob, MAX_DATA_BYTES, type KmsRequest } from './kms-request';

export function generateMac(request: KmsRequest, keys: KeyRing): unknown {
  const { key, macAlgorithm, mac } = computeMac(request, keys.find(request.KeyId), 'GenerateMac');
  return { KeyId: key.model.arn, Mac: mac.toString('base64'), MacAlgorithm: macAlgorithm };
}

/** A wrong MAC is an error, KMSInvalidMacException, not `MacValid: false`. */
export function verifyMac(request: KmsRequest, keys: KeyRing): unknown {
  const { key, macAlgorithm, mac } = computeMac(request, keys.find(request.KeyId), 'VerifyMac');
  const given = blob(request, 'Mac');
  if (given.length !== mac.length || !timingSafeEqual(given, mac)) throw new KmsError('KMSInvalidMacException', 'The MAC is not valid');
  return { KeyId: key.model.arn, MacValid: true, MacAlgorithm: macAlgorithm };
}

function computeMac(request: KmsRequest, key: LocalKey, operation: string) {
  requireUsage(key, 'GENERATE_VERIFY_MAC', operation);
  const spec = material(key, HMAC_SPECS[key.model.keySpec]);
  const secret = material(key, key.secret);
  const macAlgorithm = algorithm(request, 'MacAlgorithm', spec.algorithm);
  const mac = createHmac(spec.hash, secret).update(blob(request, 'Message', MAX_DATA_BYTES)).digest();
  return { key, macAlgorithm, mac };
}
