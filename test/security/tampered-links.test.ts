// Case 9: tampered magic-link tokens (R12, R13). A token with any byte or field changed, in another encoding,
// truncated, with extra parts, or signed by a key that is not this pool's (a validly shaped ECDSA P-256 signature
// made with a key generated here) is refused with the same error as any refused link, and the genuine link still
// signs in afterwards.
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { freshEmail, latestTokenTo, outcomeOf, redeemToken } from './support/adversary';
import { useSecuritySandbox } from './support/security-sandbox';
import { signedMessage } from '../../lambda/core/magic-link-token';
import { seedUser } from '../e2e/support/example-sandbox';
import { newLink } from '../e2e/support/magic-links';

jest.setTimeout(120_000);

const context = useSecuritySandbox({
  functionEnvironment: { SEND_COOLDOWN_SECONDS: '10', MAX_REQUESTS_PER_IP_PER_MINUTE: '1000' },
});

/** The order of the P-256 group: (r, n - s) is the other valid signature of any (r, s). */
const P256_ORDER = BigInt('0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551');

/** The token's two parts, decoded: [version][expiry, uint32 BE][16-byte nonce][email] and the 64-byte r||s. */
function split(token: string): { payload: Buffer; signature: Buffer } {
  const [payload, signature] = token.split('.');
  return { payload: Buffer.from(payload, 'base64url'), signature: Buffer.from(signature, 'base64url') };
}

function join(payload: Buffer, signature: Buffer): string {
  return `${payload.toString('base64url')}.${signature.toString('base64url')}`;
}

/** The token with its payload changed and its genuine signature kept. */
function withPayload(token: string, change: (payload: Buffer) => Buffer): string {
  const { payload, signature } = split(token);
  return join(change(Buffer.from(payload)), signature);
}

/** The token with its signature changed. */
function withSignature(token: string, change: (signature: Buffer) => Buffer): string {
  const { payload, signature } = split(token);
  return join(payload, change(Buffer.from(signature)));
}

function setByte(offset: number, value: number) {
  return (payload: Buffer) => {
    payload.writeUInt8(value, offset);
    return payload;
  };
}

function setExpiry(change: (expiresAt: number) => number) {
  return (payload: Buffer) => {
    payload.writeUInt32BE(Math.max(0, Math.min(0xffffffff, change(payload.readUInt32BE(1)))), 1);
    return payload;
  };
}

function setEmail(change: (email: string) => string) {
  return (payload: Buffer) => Buffer.concat([payload.subarray(0, 21), Buffer.from(change(payload.subarray(21).toString('utf-8')), 'utf-8')]);
}

/** r||s of a P-256 signature with `key` over this pool's and user's signed message for `payload`. */
function signWith(key: KeyObject, userPoolId: string, username: string, payload: Buffer): Buffer {
  return sign('sha256', signedMessage(userPoolId, username, payload.toString('base64url')), { key, dsaEncoding: 'ieee-p1363' });
}

/** A link of a new user with a verified email: the email, the username and the genuine token. */
async function genuineLink(): Promise<{ email: string; username: string; token: string }> {
  const email = freshEmail();
  const username = await seedUser(context.sandbox, { email });
  await newLink(context.sandbox, email);
  return { email, username, token: latestTokenTo(context.sandbox, email) };
}

/** Redeems `token` as the docs say; how it ended, with every token it gave kept secret. */
async function redeem(email: string, token: string) {
  if (token.length >= 6) context.keepSecret(token);
  return outcomeOf(() => redeemToken(context, email, token));
}

/** What every refused link gets: the error of a token that is plainly not one. */
let refusal: { name: string; message: string } | undefined;
async function expectRefused(email: string, token: string): Promise<void> {
  if (!refusal) {
    const plain = await redeem(email, 'not-a-token');
    refusal = plain.ok ? undefined : { name: plain.name, message: plain.message };
    expect(refusal?.name).toBe('NotAuthorizedException');
  }
  const outcome = await redeem(email, token);
  expect(outcome.ok ? { signedIn: true } : { name: outcome.name, message: outcome.message }).toEqual(refusal);
}

async function expectGenuineWorks(email: string, token: string): Promise<void> {
  const outcome = await redeem(email, token);
  expect(outcome.ok && outcome.value.AuthenticationResult?.AccessToken).toBeTruthy();
}

type Tamper = (token: string) => string;

const TAMPERED: [string, Tamper][] = [
  // Each field of the payload, with the genuine signature
  ['version 0', (token) => withPayload(token, setByte(0, 0))],
  ['version 2', (token) => withPayload(token, setByte(0, 2))],
  ['version 255', (token) => withPayload(token, setByte(0, 255))],
  ['the expiry one second later', (token) => withPayload(token, setExpiry((at) => at + 1))],
  ['the expiry a year later', (token) => withPayload(token, setExpiry((at) => at + 365 * 86_400))],
  ['the largest expiry', (token) => withPayload(token, setExpiry(() => 0xffffffff))],
  ['the expiry 0', (token) => withPayload(token, setExpiry(() => 0))],
  ['a nonce of zeros', (token) => withPayload(token, (payload) => payload.fill(0, 5, 21))],
  ['the nonce reversed', (token) => withPayload(token, (payload) => Buffer.concat([payload.subarray(0, 5), Buffer.from(payload.subarray(5, 21)).reverse(), payload.subarray(21)]))],
  ['the email in upper case', (token) => withPayload(token, setEmail((email) => email.toUpperCase()))],
  ['another user\'s email', (token) => withPayload(token, setEmail(() => freshEmail('other')))],
  ['the email with a trailing space', (token) => withPayload(token, setEmail((email) => `${email} `))],
  ['the email with a NUL and another address', (token) => withPayload(token, setEmail((email) => `${email}\u0000attacker@evil.example`))],
  ['no email', (token) => withPayload(token, (payload) => payload.subarray(0, 21))],
  // The signature
  ['a signature of zeros', (token) => withSignature(token, (signature) => signature.fill(0))],
  ['r and s swapped', (token) => withSignature(token, (signature) => Buffer.concat([signature.subarray(32), signature.subarray(0, 32)]))],
  ['the mirrored signature (r, n - s), the other valid signature of the same payload', (token) => withSignature(token, (signature) => {
    const s = BigInt(`0x${signature.subarray(32).toString('hex')}`);
    return Buffer.concat([signature.subarray(0, 32), Buffer.from((P256_ORDER - s).toString(16).padStart(64, '0'), 'hex')]);
  })],
  ['s out of range (all ones, above the group order)', (token) => withSignature(token, (signature) => signature.fill(0xff, 32))],
  ['a DER-encoded signature instead of r||s', (token) => withSignature(token, (signature) => Buffer.concat([
    Buffer.from([0x30, 0x44, 0x02, 0x20]),
    signature.subarray(0, 32),
    Buffer.from([0x02, 0x20]),
    signature.subarray(32),
  ]))],
  ['one byte more signature', (token) => withSignature(token, (signature) => Buffer.concat([signature, Buffer.from([0])]))],
  // Encodings
  ['standard base64 with padding', (token) => token.split('.').map((part) => Buffer.from(part, 'base64url').toString('base64')).join('.')],
  ['a trailing "="', (token) => `${token}=`],
  ['unused trailing bits set in the last character', (token) => {
    // 64 bytes are 85 characters and 2 bits: the last character carries 4 unused bits, which a strict decoder refuses.
    const last = token[token.length - 1];
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const index = alphabet.indexOf(last);
    return token.slice(0, -1) + alphabet[index - (index % 16) + 15];
  }],
  ['the dot percent-encoded', (token) => token.replace('.', '%2E')],
  ['surrounding whitespace', (token) => ` ${token}\n`],
  ['upper case', (token) => token.toUpperCase()],
  // Truncations and extra parts
  ['the last character cut', (token) => token.slice(0, -1)],
  ['the last 43 characters cut', (token) => token.slice(0, -43)],
  ['only the payload', (token) => token.split('.')[0]],
  ['only the payload and the dot', (token) => `${token.split('.')[0]}.`],
  ['only the signature', (token) => token.split('.')[1]],
  ['an empty payload', (token) => `.${token.split('.')[1]}`],
  ['a trailing dot', (token) => `${token}.`],
  ['a leading dot', (token) => `.${token}`],
  ['two dots in the middle', (token) => token.replace('.', '..')],
  ['a third part', (token) => `${token}.${token.split('.')[1]}`],
  ['the token twice', (token) => `${token}${token}`],
];

describe('tampered magic-link tokens', () => {
  it.each(TAMPERED)('case 9: a token with %s is refused, and the genuine link still signs in afterwards', async (_case, tamper) => {
    // Given
    const link = await genuineLink();
    const tampered = tamper(link.token);
    expect(tampered).not.toBe(link.token);

    // When / Then
    await expectRefused(link.email, tampered);
    await expectGenuineWorks(link.email, link.token);
  });

  it('case 9: changing any one byte of the payload or of the signature is refused every time, and the genuine link still signs in afterwards', async () => {
    // Given
    const link = await genuineLink();
    const { payload, signature } = split(link.token);

    // When / Then: every byte position, in both parts
    for (let offset = 0; offset < payload.length; offset++) {
      const flipped = Buffer.from(payload);
      flipped[offset] = (flipped[offset] + 1) % 256;
      await expectRefused(link.email, join(flipped, signature));
    }
    for (let offset = 0; offset < signature.length; offset++) {
      const flipped = Buffer.from(signature);
      flipped[offset] = (flipped[offset] + 128) % 256;
      await expectRefused(link.email, join(payload, flipped));
    }
    await expectGenuineWorks(link.email, link.token);
  });

  it('case 9: validly shaped P-256 signatures by a key that is not the pool\'s, bound to this pool and user, are refused, and the genuine link still signs in', async () => {
    // Given: an attacker's own key (as another pool's would be)
    const link = await genuineLink();
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const { payload } = split(link.token);
    const poolId = context.sandbox.info.userPoolId;
    const later = setExpiry((at) => at + 365 * 86_400)(Buffer.from(payload));
    const forged = [
      join(payload, signWith(privateKey, poolId, link.username, payload)),
      join(later, signWith(privateKey, poolId, link.username, later)),
      // A token another pool (us-east-1_Other) would issue for this address with its own key
      join(payload, signWith(privateKey, 'us-east-1_OtherPool', link.username, payload)),
    ];

    // When / Then
    for (const token of forged) {
      expect(split(token).signature).toHaveLength(64);
      await expectRefused(link.email, token);
    }
    await expectGenuineWorks(link.email, link.token);
  });
});
