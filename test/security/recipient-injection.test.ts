// Case 14: email inputs that try to add or change recipients (R18, R20). On POST /magic-link, POST /sign-in and as the
// USERNAME of InitiateAuth: lists, display names, header injection, quoted or commented local parts, lookalike and
// non-ASCII characters are a 400 on the API; on every path, a message goes at most to one stored address (another
// spelling of the victim's address reaches only the victim's address as stored); and no message ever has a second
// recipient or goes to the attacker.
import { randomBytes } from 'node:crypto';
import { messageOf, outcomeOf, postApi, SERVER_SIDE_ERRORS } from './support/adversary';
import { useSecuritySandbox } from './support/security-sandbox';
import { answerChallenge, startSignIn } from '../e2e/support/custom-auth';
import { seedUser } from '../e2e/support/example-sandbox';

jest.setTimeout(120_000);

const context = useSecuritySandbox({
  // Auto sign-up on (the example's default): POST /sign-in exists, and a new valid address gets its own account.
  functionEnvironment: { SEND_COOLDOWN_SECONDS: '10', MAX_REQUESTS_PER_IP_PER_MINUTE: '1000' },
});

const ATTACKER = 'attacker@evil.example';

/** A victim's address as stored in the pool, in mixed case, with a K and an s for the Unicode case-folding tricks. */
interface Victim {
  readonly local: string;
  /** The stored spelling, e.g. Kas.Victim0a1b2c@Example.com. */
  readonly stored: string;
}

function newVictim(): Victim {
  const local = `Kas.Victim${randomBytes(5).toString('hex')}`;
  return { local, stored: `${local}@Example.com` };
}

/**
 * Who may receive a message for the input: `nobody` (the API refuses it with a 400), `victim` (another spelling of
 * the victim's address: only the stored address), or `itself` (a distinct, valid address: only that address, which
 * auto sign-up gives its own account; never the victim).
 */
type Resolves = 'nobody' | 'victim' | 'itself';

const INPUTS: [string, Resolves, (victim: Victim) => string][] = [
  ['a comma-separated list', 'nobody', (v) => `${v.stored}, ${ATTACKER}`],
  ['a comma-separated list without spaces', 'nobody', (v) => `${v.stored},${ATTACKER}`],
  ['a semicolon-separated list', 'nobody', (v) => `${v.stored};${ATTACKER}`],
  ['a space-separated list', 'nobody', (v) => `${v.stored} ${ATTACKER}`],
  ['a trailing comma', 'nobody', (v) => `${v.stored},`],
  ['a display name', 'nobody', (v) => `Victim <${v.stored}>`],
  ['a display name and a second recipient', 'nobody', (v) => `"Victim" <${v.stored}>, <${ATTACKER}>`],
  ['the victim as display name of the attacker', 'nobody', (v) => `${v.stored} <${ATTACKER}>`],
  ['angle brackets', 'nobody', (v) => `<${v.stored}>`],
  ['CRLF and a Bcc header', 'nobody', (v) => `${v.stored}\r\nBcc: ${ATTACKER}`],
  ['LF and a Bcc header', 'nobody', (v) => `${v.stored}\nBcc: ${ATTACKER}`],
  ['CRLF and a To header', 'nobody', (v) => `${v.stored}\r\nTo: ${ATTACKER}`],
  ['an encoded LF and a Bcc header', 'nobody', (v) => `${v.stored}%0aBcc:${ATTACKER}`],
  ['an encoded CRLF and a Bcc header', 'nobody', (v) => `${v.stored}%0d%0aBcc:%20${ATTACKER}`],
  ['a tab and a second address', 'nobody', (v) => `${v.stored}\t${ATTACKER}`],
  ['a NUL and the victim after the attacker', 'nobody', (v) => `${ATTACKER}\u0000${v.stored}`],
  ['a quoted local part holding the victim', 'nobody', (v) => `"${v.stored}"@evil.example`],
  ['a quoted local part holding the attacker', 'nobody', () => `"${ATTACKER}"@example.com`],
  ['a quoted local part with a space', 'nobody', (v) => `"${v.local} x"@example.com`],
  ['a comment holding the attacker', 'nobody', (v) => `${v.local}(${ATTACKER})@Example.com`],
  ['a trailing comment', 'nobody', (v) => `${v.stored}(comment)`],
  ['a source route', 'nobody', (v) => `@evil.example:${v.stored}`],
  ['a second @ and domain', 'nobody', (v) => `${v.stored}@evil.example`],
  ['a query after the domain', 'nobody', (v) => `${v.stored}?bcc=${ATTACKER}`],
  ['a mailto: prefix', 'nobody', (v) => `mailto:${v.stored}`],
  ['an IP-literal domain', 'nobody', (v) => `${v.local}@[127.0.0.1]`],
  ['a trailing dot on the domain', 'nobody', (v) => `${v.stored}.`],
  ['an IDN domain in Unicode', 'nobody', (v) => `${v.local}@Ex\u00e4mple.com`],
  ['a Cyrillic e in the domain', 'nobody', (v) => `${v.local}@\u0435xample.com`],
  ['the Kelvin sign for K (lowercases to k)', 'nobody', (v) => v.stored.replace('K', '\u212a')],
  ['a long s for s (uppercases to S)', 'nobody', (v) => v.stored.replace('s', '\u017f')],
  ['a fullwidth @', 'nobody', (v) => v.stored.replace('@', '\uff20')],
  ['a zero-width space', 'nobody', (v) => `${v.stored}\u200b`],
  ['upper case', 'victim', (v) => v.stored.toUpperCase()],
  ['lower case', 'victim', (v) => v.stored.toLowerCase()],
  ['surrounding spaces', 'victim', (v) => ` ${v.stored} `],
  ['a leading tab', 'victim', (v) => `\t${v.stored}`],
  ['plus-addressing', 'itself', (v) => `${v.local}+attacker@Example.com`],
  ['a percent-routed local part', 'itself', (v) => `${v.local}%evil.example@Example.com`],
];

/** What a path did with the input: the API's status and message, and the recipients of every message it caused. */
interface Result {
  readonly status?: number;
  readonly message?: string;
  readonly failure?: string;
  readonly recipients: string[][];
}

async function viaMagicLink(input: string): Promise<Result> {
  const before = context.sandbox.outbox().length;
  const response = await postApi(context.sandbox, 'magic-link', { email: input, redirectUri: context.sandbox.info.redirectUris[0] });
  return { status: response.status, message: messageOf(response), recipients: recipientsSince(before) };
}

async function viaSignIn(input: string): Promise<Result> {
  const before = context.sandbox.outbox().length;
  const response = await postApi(context.sandbox, 'sign-in', { identifier: input, channel: 'email' });
  const body = JSON.parse(response.text) as { message?: string; session?: string };
  context.keepSecret(body.session);
  return { status: response.status, message: body.message, recipients: recipientsSince(before) };
}

async function viaInitiateAuth(input: string): Promise<Result> {
  const before = context.sandbox.outbox().length;
  const started = await outcomeOf(() => startSignIn(context.sandbox, context.cognito, input));
  if (!started.ok) return { failure: started.name, status: started.status, recipients: recipientsSince(before) };
  const chosen = await outcomeOf(() => answerChallenge(context.sandbox, context.cognito, started.value, 'email-otp'));
  context.keepSecret(started.value.Session, chosen.ok ? chosen.value.Session : undefined);
  return { failure: chosen.ok ? undefined : chosen.name, status: chosen.ok ? undefined : chosen.status, recipients: recipientsSince(before) };
}

function recipientsSince(before: number): string[][] {
  return context.sandbox.outbox().slice(before).map((message) => message.to);
}

describe('email inputs that try to add or change recipients', () => {
  it.each(INPUTS)('case 14: an address with %s is refused or reaches only the address it resolves to, on POST /magic-link, POST /sign-in and InitiateAuth', async (_case, resolves, make) => {
    for (const via of [viaMagicLink, viaSignIn]) {
      // Given: a victim of its own per path, so no send cooldown hides a delivery
      const victim = newVictim();
      await seedUser(context.sandbox, { email: victim.stored });
      const input = make(victim);

      // When
      const result = await via(input);

      // Then
      if (resolves === 'nobody') {
        expect({ status: result.status, recipients: result.recipients }).toEqual({ status: 400, recipients: [] });
        expect(result.message).toMatch(/^Invalid request/);
      } else {
        expect(result.status).toBeLessThan(300);
        expect(result.recipients).toEqual([[resolves === 'victim' ? victim.stored : input.trim().toLowerCase()]]);
      }
    }

    // Given: a victim for InitiateAuth
    const victim = newVictim();
    await seedUser(context.sandbox, { email: victim.stored });

    // When: the input as USERNAME, then the email code chosen
    const input = make(victim);
    const result = await viaInitiateAuth(input);

    // Then: no trigger or server failure, and at most one code, only to a stored address: the victim's as stored (however
    // Cognito resolved the spelling), or the distinct address's own if it had an account
    expect(SERVER_SIDE_ERRORS).not.toContain(result.failure);
    expect(result.status ?? 200).toBeLessThan(500);
    const stored = resolves === 'itself' ? input.trim().toLowerCase() : victim.stored;
    expect(result.recipients).toEqual(result.recipients.length === 0 ? [] : [[stored]]);
  });

  it('case 14: no message sent in this file had a second recipient or went to the attacker\'s domain', () => {
    const outbox = context.sandbox.outbox();
    expect(outbox.length).toBeGreaterThan(0);
    const suspicious = (to: string) => /[,;<>\s]/.test(to) || /evil/i.test(to.slice(to.lastIndexOf('@')));
    expect(outbox.filter((message) => message.to.length !== 1 || message.to.some(suspicious))).toEqual([]);
  });
});
