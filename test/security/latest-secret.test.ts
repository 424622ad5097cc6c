// Adversarial case 6 (R7): only the newest secret of an identifier works. Code 1 is refused once code 2 was issued,
// link 1 once link 2 was, and a code and a link void each other; the newest one still signs in, so the refusal is
// the replacement's doing. Each replacement waits out the send cooldown (10 s).
import {
  afterCooldown, answer, codeSent, linkSent, newUser, nextStep, redeem, REFUSED, SECURITY_LIMITS, tokenSets,
  useKeepingClient, verifyRecord,
} from './support/secret-use';
import { useSecuritySandbox } from './support/security-sandbox';

jest.setTimeout(60_000);

const context = useSecuritySandbox({ functionEnvironment: SECURITY_LIMITS });
const cognito = useKeepingClient(context);

describe('only the latest secret works (R7)', () => {
  it('case 6: code 1 is refused once code 2 was issued, in its own session and in the new one; code 2 signs in', async () => {
    // Given: code 1, then (after the cooldown) code 2, each in its own sign-in
    const { email, username } = await newUser(context);
    const first = await codeSent(context, cognito, email);
    await afterCooldown(first.sentAt);
    const second = await codeSent(context, cognito, email);
    expect(second.code).not.toBe(first.code);

    // When: code 1 in the new sign-in, and in the sign-in it was sent for
    const inNewSession = await answer(context, cognito, second.step, first.code);
    const inOwnSession = await answer(context, cognito, first.step, first.code);

    // Then: both refused, and code 2 still signs in
    const afterRefusal = nextStep(inNewSession);
    expect(inOwnSession.kind).toBe('challenge');
    expect(tokenSets([await answer(context, cognito, afterRefusal, second.code)])).toBe(1);
    expect(verifyRecord(context, username)).toMatchObject({ accepted: 1 });
  });

  it('case 6: link 1 is refused once link 2 was issued; link 2 signs in', async () => {
    // Given
    const { email, username } = await newUser(context);
    const first = await linkSent(context, email);
    await afterCooldown(first.sentAt);
    const second = await linkSent(context, email);
    expect(second.token).not.toBe(first.token);

    // When
    const old = await redeem(context, cognito, email, first.token);

    // Then
    expect(old).toEqual(REFUSED);
    expect(tokenSets([await redeem(context, cognito, email, second.token)])).toBe(1);
    expect(verifyRecord(context, username)).toMatchObject({ linksAccepted: 1, linkRefusals: ['used, replaced or expired'] });
  });

  it('case 6: a code voids an earlier link, and a link an earlier code', async () => {
    // Given: a link, then a code
    const { email, username } = await newUser(context);
    const link = await linkSent(context, email);
    await afterCooldown(link.sentAt);
    const code = await codeSent(context, cognito, email);

    // When / Then: the link is refused
    expect(await redeem(context, cognito, email, link.token)).toEqual(REFUSED);

    // Given: a new link
    await afterCooldown(code.sentAt);
    const newer = await linkSent(context, email);

    // When / Then: the code is refused, and the new link signs in
    expect((await answer(context, cognito, code.step, code.code)).kind).toBe('challenge');
    expect(tokenSets([await redeem(context, cognito, email, newer.token)])).toBe(1);
    expect(verifyRecord(context, username)).toMatchObject({ evaluated: 0, accepted: 0, linksAccepted: 1, linkRefusals: ['used, replaced or expired'] });
  });
});
