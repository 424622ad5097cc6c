import { createHash, generateKeyPairSync, sign, verify } from 'node:crypto';
import { signDigest, verifyDigest } from '../../../sandbox/backends/ecdsa-p256';

const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const message = Buffer.from('sign in as alice@example.com');
const digest = createHash('sha256').update(message).digest();

test('a signature of the digest is what node:crypto accepts for the message', () => {
  for (let i = 0; i < 5; i++) {
    expect(verify('sha256', message, { key: publicKey, dsaEncoding: 'der' }, signDigest(privateKey, digest))).toBe(true);
  }
});

test('a signature node:crypto made for the message verifies against its digest', () => {
  expect(verifyDigest(publicKey, digest, sign('sha256', message, { key: privateKey, dsaEncoding: 'der' }))).toBe(true);
});

test('another digest, another key or an altered signature does not verify', () => {
  const signature = signDigest(privateKey, digest);
  const other = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey;
  const altered = Buffer.from(signature);
  altered[altered.length - 1] = (altered[altered.length - 1] + 1) % 256;
  expect(verifyDigest(publicKey, createHash('sha256').update('other').digest(), signature)).toBe(false);
  expect(verifyDigest(other, digest, signature)).toBe(false);
  expect(verifyDigest(publicKey, digest, altered)).toBe(false);
});

test('malformed DER does not verify', () => {
  const signature = signDigest(privateKey, digest);
  expect(verifyDigest(publicKey, digest, Buffer.alloc(0))).toBe(false);
  expect(verifyDigest(publicKey, digest, Buffer.concat([signature, Buffer.from([0])]))).toBe(false);
  expect(verifyDigest(publicKey, digest, signature.subarray(0, signature.length - 1))).toBe(false);
});
