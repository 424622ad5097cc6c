// Case 12 on POST /magic-link without auto sign-up (R17): an address with an account and one without get the same
// status, headers and body, and response times that a Mann-Whitney U test cannot tell apart (n >= 200 per group,
// a fresh address for every request so that no send cooldown applies).
import { apiShape, existingEmails, freshEmail, latestTokenTo, postApi, redeemToken } from './support/adversary';
import { useSecuritySandbox } from './support/security-sandbox';
import { compareTimings, timed, TIMING_P_THRESHOLD, TIMING_SAMPLES } from './support/timing';

jest.setTimeout(300_000);

const context = useSecuritySandbox({
  // Without auto sign-up an unknown address gets nothing at all: the classic enumeration target.
  example: { autoSignUp: false },
  functionEnvironment: { SEND_COOLDOWN_SECONDS: '10', MAX_REQUESTS_PER_IP_PER_MINUTE: '1000' },
});

const WARMUP = 10;

function requestLink(email: string) {
  return postApi(context.sandbox, 'magic-link', { email, redirectUri: context.sandbox.info.redirectUris[0] });
}

describe('POST /magic-link for existing and unknown addresses', () => {
  it('case 12: POST /magic-link answers an existing and an unknown address with the same status, headers and body, and sends only to the existing one, whose link works', async () => {
    // Given
    const [existing] = await existingEmails(context, 1);
    const unknown = freshEmail();
    const before = context.sandbox.outbox().length;

    // When
    const known = await requestLink(existing);
    const stranger = await requestLink(unknown);

    // Then
    expect(apiShape(stranger)).toEqual(apiShape(known));
    expect(known.status).toBe(202);
    const sent = context.sandbox.outbox().slice(before);
    expect(sent.map((message) => message.to)).toEqual([[existing]]);
    const done = await redeemToken(context, existing, latestTokenTo(context.sandbox, existing));
    expect(done.AuthenticationResult?.AccessToken).toBeDefined();
  });

  it('case 12: POST /magic-link response times do not tell existing from unknown addresses (Mann-Whitney U, n >= 200 per group)', async () => {
    // Given
    const existing = await existingEmails(context, TIMING_SAMPLES + WARMUP);
    const before = context.sandbox.outbox().length;
    const request = (email: string) => timed(async () => expect((await requestLink(email)).status).toBe(202));

    // When
    const result = await compareTimings({
      path: 'POST /magic-link (no auto sign-up)',
      warmup: WARMUP,
      existing: (index) => request(existing[index + WARMUP]),
      unknown: () => request(freshEmail()),
    });

    // Then: a link for every existing address, nothing for the unknown ones, and alike times
    expect(context.sandbox.outbox().length - before).toBe(TIMING_SAMPLES + WARMUP);
    expect(result.test.p).toBeGreaterThanOrEqual(TIMING_P_THRESHOLD);
  });
});
