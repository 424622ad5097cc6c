// Adversarial case 5 (R2, R3): a code or a magic link used just after its lifetime is refused, while one used just
// before it still signs in, so the refusal is the expiry's doing. The lifetimes are the shortest the handlers
// accept (60 s), and the code and link timelines run side by side, so the file waits about one lifetime.
import {
  answer, codeSent, linkSent, newUser, redeem, REFUSED, SECURITY_LIMITS, sleep, tokenSets, useKeepingClient,
  verifyRecord,
} from './support/secret-use';
import { useSecuritySandbox } from './support/security-sandbox';
import { linkPayload } from '../e2e/support/magic-links';

jest.setTimeout(90_000);

const CODE_TTL_SECONDS = 60;
const LINK_TTL_SECONDS = 60;
/** How long before its end the control answer comes, and how long after it the late one. */
const BEFORE_MS = 5_000;
const AFTER_MS = 1_000;

const context = useSecuritySandbox({
  functionEnvironment: { ...SECURITY_LIMITS, CODE_TTL_SECONDS: String(CODE_TTL_SECONDS), LINK_TTL_SECONDS: String(LINK_TTL_SECONDS) },
});
const cognito = useKeepingClient(context);

async function until(at: number): Promise<void> {
  const wait = at - Date.now();
  if (wait > 0) await sleep(wait);
}

/** Two codes issued together: one answered just before its end, one just after, each in the session it was sent for. */
async function codeTimeline() {
  const [onTime, late] = [await newUser(context), await newUser(context)];
  const issuedFrom = Date.now();
  const onTimeCode = await codeSent(context, cognito, onTime.email);
  const lateCode = await codeSent(context, cognito, late.email);
  // Each code's lifetime started while its request ran, between issuedFrom and its sentAt.
  await until(issuedFrom + CODE_TTL_SECONDS * 1000 - BEFORE_MS);
  const onTimeResult = await answer(context, cognito, onTimeCode.step, onTimeCode.code);
  await until(lateCode.sentAt + CODE_TTL_SECONDS * 1000 + AFTER_MS);
  const lateResult = await answer(context, cognito, lateCode.step, lateCode.code);
  return { onTime, late, onTimeResult, lateResult };
}

/** Two links issued together: one redeemed just before its end, one just after. */
async function linkTimeline() {
  const [onTime, late] = [await newUser(context), await newUser(context)];
  const onTimeLink = await linkSent(context, onTime.email);
  const lateLink = await linkSent(context, late.email);
  // The token's expiry (whole seconds, rounded down) is never later than the one the table keeps.
  const lateExpiry = Math.max(linkPayload(lateLink.token).expiresAt * 1000, lateLink.sentAt + LINK_TTL_SECONDS * 1000);
  expect(lateExpiry - Date.now()).toBeGreaterThan((LINK_TTL_SECONDS - 10) * 1000);
  await until(linkPayload(onTimeLink.token).expiresAt * 1000 - BEFORE_MS);
  const onTimeResult = await redeem(context, cognito, onTime.email, onTimeLink.token);
  await until(lateExpiry + AFTER_MS);
  const lateResult = await redeem(context, cognito, late.email, lateLink.token);
  return { onTime, late, onTimeResult, lateResult };
}

describe('lifetimes of codes and links (R2, R3)', () => {
  it(`case 5: a code or a link used ${AFTER_MS / 1000} s after its lifetime is refused; used ${BEFORE_MS / 1000} s before it, it signs in`, async () => {
    // When: both timelines at once
    const [codes, links] = await Promise.all([codeTimeline(), linkTimeline()]);

    // Then: the codes
    expect(tokenSets([codes.onTimeResult])).toBe(1);
    expect(codes.lateResult.kind).toBe('challenge');
    // the late code was not even checked: it had expired
    expect(verifyRecord(context, codes.late.username)).toMatchObject({ evaluated: 0, notEvaluated: 1, accepted: 0 });

    // Then: the links
    expect(tokenSets([links.onTimeResult])).toBe(1);
    expect(links.lateResult).toEqual(REFUSED);
    expect(verifyRecord(context, links.late.username)).toMatchObject({ linksAccepted: 0, linkRefusals: ['expired'] });
  });
});
