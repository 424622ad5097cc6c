import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { KeyModel } from '../model';
import { sendAwsJson, sendAwsJsonError } from './aws-json';
import type { FaultInjectable, LocalBackend } from './backend';
import { decrypt, encrypt } from './kms-encryption';
import { KmsError } from './kms-error';
import { KeyRing, keyMetadata } from './kms-keys';
import { generateMac, verifyMac } from './kms-mac';
import type { KmsRequest } from './kms-request';
import { getPublicKey, signMessage, verifySignature } from './kms-signing';
import { OperationGate } from './operation-gate';
import { BodyTooLargeError, readBody } from './request-body';
import { closeServer, listenLocal, localUrl } from '../net/listen';

export type LocalKms = LocalBackend & FaultInjectable;

/** The operations the local KMS implements; any other is an UnsupportedOperationException. */
const OPERATIONS: Record<string, (request: KmsRequest, keys: KeyRing) => unknown> = {
  DescribeKey: (request, keys) => ({ KeyMetadata: keyMetadata(keys.find(request.KeyId)) }),
  GenerateMac: generateMac,
  VerifyMac: verifyMac,
  Sign: signMessage,
  Verify: verifySignature,
  GetPublicKey: getPublicKey,
  Encrypt: encrypt,
  Decrypt: decrypt,
};

const TARGET_PREFIX = 'TrentService.';
const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Starts a minimal KMS on 127.0.0.1 (AWS JSON 1.1) with real cryptography: each key of the app gets fresh key
 * material, which never leaves this process and is gone at stop.
 */
export async function startKms(keyModels: readonly KeyModel[]): Promise<LocalKms> {
  const keys = new KeyRing(keyModels);
  const gate = new OperationGate();

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    try {
      const target = req.headers['x-amz-target'];
      if (req.method !== 'POST' || typeof target !== 'string' || !target.startsWith(TARGET_PREFIX)) {
        req.resume();
        throw new KmsError('UnknownOperationException', 'The local KMS expects a POST with X-Amz-Target: TrentService.<Operation>');
      }
      const operation = target.slice(TARGET_PREFIX.length);
      const fault = gate.enter(operation);
      if (fault) {
        req.resume();
        throw new KmsError(fault.code, fault.message, fault.status);
      }
      const request = parseRequest(await readBody(req, MAX_BODY_BYTES));
      const run = OPERATIONS[operation];
      if (!run) throw new KmsError('UnsupportedOperationException', `The local KMS does not implement ${operation}`);
      sendAwsJson(res, '1.1', 200, run(request, keys));
    } catch (error) {
      if (error instanceof KmsError) return sendAwsJsonError(res, '1.1', error.status, error.code, error.message);
      if (error instanceof BodyTooLargeError) return sendAwsJsonError(res, '1.1', 400, 'ValidationException', error.message);
      sendAwsJsonError(res, '1.1', 500, 'KMSInternalException', error instanceof Error ? error.message : 'Internal error');
    }
  };

  const server = createServer((req, res) => void handle(req, res));
  const endpoint = localUrl(await listenLocal(server));
  return {
    endpoint,
    stop: () => closeServer(server),
    calls: () => gate.calls(),
    failNext: (operation, error, times, after) => gate.failNext(operation, error, times, after),
  };
}

function parseRequest(body: Buffer): KmsRequest {
  try {
    const request: unknown = JSON.parse(body.length ? body.toString('utf8') : '{}');
    if (typeof request === 'object' && request !== null && !Array.isArray(request)) return request as KmsRequest;
  } catch {
    // answered below, like any body that is not a JSON object
  }
  throw new KmsError('SerializationException', 'The request body is not a JSON object');
}
