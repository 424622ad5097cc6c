// Case 15: phone numbers outside the SMS allow-list (the example allows +1 and +44), not in E.164, of absurd lengths,
// with letters, or a bare "+" (R20, R21). POST /sign-in (channel sms) refuses them with a 400 before anything else
// (no user, no SMS); InitiateAuth and choosing sms-otp never reach SNS with them; and a user whose verified number is
// outside the allow-list gets no SMS either. The measure is the handlers' own calls: `sns.Publish` never grows.
import { randomInt } from 'node:crypto';
import { expectNoServerSideFailure, freshEmail, freshPhone, messageOf, outcomeOf, postApi, snsPublishes, stepShape } from './support/adversary';
import { useSecuritySandbox } from './support/security-sandbox';
import { answerChallenge, startSignIn } from '../e2e/support/custom-auth';
import { seedUser } from '../e2e/support/example-sandbox';

jest.setTimeout(120_000);

const context = useSecuritySandbox({
  functionEnvironment: { SEND_COOLDOWN_SECONDS: '10', MAX_REQUESTS_PER_IP_PER_MINUTE: '1000' },
});

const arabicIndic = (digits: string) => [...digits].map((digit) => String.fromCodePoint(0x0660 + Number(digit))).join('');
const fullwidth = (digits: string) => [...digits].map((digit) => String.fromCodePoint(0xff10 + Number(digit))).join('');

const BAD_NUMBERS: [string, string][] = [
  ['a French number (outside the allow-list)', '+33612345678'],
  ['a Chinese number', '+861012345678'],
  ['a Nigerian number', '+2348012345678'],
  ['an international-networks number', '+88213212345'],
  ['a Danish number (+45, next to the allowed +44)', '+4520123456'],
  ['a French number spelled to look like +1', '+33 1 5550100'],
  ['+44 written with 00', '00442079460958'],
  ['a national number without +', '(555) 010-0199'],
  ['digits without +', '15550100199'],
  ['a leading zero after +', '+015550100199'],
  ['16 digits', '+1555010019912345'],
  ['6 digits', '+155501'],
  ['33 characters', `+1${'5'.repeat(31)}`],
  ['254 characters', `+1${'5'.repeat(252)}`],
  ['10,000 digits', `+1${'5'.repeat(9998)}`],
  ['letters', '+1555CALLNOW'],
  ['a vanity number', '+1-800-FLOWERS'],
  ['the letter O for a zero', '+1555O100199'],
  ['a bare +', '+'],
  ['two plus signs', '++15550100199'],
  ['a + and spaces', '+   '],
  ['fullwidth digits', `+${fullwidth('15550100199')}`],
  ['Arabic-Indic digits', `+${arabicIndic('15550100199')}`],
  ['a line break inside', '+1555\n0100199'],
  ['a NUL inside', '+1555\u00000100199'],
  ['two numbers', '+15550100199,+33612345678'],
  ['an extension after ;', '+15550100199;ext=1'],
  ['an extension after x', '+15550100199x12'],
  ['a tel: URI', 'tel:+15550100199'],
  ['an email address', 'someone@example.com'],
  ['+44 and letters', '+44abc'],
  ['a number in exponent form', '1.5550100199e10'],
];

/** The handlers' SNS calls, SMS in the outbox and users created so far. */
function counters() {
  const calls = context.sandbox.awsCalls();
  return {
    snsPublish: snsPublishes(context.sandbox),
    sms: context.sandbox.outbox().filter((message) => message.channel === 'sms').length,
    usersCreated: calls['cognito-idp.AdminCreateUser'] ?? 0,
  };
}

/** A random number of a country outside the allow-list, e.g. +33 6xx xxx xxx. */
function foreignNumber(prefix: string, digits: number): string {
  return `${prefix}${String(randomInt(0, 10 ** digits)).padStart(digits, '0')}`;
}

describe('phone numbers outside the allow-list or not numbers at all', () => {
  it('case 15: the control: an allowed number does call SNS once, so the counters below can see a call', async () => {
    // Given
    const before = counters();

    // When
    const response = await postApi(context.sandbox, 'sign-in', { identifier: freshPhone(), channel: 'sms' });
    context.keepSecret((JSON.parse(response.text) as { session?: string }).session);

    // Then
    expect(response.status).toBe(200);
    expect(counters()).toEqual({ snsPublish: before.snsPublish + 1, sms: before.sms + 1, usersCreated: before.usersCreated + 1 });
  });

  it.each(BAD_NUMBERS)('case 15: POST /sign-in (channel sms) with %s is a 400: no SNS call, no SMS, no user', async (_case, identifier) => {
    // Given
    const before = counters();

    // When
    const response = await postApi(context.sandbox, 'sign-in', { identifier, channel: 'sms' });

    // Then
    expect(response.status).toBe(400);
    expect(messageOf(response)).toMatch(/^Invalid request/);
    expect(counters()).toEqual(before);
  });

  it.each([
    ['a JSON number', 15550100199],
    ['an array', ['+15550100199']],
    ['null', null],
  ])('case 15: POST /sign-in (channel sms) with %s for the number is a 400: no SNS call, no SMS, no user', async (_case, identifier) => {
    // Given
    const before = counters();

    // When
    const response = await postApi(context.sandbox, 'sign-in', { identifier, channel: 'sms' });

    // Then
    expect(response.status).toBe(400);
    expect(messageOf(response)).toMatch(/^Invalid request/);
    expect(counters()).toEqual(before);
  });

  it.each(BAD_NUMBERS)('case 15: InitiateAuth with %s as USERNAME, then choosing sms-otp: no SNS call and no SMS, and no server-side failure', async (_case, identifier) => {
    // Given
    const before = counters();

    // When
    const started = await outcomeOf(() => startSignIn(context.sandbox, context.cognito, identifier));
    expectNoServerSideFailure(started);
    const chosen = started.ok ? await outcomeOf(() => answerChallenge(context.sandbox, context.cognito, started.value, 'sms-otp')) : undefined;

    // Then
    if (chosen) {
      expectNoServerSideFailure(chosen);
      stepShape(context, chosen);
    }
    if (started.ok) context.keepSecret(started.value.Session);
    expect(counters()).toEqual(before);
  });

  it('case 15: users whose verified phone number is outside the allow-list get the usual challenges but no SMS, by phone or by email sign-in', async () => {
    // Given: users with verified foreign numbers (as an admin could create them), one with a verified email as well
    const numbers = [foreignNumber('+336', 8), foreignNumber('+8610', 8), foreignNumber('+452', 7)];
    for (const phone of numbers) await seedUser(context.sandbox, { phone });
    const email = freshEmail();
    const withEmail = foreignNumber('+337', 8);
    await seedUser(context.sandbox, { email, phone: withEmail });
    const allowed = freshPhone();
    await seedUser(context.sandbox, { phone: allowed });
    const choose = async (identifier: string) => {
      const started = await startSignIn(context.sandbox, context.cognito, identifier);
      context.keepSecret(started.Session);
      return stepShape(context, await outcomeOf(() => answerChallenge(context.sandbox, context.cognito, started, 'sms-otp')));
    };
    const control = await choose(allowed);
    const before = counters();

    // When
    const outcomes = [];
    for (const identifier of [...numbers, email, withEmail]) outcomes.push(await choose(identifier));

    // Then: the same CODE challenge as for the allowed number, and SNS never called
    for (const outcome of outcomes) expect(outcome).toEqual(control);
    expect(control).toMatchObject({ ChallengeParameters: { challenge: 'CODE' } });
    expect(counters()).toEqual(before);
  });

  it('case 15: POST /sign-in refuses the verified foreign numbers of existing users too, before any lookup', async () => {
    // Given
    const phone = foreignNumber('+336', 8);
    await seedUser(context.sandbox, { phone });
    const before = { ...counters(), lookups: context.sandbox.awsCalls()['cognito-idp.AdminGetUser'] ?? 0 };

    // When
    const response = await postApi(context.sandbox, 'sign-in', { identifier: phone, channel: 'sms' });

    // Then
    expect(response.status).toBe(400);
    expect(messageOf(response)).toMatch(/allowed country calling codes/);
    expect({ ...counters(), lookups: context.sandbox.awsCalls()['cognito-idp.AdminGetUser'] ?? 0 }).toEqual(before);
  });
});
