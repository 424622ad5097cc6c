// Case 13: a send limit reached for an unknown identifier (R5, R8, R17). Within the send cooldown and past the hourly
// send quota, an unknown address or number gets exactly what an existing one gets (status, body, headers, challenge),
// and nothing is sent to either beyond the limit.
import { apiShape, freshEmail, freshPhone, outcomeOf, postApi, sleep, stepShape } from './support/adversary';
import { useSecuritySandbox } from './support/security-sandbox';
import { answerChallenge, startSignIn } from '../e2e/support/custom-auth';
import { seedUser } from '../e2e/support/example-sandbox';

jest.setTimeout(120_000);

const COOLDOWN_SECONDS = 10;
const SENDS_PER_HOUR = 2;

const context = useSecuritySandbox({
  // Without auto sign-up an unknown address stays unknown; the shortest cooldown and a quota of 2 keep the test short.
  example: { autoSignUp: false },
  functionEnvironment: {
    SEND_COOLDOWN_SECONDS: String(COOLDOWN_SECONDS),
    MAX_SENDS_PER_HOUR: String(SENDS_PER_HOUR),
    MAX_REQUESTS_PER_IP_PER_MINUTE: '1000',
  },
});

type Path = 'POST /magic-link' | 'choosing email-otp' | 'choosing sms-otp';
const PATHS: Path[] = ['POST /magic-link', 'choosing email-otp', 'choosing sms-otp'];

/** An existing identifier for the path (a user with it verified) and an unknown one. */
async function pair(path: Path): Promise<{ existing: string; unknown: string }> {
  const sms = path === 'choosing sms-otp';
  const existing = sms ? freshPhone() : freshEmail();
  await seedUser(context.sandbox, sms ? { phone: existing } : { email: existing });
  return { existing, unknown: sms ? freshPhone() : freshEmail() };
}

/** One request of the path for `identifier`, as the client sees it (shape only: sessions and usernames masked). */
async function ask(path: Path, identifier: string): Promise<unknown> {
  if (path === 'POST /magic-link') {
    return apiShape(await postApi(context.sandbox, 'magic-link', { email: identifier, redirectUri: context.sandbox.info.redirectUris[0] }));
  }
  const started = await startSignIn(context.sandbox, context.cognito, identifier);
  context.keepSecret(started.Session);
  const method = path === 'choosing sms-otp' ? 'sms-otp' : 'email-otp';
  const chosen = await outcomeOf(() => answerChallenge(context.sandbox, context.cognito, started, method));
  return [stepShape(context, { ok: true, value: started, ms: 0 }), stepShape(context, chosen)];
}

function sentTo(identifier: string): number {
  return context.sandbox.outbox().filter((message) => message.to.includes(identifier)).length;
}

describe('send limits reached for existing and unknown identifiers', () => {
  it.each(PATHS)('case 13: within the send cooldown, %s answers an unknown identifier exactly as an existing one, and sends nothing more', async (path) => {
    // Given: one request each, which sends to the existing identifier
    const { existing, unknown } = await pair(path);
    const first = { existing: await ask(path, existing), unknown: await ask(path, unknown) };
    expect(first.unknown).toEqual(first.existing);

    // When: again at once, within the cooldown
    const limited = { existing: await ask(path, existing), unknown: await ask(path, unknown) };

    // Then: the same answers as each other and as before the limit; one message in all, to the existing identifier
    expect(limited.unknown).toEqual(limited.existing);
    expect(limited.existing).toEqual(first.existing);
    expect(sentTo(existing)).toBe(1);
    expect(sentTo(unknown)).toBe(0);
  });

  it('case 13: past the hourly send quota, every path answers an unknown identifier exactly as an existing one, and sends nothing more', async () => {
    // Given: the quota used up by sends one cooldown apart, on every path at once
    const pairs = await Promise.all(PATHS.map(async (path) => ({ path, ...await pair(path) })));
    const answers: { path: Path; existing: unknown; unknown: unknown }[][] = [];
    for (let send = 0; send <= SENDS_PER_HOUR; send++) {
      if (send > 0) await sleep(COOLDOWN_SECONDS * 1000 + 500);
      const round = [];
      for (const { path, existing, unknown } of pairs) round.push({ path, existing: await ask(path, existing), unknown: await ask(path, unknown) });
      answers.push(round);
    }

    // Then: the request past the quota looks like every earlier one, for both identifiers
    const [, , limited] = answers;
    for (const [index, answer] of limited.entries()) {
      expect(answer.unknown).toEqual(answer.existing);
      expect(answer.existing).toEqual(answers[0][index].existing);
    }
    // And: exactly the quota went to each existing identifier, nothing to the unknown ones
    for (const { existing, unknown } of pairs) {
      expect(sentTo(existing)).toBe(SENDS_PER_HOUR);
      expect(sentTo(unknown)).toBe(0);
    }
  });
});
