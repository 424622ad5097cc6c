import { GetPublicKeyCommand, KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { mockedSdkClient } from './support/mocked-sdk-client';
import { newP256Key } from './support/p256-key';
import { createLinkSigner, createLinkVerifier } from '../../lambda/core/link-signature';

const KEY_ARN = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const kms = mockedSdkClient(KMSClient);
const key = newP256Key();
const message = Buffer.from('cdk-passwordless/magic-link/v1\nus-east-1_TestPool\nuser\npayload');

describe('createLinkSigner', () => {
  test('signs the raw message with ECDSA_SHA_256 in KMS and returns r||s that verifies', async () => {
    kms.on(SignCommand).callsFake((input) => ({ KeyId: KEY_ARN, Signature: key.signDer(input.Message) }));
    const signature = await createLinkSigner(KEY_ARN)(message);
    expect(kms.commandCalls(SignCommand)).toHaveLength(1);
    expect(kms.commandCalls(SignCommand)[0].args[0].input).toEqual({
      KeyId: KEY_ARN,
      Message: message,
      MessageType: 'RAW',
      SigningAlgorithm: 'ECDSA_SHA_256',
    });
    expect(signature).toHaveLength(64);
    expect(key.verifyRaw(message, signature)).toBe(true);
  });

  test('an answer without a signature is an error', async () => {
    kms.on(SignCommand).resolves({ KeyId: KEY_ARN });
    await expect(createLinkSigner(KEY_ARN)(message)).rejects.toThrow('KMS returned no signature');
  });

  test('a KMS failure reaches the caller', async () => {
    kms.on(SignCommand).rejects(Object.assign(new Error('disabled'), { name: 'DisabledException' }));
    await expect(createLinkSigner(KEY_ARN)(message)).rejects.toThrow('disabled');
  });
});

describe('createLinkVerifier', () => {
  const publicKeyAnswer = { KeyId: KEY_ARN, KeySpec: 'ECC_NIST_P256' as const, PublicKey: key.publicKeyDer };

  test('fetches the public key once for many verifications, concurrent ones included', async () => {
    kms.on(GetPublicKeyCommand).resolves(publicKeyAnswer);
    const verifySignature = createLinkVerifier(KEY_ARN);
    const signature = key.signRaw(message);
    const results = await Promise.all(Array.from({ length: 20 }, () => verifySignature(message, signature)));
    for (let i = 0; i < 20; i++) results.push(await verifySignature(message, signature));
    expect(results.every(Boolean)).toBe(true);
    expect(kms.commandCalls(GetPublicKeyCommand)).toHaveLength(1);
    expect(kms.commandCalls(GetPublicKeyCommand)[0].args[0].input).toEqual({ KeyId: KEY_ARN });
  });

  test('verifies locally: a wrong message or another key\'s signature is false', async () => {
    kms.on(GetPublicKeyCommand).resolves(publicKeyAnswer);
    const verifySignature = createLinkVerifier(KEY_ARN);
    expect(await verifySignature(Buffer.from('other message'), key.signRaw(message))).toBe(false);
    expect(await verifySignature(message, newP256Key().signRaw(message))).toBe(false);
    expect(await verifySignature(message, Buffer.alloc(64))).toBe(false);
    expect(kms.commandCalls(SignCommand)).toHaveLength(0);
  });

  test('refuses the high-s twin of a valid signature, which plain ECDSA would accept', async () => {
    kms.on(GetPublicKeyCommand).resolves(publicKeyAnswer);
    const verifySignature = createLinkVerifier(KEY_ARN);
    const signature = key.signRaw(message);
    const order = BigInt('0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551');
    const highS = order - BigInt(`0x${signature.subarray(32).toString('hex')}`);
    const twin = Buffer.concat([signature.subarray(0, 32), Buffer.from(highS.toString(16).padStart(64, '0'), 'hex')]);
    expect(key.verifyRaw(message, twin)).toBe(true);
    expect(await verifySignature(message, signature)).toBe(true);
    expect(await verifySignature(message, twin)).toBe(false);
  });

  test('a failed fetch is retried by the next verification', async () => {
    kms.on(GetPublicKeyCommand)
      .rejectsOnce(Object.assign(new Error('throttled'), { name: 'ThrottlingException' }))
      .resolves(publicKeyAnswer);
    const verifySignature = createLinkVerifier(KEY_ARN);
    await expect(verifySignature(message, key.signRaw(message))).rejects.toThrow('throttled');
    expect(await verifySignature(message, key.signRaw(message))).toBe(true);
    expect(await verifySignature(message, key.signRaw(message))).toBe(true);
    expect(kms.commandCalls(GetPublicKeyCommand)).toHaveLength(2);
  });

  test.each([
    ['an RSA key', { KeySpec: 'RSA_2048' as const }],
    ['a P-384 key', { KeySpec: 'ECC_NIST_P384' as const }],
    ['an answer without a public key', { KeySpec: 'ECC_NIST_P256' as const, PublicKey: undefined }],
  ])('refuses %s', async (_, answer) => {
    kms.on(GetPublicKeyCommand).resolves({ ...publicKeyAnswer, ...answer });
    await expect(createLinkVerifier(KEY_ARN)(message, key.signRaw(message)))
      .rejects.toThrow('The magic-link key must be an ECC_NIST_P256 signing key');
  });
});
