// Adversarial case 4 (R6): a right code, or a valid magic link, signs in once. Used again afterwards, or sent in
// 50 sessions at the same moment (real parallel requests, each session on its own client), it gives exactly one
// token set.
import {
  answer, codeSent, codeStep, keepingClients, linkSent, messagesTo, newUser, redeem, REFUSED, SECURITY_LIMITS,
  tokenSets, useKeepingClient, verifyRecord,
} from './support/secret-use';
import { useSecuritySandbox } from './support/security-sandbox';
import { startSignIn } from '../e2e/support/custom-auth';

jest.setTimeout(60_000);

const CONCURRENT = 50;

const context = useSecuritySandbox({ functionEnvironment: SECURITY_LIMITS });
const cognito = useKeepingClient(context);

describe('a code is used once (R6)', () => {
  it('case 4: a right code used twice in sequence gives one token set', async () => {
    // Given: a sign-in with the right code
    const { email, username } = await newUser(context);
    const { step, code } = await codeSent(context, cognito, email);
    const first = await answer(context, cognito, step, code);
    expect(tokenSets([first])).toBe(1);

    // When: the same code in a new sign-in (within the cooldown: no new code is sent)
    const again = await codeStep(context, cognito, email);
    const second = await answer(context, cognito, again.step, code);

    // Then
    expect(again.sent).toBe(false);
    expect(second.kind).toBe('challenge');
    expect(verifyRecord(context, username)).toMatchObject({ accepted: 1 });
    expect(messagesTo(context, email)).toBe(1);
  });

  it(`case 4: a right code answered in ${CONCURRENT} sessions at once gives exactly one token set`, async () => {
    // Given: a code sent, and CONCURRENT sessions at its challenge, each on its own client
    const { email, username } = await newUser(context);
    const { step: firstStep, code } = await codeSent(context, cognito, email);
    const clients = keepingClients(context, CONCURRENT);
    try {
      const others = await Promise.all(clients.slice(1).map((client) => codeStep(context, client, email)));
      expect(others.filter(({ sent }) => sent)).toEqual([]);
      const steps = [firstStep, ...others.map(({ step }) => step)];

      // When: every session answers the right code at the same moment
      const results = await Promise.all(steps.map((step, index) => answer(context, clients[index], step, code)));

      // Then: one token set; every other session was not signed in
      expect(tokenSets(results)).toBe(1);
      expect(results.filter((result) => result.kind === 'tokens')).toHaveLength(1);
      expect(verifyRecord(context, username)).toMatchObject({ accepted: 1 });
    } finally {
      clients.destroyAll();
    }
  });
});

describe('a magic link is used once (R6)', () => {
  it('case 4: a magic link used twice in sequence gives one token set', async () => {
    // Given: a link redeemed
    const { email, username } = await newUser(context);
    const { token } = await linkSent(context, email);
    expect(tokenSets([await redeem(context, cognito, email, token)])).toBe(1);

    // When
    const second = await redeem(context, cognito, email, token);

    // Then
    expect(second).toEqual(REFUSED);
    expect(verifyRecord(context, username)).toMatchObject({ linksAccepted: 1, linksRejected: 1 });
  });

  it(`case 4: a magic link redeemed in ${CONCURRENT} sessions at once gives exactly one token set`, async () => {
    // Given: a link, and CONCURRENT sign-ins started for its address, each on its own client
    const { email, username } = await newUser(context);
    const { token } = await linkSent(context, email);
    const clients = keepingClients(context, CONCURRENT);
    try {
      const started = await Promise.all(clients.map((client) => startSignIn(context.sandbox, client, email)));

      // When: every session answers with the token at the same moment
      const results = await Promise.all(started.map((step, index) => answer(context, clients[index], step, token, { signInMethod: 'magic-link' })));

      // Then: one token set, every other sign-in failed
      expect(tokenSets(results)).toBe(1);
      expect(results.filter((result) => result.kind !== 'tokens')).toEqual(Array(CONCURRENT - 1).fill(REFUSED));
      expect(verifyRecord(context, username)).toMatchObject({ linksAccepted: 1, linksRejected: CONCURRENT - 1 });
    } finally {
      clients.destroyAll();
    }
  });
});
