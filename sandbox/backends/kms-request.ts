import { KmsError } from './kms-error';

/** The parsed JSON body of a KMS call. */
export type KmsRequest = Record<string, unknown>;

/** KMS takes at most 4 KiB of plaintext or message. */
export const MAX_DATA_BYTES = 4096;

/** A base64 blob parameter, decoded; a ValidationException when missing, empty or over `maxBytes`. */
export function blob(request: KmsRequest, name: string, maxBytes = Infinity): Buffer {
  const value = request[name];
  if (typeof value !== 'string' || value === '') throw new KmsError('ValidationException', `${name} is required`);
  const bytes = Buffer.from(value, 'base64');
  if (bytes.length === 0 || bytes.length > maxBytes) {
    throw new KmsError('ValidationException', `1 validation error detected: Value at '${name}' failed to satisfy constraint: Member must have length between 1 and ${maxBytes}`);
  }
  return bytes;
}

/** A string parameter that must be `expected` (an algorithm the key supports), or `fallback` when absent. */
export function algorithm(request: KmsRequest, name: string, expected: string, fallback?: string): string {
  const value = request[name] ?? fallback;
  if (typeof value !== 'string') throw new KmsError('ValidationException', `${name} is required`);
  if (value !== expected) throw new KmsError('InvalidKeyUsageException', `${name} ${value} is not compatible with this key (it supports ${expected})`);
  return value;
}
