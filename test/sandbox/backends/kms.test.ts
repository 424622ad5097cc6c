import { createHash, createPublicKey, verify } from 'node:crypto';
import {
  DecryptCommand, DescribeKeyCommand, EncryptCommand, GenerateDataKeyCommand, GenerateMacCommand, GetPublicKeyCommand,
  KMSClient, SignCommand, VerifyCommand, VerifyMacCommand,
} from '@aws-sdk/client-kms';
import { LOCAL_CLIENT, portIsFree, withEnv } from './local-aws';
import { startKms, type LocalKms } from '../../../sandbox/backends/kms';
import type { KeyModel } from '../../../sandbox/model';

const key = (name: string, keyId: string, keySpec: string, keyUsage: string): KeyModel =>
  ({ id: `Stack/${name}`, keyId, arn: `arn:aws:kms:us-east-1:123456789012:key/${keyId}`, keySpec, keyUsage });

const MAC_KEY = key('MacKey', '11111111-1111-4111-8111-111111111111', 'HMAC_256', 'GENERATE_VERIFY_MAC');
const MAC_512_KEY = key('Mac512Key', '22222222-2222-4222-8222-222222222222', 'HMAC_512', 'GENERATE_VERIFY_MAC');
const SIGNING_KEY = key('SigningKey', '33333333-3333-4333-8333-333333333333', 'ECC_NIST_P256', 'SIGN_VERIFY');
const DATA_KEY = key('DataKey', '44444444-4444-4444-8444-444444444444', 'SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT');
const OTHER_DATA_KEY = key('OtherDataKey', '55555555-5555-4555-8555-555555555555', 'SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT');
const RSA_KEY = key('RsaKey', '66666666-6666-4666-8666-666666666666', 'RSA_2048', 'SIGN_VERIFY');

let kms: LocalKms;
let client: KMSClient;

beforeEach(async () => {
  kms = await startKms([MAC_KEY, MAC_512_KEY, SIGNING_KEY, DATA_KEY, OTHER_DATA_KEY, RSA_KEY]);
  client = new KMSClient({ ...LOCAL_CLIENT, endpoint: kms.endpoint, maxAttempts: 1 });
});

afterEach(async () => {
  client.destroy();
  await kms.stop();
});

const message = Buffer.from('alice@example.com|sign-in|1700000000');

describe('MAC', () => {
  test('a generated MAC verifies, by key ID or by key ARN', async () => {
    const { Mac, KeyId, MacAlgorithm } = await client.send(new GenerateMacCommand({ KeyId: MAC_KEY.keyId, Message: message, MacAlgorithm: 'HMAC_SHA_256' }));
    expect(Mac).toHaveLength(32);
    expect([KeyId, MacAlgorithm]).toEqual([MAC_KEY.arn, 'HMAC_SHA_256']);
    const verified = await client.send(new VerifyMacCommand({ KeyId: MAC_KEY.arn, Message: message, Mac, MacAlgorithm: 'HMAC_SHA_256' }));
    expect(verified.MacValid).toBe(true);
  });

  test('a tampered MAC or message is a KMSInvalidMacException', async () => {
    const { Mac } = await client.send(new GenerateMacCommand({ KeyId: MAC_KEY.keyId, Message: message, MacAlgorithm: 'HMAC_SHA_256' }));
    const tampered = Uint8Array.from(Mac!);
    tampered[0] = (tampered[0] + 1) % 256;
    await expect(client.send(new VerifyMacCommand({ KeyId: MAC_KEY.keyId, Message: message, Mac: tampered, MacAlgorithm: 'HMAC_SHA_256' })))
      .rejects.toMatchObject({ name: 'KMSInvalidMacException', $metadata: { httpStatusCode: 400 } });
    await expect(client.send(new VerifyMacCommand({ KeyId: MAC_KEY.keyId, Message: Buffer.from('bob'), Mac, MacAlgorithm: 'HMAC_SHA_256' })))
      .rejects.toMatchObject({ name: 'KMSInvalidMacException' });
    await expect(client.send(new VerifyMacCommand({ KeyId: MAC_KEY.keyId, Message: message, Mac: Mac!.subarray(0, 16), MacAlgorithm: 'HMAC_SHA_256' })))
      .rejects.toMatchObject({ name: 'KMSInvalidMacException' });
  });

  test('each HMAC key spec has its MAC length and its one algorithm', async () => {
    const { Mac } = await client.send(new GenerateMacCommand({ KeyId: MAC_512_KEY.keyId, Message: message, MacAlgorithm: 'HMAC_SHA_512' }));
    expect(Mac).toHaveLength(64);
    await expect(client.send(new GenerateMacCommand({ KeyId: MAC_512_KEY.keyId, Message: message, MacAlgorithm: 'HMAC_SHA_256' })))
      .rejects.toMatchObject({ name: 'InvalidKeyUsageException' });
  });

  test('a message over 4 KiB is a ValidationException', async () => {
    await expect(client.send(new GenerateMacCommand({ KeyId: MAC_KEY.keyId, Message: Buffer.alloc(4097), MacAlgorithm: 'HMAC_SHA_256' })))
      .rejects.toMatchObject({ name: 'ValidationException' });
  });
});

describe('signing', () => {
  test('a signature verifies in KMS and locally with the public key', async () => {
    const { Signature, SigningAlgorithm } = await client.send(new SignCommand({
      KeyId: SIGNING_KEY.keyId, Message: message, MessageType: 'RAW', SigningAlgorithm: 'ECDSA_SHA_256',
    }));
    expect(SigningAlgorithm).toBe('ECDSA_SHA_256');
    const verified = await client.send(new VerifyCommand({ KeyId: SIGNING_KEY.arn, Message: message, Signature, SigningAlgorithm: 'ECDSA_SHA_256' }));
    expect(verified.SignatureValid).toBe(true);

    const { PublicKey, KeySpec, SigningAlgorithms } = await client.send(new GetPublicKeyCommand({ KeyId: SIGNING_KEY.keyId }));
    expect([KeySpec, SigningAlgorithms]).toEqual(['ECC_NIST_P256', ['ECDSA_SHA_256']]);
    const publicKey = createPublicKey({ key: Buffer.from(PublicKey!), format: 'der', type: 'spki' });
    expect(publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expect(verify('sha256', message, { key: publicKey, dsaEncoding: 'der' }, Signature!)).toBe(true);
  });

  test('a DIGEST signature is a signature of the message it digests', async () => {
    const digest = createHash('sha256').update(message).digest();
    const { Signature } = await client.send(new SignCommand({ KeyId: SIGNING_KEY.keyId, Message: digest, MessageType: 'DIGEST', SigningAlgorithm: 'ECDSA_SHA_256' }));
    const { PublicKey } = await client.send(new GetPublicKeyCommand({ KeyId: SIGNING_KEY.keyId }));
    const publicKey = createPublicKey({ key: Buffer.from(PublicKey!), format: 'der', type: 'spki' });
    expect(verify('sha256', message, { key: publicKey, dsaEncoding: 'der' }, Signature!)).toBe(true);
    const verified = await client.send(new VerifyCommand({ KeyId: SIGNING_KEY.keyId, Message: message, Signature, SigningAlgorithm: 'ECDSA_SHA_256' }));
    expect(verified.SignatureValid).toBe(true);
    await expect(client.send(new SignCommand({ KeyId: SIGNING_KEY.keyId, Message: digest.subarray(1), MessageType: 'DIGEST', SigningAlgorithm: 'ECDSA_SHA_256' })))
      .rejects.toMatchObject({ name: 'ValidationException' });
  });

  test('a signature of another message is a KMSInvalidSignatureException', async () => {
    const { Signature } = await client.send(new SignCommand({ KeyId: SIGNING_KEY.keyId, Message: message, SigningAlgorithm: 'ECDSA_SHA_256' }));
    await expect(client.send(new VerifyCommand({ KeyId: SIGNING_KEY.keyId, Message: Buffer.from('bob'), Signature, SigningAlgorithm: 'ECDSA_SHA_256' })))
      .rejects.toMatchObject({ name: 'KMSInvalidSignatureException' });
    await expect(client.send(new VerifyCommand({ KeyId: SIGNING_KEY.keyId, Message: message, Signature: Buffer.from('junk'), SigningAlgorithm: 'ECDSA_SHA_256' })))
      .rejects.toMatchObject({ name: 'KMSInvalidSignatureException' });
    const digest = createHash('sha256').update('bob').digest();
    await expect(client.send(new VerifyCommand({ KeyId: SIGNING_KEY.keyId, Message: digest, MessageType: 'DIGEST', Signature, SigningAlgorithm: 'ECDSA_SHA_256' })))
      .rejects.toMatchObject({ name: 'KMSInvalidSignatureException' });
  });

  test('an algorithm the key does not support is an InvalidKeyUsageException', async () => {
    await expect(client.send(new SignCommand({ KeyId: SIGNING_KEY.keyId, Message: message, SigningAlgorithm: 'ECDSA_SHA_384' })))
      .rejects.toMatchObject({ name: 'InvalidKeyUsageException' });
  });
});

describe('encryption', () => {
  test('a ciphertext decrypts to the plaintext, given the same encryption context in any order', async () => {
    const plaintext = Buffer.from('a secret');
    const { CiphertextBlob, KeyId } = await client.send(new EncryptCommand({
      KeyId: DATA_KEY.keyId, Plaintext: plaintext, EncryptionContext: { table: 'state', user: 'alice' },
    }));
    expect(KeyId).toBe(DATA_KEY.arn);
    expect(Buffer.from(CiphertextBlob!).includes(plaintext)).toBe(false);
    const decrypted = await client.send(new DecryptCommand({ CiphertextBlob, EncryptionContext: { user: 'alice', table: 'state' } }));
    expect(Buffer.from(decrypted.Plaintext!)).toEqual(plaintext);
    expect(decrypted.KeyId).toBe(DATA_KEY.arn);
  });

  test('another context, a tampered blob or another key cannot decrypt', async () => {
    const { CiphertextBlob } = await client.send(new EncryptCommand({ KeyId: DATA_KEY.keyId, Plaintext: Buffer.from('x'), EncryptionContext: { user: 'alice' } }));
    await expect(client.send(new DecryptCommand({ CiphertextBlob, EncryptionContext: { user: 'bob' } })))
      .rejects.toMatchObject({ name: 'InvalidCiphertextException' });
    const tampered = Uint8Array.from(CiphertextBlob!);
    tampered[tampered.length - 1] = (tampered[tampered.length - 1] + 1) % 256;
    await expect(client.send(new DecryptCommand({ CiphertextBlob: tampered, EncryptionContext: { user: 'alice' } })))
      .rejects.toMatchObject({ name: 'InvalidCiphertextException' });
    await expect(client.send(new DecryptCommand({ CiphertextBlob, KeyId: OTHER_DATA_KEY.keyId, EncryptionContext: { user: 'alice' } })))
      .rejects.toMatchObject({ name: 'IncorrectKeyException' });
    await expect(client.send(new DecryptCommand({ CiphertextBlob: Buffer.from('not a blob') })))
      .rejects.toMatchObject({ name: 'InvalidCiphertextException' });
  });
});

describe('keys', () => {
  test('DescribeKey tells the key spec, usage and algorithms', async () => {
    const { KeyMetadata } = await client.send(new DescribeKeyCommand({ KeyId: MAC_KEY.arn }));
    expect(KeyMetadata).toMatchObject({
      KeyId: MAC_KEY.keyId,
      Arn: MAC_KEY.arn,
      AWSAccountId: '123456789012',
      KeySpec: 'HMAC_256',
      KeyUsage: 'GENERATE_VERIFY_MAC',
      KeyState: 'Enabled',
      Enabled: true,
      MacAlgorithms: ['HMAC_SHA_256'],
    });
    expect(KeyMetadata?.CreationDate).toBeInstanceOf(Date);
  });

  test('an unknown key or alias is a NotFoundException', async () => {
    await expect(client.send(new DescribeKeyCommand({ KeyId: '99999999-9999-4999-8999-999999999999' })))
      .rejects.toMatchObject({ name: 'NotFoundException' });
    await expect(client.send(new DescribeKeyCommand({ KeyId: 'alias/app-key' })))
      .rejects.toMatchObject({ name: 'NotFoundException', message: 'Alias alias/app-key is not found.' });
    await expect(client.send(new DescribeKeyCommand({ KeyId: 'arn:aws:kms:us-east-1:123456789012:alias/app-key' })))
      .rejects.toMatchObject({ name: 'NotFoundException' });
  });

  test('a key used for another purpose is an InvalidKeyUsageException', async () => {
    await expect(client.send(new EncryptCommand({ KeyId: MAC_KEY.keyId, Plaintext: message })))
      .rejects.toMatchObject({ name: 'InvalidKeyUsageException' });
    await expect(client.send(new GenerateMacCommand({ KeyId: DATA_KEY.keyId, Message: message, MacAlgorithm: 'HMAC_SHA_256' })))
      .rejects.toMatchObject({ name: 'InvalidKeyUsageException' });
    await expect(client.send(new SignCommand({ KeyId: MAC_KEY.keyId, Message: message, SigningAlgorithm: 'ECDSA_SHA_256' })))
      .rejects.toMatchObject({ name: 'InvalidKeyUsageException' });
  });

  test('symmetric keys have no public key, and other operations are unsupported', async () => {
    await expect(client.send(new GetPublicKeyCommand({ KeyId: DATA_KEY.keyId })))
      .rejects.toMatchObject({ name: 'UnsupportedOperationException' });
    await expect(client.send(new GenerateDataKeyCommand({ KeyId: DATA_KEY.keyId, KeySpec: 'AES_256' })))
      .rejects.toMatchObject({ name: 'UnsupportedOperationException', message: expect.stringMatching(/GenerateDataKey/) });
  });

  test('a key spec the local KMS does not implement is described but cannot be used', async () => {
    const { KeyMetadata } = await client.send(new DescribeKeyCommand({ KeyId: RSA_KEY.keyId }));
    expect(KeyMetadata?.KeySpec).toBe('RSA_2048');
    await expect(client.send(new SignCommand({ KeyId: RSA_KEY.keyId, Message: message, SigningAlgorithm: 'RSASSA_PSS_SHA_256' })))
      .rejects.toMatchObject({ name: 'UnsupportedOperationException', message: 'The local KMS cannot use RSA_2048 keys' });
  });
});

test('a request that is not an AWS JSON KMS call is refused with a 400', async () => {
  const post = (headers: Record<string, string>, body: string) => fetch(kms.endpoint, { method: 'POST', headers, body });
  const json = 'application/x-amz-json-1.1';
  const noTarget = await post({ 'content-type': json }, '{}');
  expect([noTarget.status, (await noTarget.json()).__type]).toEqual([400, 'UnknownOperationException']);
  const notJson = await post({ 'content-type': json, 'x-amz-target': 'TrentService.DescribeKey' }, 'KeyId=x');
  expect([notJson.status, (await notJson.json()).__type]).toEqual([400, 'SerializationException']);
});

test('calls are counted by operation, failed ones included', async () => {
  await client.send(new DescribeKeyCommand({ KeyId: DATA_KEY.keyId }));
  await client.send(new GenerateMacCommand({ KeyId: MAC_KEY.keyId, Message: message, MacAlgorithm: 'HMAC_SHA_256' }));
  await expect(client.send(new DescribeKeyCommand({ KeyId: 'alias/none' }))).rejects.toThrow();
  expect(kms.calls()).toEqual({ DescribeKey: 2, GenerateMac: 1 });
});

test('an injected error reaches the SDK under its code, the given number of times', async () => {
  kms.failNext('GenerateMac', { code: 'KMSInvalidStateException', message: 'key is pending deletion' }, 2);
  const generate = () => client.send(new GenerateMacCommand({ KeyId: MAC_KEY.keyId, Message: message, MacAlgorithm: 'HMAC_SHA_256' }));
  await expect(generate()).rejects.toMatchObject({ name: 'KMSInvalidStateException', message: 'key is pending deletion' });
  await expect(generate()).rejects.toMatchObject({ name: 'KMSInvalidStateException' });
  await expect(generate()).resolves.toMatchObject({ MacAlgorithm: 'HMAC_SHA_256' });
});

test('a client finds it through AWS_ENDPOINT_URL_KMS', async () => {
  await withEnv('AWS_ENDPOINT_URL_KMS', kms.endpoint, async () => {
    const fromEnv = new KMSClient(LOCAL_CLIENT);
    try {
      const { KeyMetadata } = await fromEnv.send(new DescribeKeyCommand({ KeyId: SIGNING_KEY.keyId }));
      expect(KeyMetadata?.SigningAlgorithms).toEqual(['ECDSA_SHA_256']);
    } finally {
      fromEnv.destroy();
    }
  });
  expect(kms.calls()).toEqual({ DescribeKey: 1 });
});

test('after stop the port is free', async () => {
  await kms.stop();
  expect(await portIsFree(kms.endpoint)).toBe(true);
});
