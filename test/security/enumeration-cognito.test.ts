// Case 12 on the Cognito paths (R17): InitiateAuth, RespondToAuthChallenge choosing email-otp or sms-otp, and a
// wrong code. An existing and an unknown identifier must get the same status, challenge parameters and errors, and
// response times that a Mann-Whitney U test cannot tell apart (n >= 200 per group, fresh identifiers each time).
import type { RespondToAuthChallengeCommandOutput } from '@aws-sdk/client-cognito-identity-provider';
import { freshEmail, freshPhone, latestCodeTo, outcomeOf, randomCode, stepShape, wrongCode, type Outcome } from './support/adversary';
import { useSecuritySandbox } from './support/security-sandbox';
import { compareTimings, timed, TIMING_P_THRESHOLD, TIMING_SAMPLES } from './support/timing';
import { answerChallenge, startSignIn, type ChallengeStep } from '../e2e/support/custom-auth';
import { seedUser } from '../e2e/support/example-sandbox';

jest.setTimeout(300_000);

const context = useSecuritySandbox({
  // Fresh identifiers everywhere, so the per-identifier cooldown never applies; every request comes from 127.0.0.1.
  functionEnvironment: { SEND_COOLDOWN_SECONDS: '10', MAX_REQUESTS_PER_IP_PER_MINUTE: '1000' },
});

type Channel = 'email' | 'sms';
const METHOD: Record<Channel, string> = { email: 'email-otp', sms: 'sms-otp' };
const WARMUP = 10;

/** A new identifier of the channel's kind: with a verified user behind it (existing) or with none (unknown). */
async function identifier(channel: Channel, existing: boolean): Promise<string> {
  const value = channel === 'email' ? freshEmail() : freshPhone();
  if (existing) await seedUser(context.sandbox, channel === 'email' ? { email: value } : { phone: value });
  return value;
}

/** `count` identifiers created up front, so that seeding users never runs inside a timed loop. */
async function identifiers(channel: Channel, existing: boolean, count: number): Promise<string[]> {
  const values: string[] = [];
  for (let i = 0; i < count; i++) values.push(await identifier(channel, existing));
  return values;
}

/** The whole code sign-in of one identifier, with three wrong codes: every step's shape, and how many messages it caused. */
async function walk(channel: Channel, value: string) {
  const before = context.sandbox.outbox().length;
  const started = await outcomeOf(() => startSignIn(context.sandbox, context.cognito, value));
  const steps = [stepShape(context, started)];
  let previous: ChallengeStep | undefined = started.ok ? started.value : undefined;
  const chosen = previous && await outcomeOf(() => answerChallenge(context.sandbox, context.cognito, previous!, METHOD[channel]));
  if (chosen) steps.push(stepShape(context, chosen));
  previous = chosen?.ok ? chosen.value : undefined;
  const sent = context.sandbox.outbox().length - before;
  // A code that is certainly wrong for an existing user, and any code for an unknown one.
  const wrong = sent > 0 ? wrongCode(latestCodeTo(context.sandbox, value)) : randomCode();
  for (let attempt = 0; attempt < 3 && previous; attempt++) {
    const step = previous;
    const answered: Outcome<RespondToAuthChallengeCommandOutput> = await outcomeOf(
      () => answerChallenge(context.sandbox, context.cognito, step, wrong));
    steps.push(stepShape(context, answered));
    previous = answered.ok ? answered.value : undefined;
  }
  return { steps, sent };
}

describe('existing and unknown identifiers on InitiateAuth and RespondToAuthChallenge', () => {
  it.each(['email', 'sms'] as Channel[])('case 12: by %s, InitiateAuth, choosing the method and three wrong codes give existing and unknown identifiers the same status, parameters and errors', async (channel) => {
    // Given
    const existing = await identifier(channel, true);
    const unknown = await identifier(channel, false);

    // When
    const known = await walk(channel, existing);
    const stranger = await walk(channel, unknown);

    // Then: the same steps (CHOOSE, CODE, CODE, CODE, then the same error), and a code only for the existing one
    expect(stranger.steps).toEqual(known.steps);
    expect(known.steps).toHaveLength(5);
    expect(known.steps[0]).toMatchObject({ ChallengeName: 'CUSTOM_CHALLENGE', ChallengeParameters: { challenge: 'CHOOSE', USERNAME: true } });
    expect(known.steps[1]).toMatchObject({ ChallengeParameters: { challenge: 'CODE', codeLength: '6', USERNAME: true } });
    expect(known.steps[4]).toEqual({ error: 'NotAuthorizedException', message: expect.any(String), status: 400 });
    expect(known.sent).toBe(1);
    expect(stranger.sent).toBe(0);
  });

  it('case 12: InitiateAuth response times do not tell existing from unknown email addresses (Mann-Whitney U, n >= 200 per group)', async () => {
    // Given
    const existing = await identifiers('email', true, TIMING_SAMPLES + WARMUP);
    const start = (value: string) => timed(async () => context.keepSecret((await startSignIn(context.sandbox, context.cognito, value)).Session));

    // When
    const result = await compareTimings({
      path: 'InitiateAuth',
      warmup: WARMUP,
      existing: (index) => start(existing[index + WARMUP]),
      unknown: async () => start(freshEmail()),
    });

    // Then
    expect(result.existing).toHaveLength(TIMING_SAMPLES);
    expect(result.test.p).toBeGreaterThanOrEqual(TIMING_P_THRESHOLD);
  });

  it.each(['email', 'sms'] as Channel[])('case 12: response times of choosing the %s code do not tell existing from unknown identifiers (Mann-Whitney U, n >= 200 per group)', async (channel) => {
    // Given
    const existing = await identifiers(channel, true, TIMING_SAMPLES + WARMUP);
    const choose = async (value: string) => {
      const started = await startSignIn(context.sandbox, context.cognito, value);
      context.keepSecret(started.Session);
      return timed(async () => context.keepSecret((await answerChallenge(context.sandbox, context.cognito, started, METHOD[channel])).Session));
    };
    const sentBefore = context.sandbox.outbox().length;

    // When
    const result = await compareTimings({
      path: `RespondToAuthChallenge choosing ${METHOD[channel]}`,
      warmup: WARMUP,
      existing: (index) => choose(existing[index + WARMUP]),
      unknown: async () => choose(await identifier(channel, false)),
    });

    // Then: every existing identifier got its code, no unknown one did, and the times are alike
    expect(context.sandbox.outbox().length - sentBefore).toBe(TIMING_SAMPLES + WARMUP);
    expect(result.test.p).toBeGreaterThanOrEqual(TIMING_P_THRESHOLD);
  });

  it('case 12: response times of a wrong code do not tell existing from unknown email addresses (Mann-Whitney U, n >= 200 per group)', async () => {
    // Given
    const existing = await identifiers('email', true, TIMING_SAMPLES + WARMUP);
    const answerWrong = async (value: string, known: boolean) => {
      const started = await startSignIn(context.sandbox, context.cognito, value);
      const chosen = await answerChallenge(context.sandbox, context.cognito, started, 'email-otp');
      context.keepSecret(started.Session, chosen.Session);
      const wrong = known ? wrongCode(latestCodeTo(context.sandbox, value)) : randomCode();
      return timed(async () => {
        const answered = await answerChallenge(context.sandbox, context.cognito, chosen, wrong);
        context.keepSecret(answered.Session);
        expect(answered.ChallengeParameters?.challenge).toBe('CODE');
      });
    };

    // When
    const result = await compareTimings({
      path: 'RespondToAuthChallenge with a wrong code',
      warmup: WARMUP,
      existing: (index) => answerWrong(existing[index + WARMUP], true),
      unknown: async () => answerWrong(freshEmail(), false),
    });

    // Then
    expect(result.unknown).toHaveLength(TIMING_SAMPLES);
    expect(result.test.p).toBeGreaterThanOrEqual(TIMING_P_THRESHOLD);
  });
});
