// Case 12 on the API with auto sign-up on (R17): POST /sign-in and POST /magic-link answer an address that has an
// account and one that has none (and gets one created) with the same status, headers and body shape, and response
// times that a Mann-Whitney U test cannot tell apart (n >= 200 per group, a fresh address for every request).
import { apiShape, existingEmails, freshEmail, postApi, UUID, type RawResponse } from './support/adversary';
import { useSecuritySandbox } from './support/security-sandbox';
import { compareTimings, timed, TIMING_P_THRESHOLD, TIMING_SAMPLES } from './support/timing';

jest.setTimeout(300_000);

const context = useSecuritySandbox({
  functionEnvironment: { SEND_COOLDOWN_SECONDS: '10', MAX_REQUESTS_PER_IP_PER_MINUTE: '1000' },
});

/** Enough creations for the handlers' moving estimate of a creation (the wait existing users get) to settle. */
const WARMUP = 25;

type Route = 'sign-in' | 'magic-link';

function post(route: Route, email: string): Promise<RawResponse> {
  return route === 'sign-in'
    ? postApi(context.sandbox, 'sign-in', { identifier: email, channel: 'email' })
    : postApi(context.sandbox, 'magic-link', { email, redirectUri: context.sandbox.info.redirectUris[0] });
}

/** POST /sign-in's body with the session and the username masked to their shape; the session is kept secret. */
function masked(body: unknown): unknown {
  const { session, challengeParameters, ...rest } = body as { session?: string; challengeParameters?: Record<string, string> };
  context.keepSecret(session);
  return {
    ...rest,
    session: typeof session,
    challengeParameters: challengeParameters && { ...challengeParameters, USERNAME: UUID.test(challengeParameters.USERNAME ?? '') },
  };
}

describe('the API with auto sign-up, for existing and new addresses', () => {
  it.each(['sign-in', 'magic-link'] as Route[])('case 12: POST /%s answers an existing and a new address with the same status, headers and body shape', async (route) => {
    // Given
    const [existing] = await existingEmails(context, 1);
    const fresh = freshEmail();

    // When
    const known = await post(route, existing);
    const stranger = await post(route, fresh);

    // Then
    expect(apiShape(stranger, masked)).toEqual(apiShape(known, masked));
    expect(known.status).toBe(route === 'sign-in' ? 200 : 202);
    if (route === 'sign-in') {
      expect(apiShape(known, masked).body).toEqual({
        session: 'string',
        challengeName: 'CUSTOM_CHALLENGE',
        challengeParameters: { challenge: 'CODE', codeLength: '6', USERNAME: true },
      });
    }
  });

  it('case 12: POST /sign-in response times do not tell existing from new addresses (Mann-Whitney U, n >= 200 per group)', async () => {
    await expectAlikeTimes('sign-in');
  });

  it('case 12: POST /magic-link (auto sign-up) response times do not tell existing from new addresses (Mann-Whitney U, n >= 200 per group)', async () => {
    await expectAlikeTimes('magic-link');
  });
});

async function expectAlikeTimes(route: Route): Promise<void> {
  // Given
  const existing = await existingEmails(context, TIMING_SAMPLES + WARMUP);
  const request = (email: string) => timed(async () => {
    const response = await post(route, email);
    expect(response.status).toBe(route === 'sign-in' ? 200 : 202);
    masked(JSON.parse(response.text));
  });

  // When
  const result = await compareTimings({
    path: `POST /${route} (auto sign-up)`,
    warmup: WARMUP,
    existing: (index) => request(existing[index + WARMUP]),
    unknown: () => request(freshEmail()),
  });

  // Then
  expect(result.existing).toHaveLength(TIMING_SAMPLES);
  expect(result.test.p).toBeGreaterThanOrEqual(TIMING_P_THRESHOLD);
}
