// Case 19: the per-IP limit holds when the client claims another address on every request (R9). With a limit of 3
// requests per minute, requests whose X-Forwarded-For, X-Real-IP, Forwarded and similar headers change every time
// still come from one connection address (127.0.0.1 here): the 4th and later in the minute get a 429 on POST
// /magic-link and POST /sign-in, and send nothing and create no user.
import { freshEmail, messageOf, postApi, sleep, type RawResponse } from './support/adversary';
import { useSecuritySandbox } from './support/security-sandbox';

jest.setTimeout(120_000);

const LIMIT = 3;

const context = useSecuritySandbox({
  functionEnvironment: { MAX_REQUESTS_PER_IP_PER_MINUTE: String(LIMIT), SEND_COOLDOWN_SECONDS: '10' },
});

/** Headers that claim another client address, different on every request `index`. */
function spoofed(index: number): Record<string, string> {
  return {
    'X-Forwarded-For': `203.0.113.${index + 1}, 2001:db8:${index.toString(16)}::1`,
    'X-Real-IP': `198.51.100.${index + 1}`,
    'Forwarded': `for=192.0.2.${index + 1};proto=https, for="[2001:db8:cafe:${index.toString(16)}::17]"`,
    'True-Client-IP': `203.0.113.${index + 101}`,
    'CF-Connecting-IP': `203.0.113.${index + 151}`,
    'X-Client-IP': `198.51.100.${index + 101}`,
    'X-Cluster-Client-IP': `198.51.100.${index + 151}`,
    'Client-IP': `192.0.2.${index + 101}`,
  };
}

/**
 * Waits until at least 15 seconds of the current minute are left: the limit counts per calendar minute, and the
 * requests of one test must fall into one minute.
 */
async function startOfAMinute(): Promise<void> {
  const intoMinute = Date.now() % 60_000;
  if (intoMinute > 45_000) await sleep(60_000 - intoMinute + 200);
}

type Route = 'magic-link' | 'sign-in';

function post(route: Route, index: number): Promise<RawResponse> {
  const email = freshEmail();
  const body = route === 'magic-link'
    ? { email, redirectUri: context.sandbox.info.redirectUris[0] }
    : { identifier: email, channel: 'email' };
  return postApi(context.sandbox, route, body, spoofed(index));
}

describe('the per-IP limit and forwarded-address headers', () => {
  it.each(['magic-link', 'sign-in'] as Route[])('case 19: POST /%s answers 429 after the limit although every request claims another address, and sends nothing more', async (route) => {
    // Given
    await startOfAMinute();
    const accepted: number[] = [];
    for (let index = 0; index < LIMIT; index++) {
      const response = await post(route, index);
      context.keepSecret((JSON.parse(response.text) as { session?: string }).session);
      accepted.push(response.status);
    }
    const sent = context.sandbox.outbox().length;
    const created = context.sandbox.awsCalls()['cognito-idp.AdminCreateUser'] ?? 0;

    // When
    const limited: RawResponse[] = [];
    for (let index = LIMIT; index < LIMIT + 6; index++) limited.push(await post(route, index));

    // Then
    expect(accepted).toEqual(Array(LIMIT).fill(route === 'magic-link' ? 202 : 200));
    expect(limited.map((response) => response.status)).toEqual(Array(6).fill(429));
    expect(limited.map(messageOf)).toEqual(Array(6).fill(expect.stringMatching(/^Too many requests from this address/)));
    expect(context.sandbox.outbox().length).toBe(sent);
    expect(context.sandbox.awsCalls()['cognito-idp.AdminCreateUser'] ?? 0).toBe(created);
  });

  it('case 19: once both routes are at the limit, no forwarded header lets a request through, not even one naming the connection address or a private one', async () => {
    // Given: both routes used up in this minute (the tests above may have run in another minute)
    await startOfAMinute();
    for (let index = 0; index < LIMIT; index++) {
      await post('magic-link', 100 + index);
      context.keepSecret((JSON.parse((await post('sign-in', 100 + index)).text) as { session?: string }).session);
    }

    // When: one more on each, claiming addresses never seen before, and one with the connection address itself claimed
    const magicLink = await post('magic-link', 200);
    const signIn = await post('sign-in', 201);
    const privateAddress = await postApi(context.sandbox, 'sign-in', { identifier: freshEmail(), channel: 'email' }, { 'X-Forwarded-For': '10.0.0.1' });
    const connectionAddress = await postApi(context.sandbox, 'magic-link', { email: freshEmail(), redirectUri: context.sandbox.info.redirectUris[0] }, {
      'X-Forwarded-For': '127.0.0.1',
      'X-Real-IP': '::1',
    });

    // Then
    expect([magicLink, signIn, privateAddress, connectionAddress].map((response) => response.status)).toEqual([429, 429, 429, 429]);
  });
});
