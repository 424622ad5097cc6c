// Adversarial case 18 (R11): every flow once, in one sandbox, with every function at the most verbose log level.
// No log line, API response body, error message or public challenge parameter may hold a code, a link token, a
// Cognito token or a session; and every one of the functions must have logged, so that the scan covered them all.
import {
  GetTokensFromRefreshTokenCommand,
  GetUserCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  RevokeTokenCommand,
  type AuthenticationResultType,
} from '@aws-sdk/client-cognito-identity-provider';
import { claimsOf } from './support/link-landing';
import { expectNoSecretInLogs, MOST_VERBOSE_LOG_LEVEL, secretsIn, useSecuritySandbox } from './support/security-sandbox';
import { answerChallenge, startSignIn } from '../e2e/support/custom-auth';
import { latestCode, seedUser, uniqueEmail, uniquePhone } from '../e2e/support/example-sandbox';
import { flipCharacter, newLink, redeemLink, requestLink, tokenOf } from '../e2e/support/magic-links';
import { postAttributeCode, postAttributes, postSignIn, type StartedSignIn } from '../e2e/support/sign-up-api';

jest.setTimeout(120_000);

const context = useSecuritySandbox({ functionEnvironment: { SEND_COOLDOWN_SECONDS: '10', MAX_REQUESTS_PER_IP_PER_MINUTE: '1000' } });

/** Every secret the flows obtained or made up; the harness gets each one too. */
const kept: string[] = [];
function keep(...values: (string | undefined)[]): void {
  context.keepSecret(...values);
  values.forEach((value) => value && kept.push(value));
}

/** What the flows were told: API response bodies, Cognito's error messages and public challenge parameters. */
interface Answer {
  readonly what: string;
  readonly text: string;
  /** Secrets this answer exists to hand over (POST /sign-in returns its sign-in's session). */
  readonly own: readonly string[];
}
const answers: Answer[] = [];

interface CognitoAnswer {
  readonly Session?: string;
  readonly ChallengeParameters?: Record<string, string>;
  readonly AuthenticationResult?: AuthenticationResultType;
}

// Every Cognito answer of the test's client: sessions and tokens are kept, challenge parameters and errors recorded.
beforeAll(() => {
  context.cognito.middlewareStack.add((next, { commandName }) => async (args) => {
    try {
      const result = await next(args);
      const output = result.output as CognitoAnswer;
      const tokens = output.AuthenticationResult;
      keep(output.Session, tokens?.AccessToken, tokens?.IdToken, tokens?.RefreshToken);
      if (output.ChallengeParameters) answers.push({ what: `${commandName} challenge parameters`, text: JSON.stringify(output.ChallengeParameters), own: [] });
      return result;
    } catch (error) {
      answers.push({ what: `${commandName} error`, text: `${(error as Error).name}: ${(error as Error).message}`, own: [] });
      throw error;
    }
  }, { step: 'initialize', name: 'recordAnswers' });
});

/** Records an API response's body (it may hand over `own` secrets) and returns the response, still readable. */
async function recorded(what: string, response: Response, own: (body: string) => string[] = () => []): Promise<Response> {
  const text = await response.clone().text();
  answers.push({ what: `${what} ${response.status}`, text, own: own(text) });
  return response;
}

/** The session POST /sign-in handed over, if its body has one. */
function sessionOf(body: string): string[] {
  try {
    const session = (JSON.parse(body) as Partial<StartedSignIn>).session;
    return session ? [session] : [];
  } catch {
    return [];
  }
}

/** A code that is certainly not `code`, of the same length: made up, so kept as a secret too. */
function wrongCode(code: string, shift = 1): string {
  const wrong = [...code].map((digit, index) => index === 0 ? String((Number(digit) + shift) % 10) : digit).join('');
  keep(wrong);
  return wrong;
}

/** Every code and link token the outbox holds (secretsIn without the addresses, which answers may name). */
function sentSecrets(): string[] {
  const outbox = context.sandbox.outbox();
  const addresses = new Set(outbox.flatMap((message) => message.to));
  return secretsIn(outbox).filter((secret) => !addresses.has(secret));
}

/** Users the flows share: one signs in by email and changes attributes, one by SMS and signs out. */
const users: Record<'email' | 'sms', { identifier: string; username: string; tokens?: AuthenticationResultType }> = {} as never;

describe('every flow once, at the most verbose log level', () => {
  it('case 18: flow: email OTP sign-in, with a wrong code before the right one', async () => {
    const email = uniqueEmail();
    users.email = { identifier: email, username: await seedUser(context.sandbox, { email, phone: uniquePhone() }) };
    const choose = await startSignIn(context.sandbox, context.cognito, email);
    const challenge = await answerChallenge(context.sandbox, context.cognito, choose, 'email-otp');
    const code = await latestCode(context.sandbox, email);

    const wrong = await answerChallenge(context.sandbox, context.cognito, challenge, wrongCode(code));
    const done = await answerChallenge(context.sandbox, context.cognito, wrong, code);

    expect(wrong.AuthenticationResult).toBeUndefined();
    expect(wrong.ChallengeParameters).toMatchObject({ challenge: 'CODE' });
    expect(claimsOf(done.AuthenticationResult!.IdToken!)).toMatchObject({ sub: users.email.username, email });
    users.email.tokens = done.AuthenticationResult;
  });

  it('case 18: flow: SMS OTP sign-in', async () => {
    const phone = uniquePhone();
    users.sms = { identifier: phone, username: await seedUser(context.sandbox, { phone }) };
    const choose = await startSignIn(context.sandbox, context.cognito, phone);
    const challenge = await answerChallenge(context.sandbox, context.cognito, choose, 'sms-otp');

    const done = await answerChallenge(context.sandbox, context.cognito, challenge, await latestCode(context.sandbox, phone));

    expect(claimsOf(done.AuthenticationResult!.IdToken!)).toMatchObject({ sub: users.sms.username, phone_number: phone });
    users.sms.tokens = done.AuthenticationResult;
  });

  it('case 18: flow: wrong codes up to the attempt limit end the sign-in', async () => {
    const email = uniqueEmail();
    await seedUser(context.sandbox, { email });
    let step = await answerChallenge(context.sandbox, context.cognito, await startSignIn(context.sandbox, context.cognito, email), 'email-otp');
    const code = await latestCode(context.sandbox, email);

    let failure: Error | undefined;
    for (let attempt = 1; attempt <= 3 && !failure; attempt++) {
      try {
        step = await answerChallenge(context.sandbox, context.cognito, step, wrongCode(code, attempt));
      } catch (error) {
        failure = error as Error;
      }
    }

    expect(failure).toMatchObject({ name: 'NotAuthorizedException' });
  });

  it('case 18: flow: magic link request and redemption; the used link and a tampered one are refused', async () => {
    const email = uniqueEmail();
    const username = await seedUser(context.sandbox, { email });
    const token = tokenOf(await newLink(context.sandbox, email));
    const tampered = flipCharacter(token, 10);
    keep(token, tampered);

    const done = await redeemLink(context.sandbox, context.cognito, email, token);
    const used = await redeemLink(context.sandbox, context.cognito, email, token).catch((error: Error) => error);
    const forged = await redeemLink(context.sandbox, context.cognito, email, tampered).catch((error: Error) => error);

    expect(claimsOf(done.AuthenticationResult!.IdToken!)).toMatchObject({ sub: username, email });
    expect(used).toMatchObject({ name: 'NotAuthorizedException' });
    expect(forged).toMatchObject({ name: 'NotAuthorizedException' });
  });

  it.each(['email', 'sms'] as const)('case 18: flow: auto sign-up through POST /sign-in by %s', async (channel) => {
    const identifier = channel === 'email' ? uniqueEmail() : uniquePhone();
    const response = await recorded('POST /sign-in', await postSignIn(context.sandbox, identifier, channel), sessionOf);
    expect(response.status).toBe(200);
    const started = (await response.json()) as StartedSignIn;
    keep(started.session);

    const done = await context.cognito.send(new RespondToAuthChallengeCommand({
      ClientId: context.sandbox.info.userPoolClientId,
      ChallengeName: 'CUSTOM_CHALLENGE',
      Session: started.session,
      ChallengeResponses: { USERNAME: started.challengeParameters.USERNAME, ANSWER: await latestCode(context.sandbox, identifier) },
    }));

    expect(claimsOf(done.AuthenticationResult!.IdToken!)).toMatchObject({ sub: started.challengeParameters.USERNAME });
  });

  it('case 18: flow: attribute changes (a phone number with a wrong code first, an email address) and their verification', async () => {
    // One change per user: the attribute codes have a send cooldown per user too.
    const phoneChanger = users.email.tokens!.AccessToken!;
    const emailChanger = users.sms.tokens!.AccessToken!;
    const phone = uniquePhone();
    const email = uniqueEmail();

    const phoneStarted = await recorded('POST /attributes', await postAttributes(context.sandbox, phoneChanger, { phoneNumber: phone, givenName: 'Ada' }));
    const phoneCode = await latestCode(context.sandbox, phone);
    const phoneWrong = await recorded('POST /attributes/verify', await postAttributeCode(context.sandbox, phoneChanger, { phoneNumber: phone, code: wrongCode(phoneCode) }));
    const phoneVerified = await recorded('POST /attributes/verify', await postAttributeCode(context.sandbox, phoneChanger, { phoneNumber: phone, code: phoneCode }));
    const emailStarted = await recorded('POST /attributes', await postAttributes(context.sandbox, emailChanger, { email }));
    const emailVerified = await recorded('POST /attributes/verify', await postAttributeCode(context.sandbox, emailChanger, { email, code: await latestCode(context.sandbox, email) }));
    const unauthorized = await recorded('POST /attributes', await postAttributes(context.sandbox, 'not-a-token', { email: uniqueEmail() }));

    expect([phoneStarted, phoneWrong, phoneVerified, emailStarted, emailVerified, unauthorized].map((response) => response.status))
      .toEqual([202, 400, 200, 202, 200, 401]);
  });

  it('case 18: flow: refresh (REFRESH_TOKEN_AUTH and GetTokensFromRefreshToken)', async () => {
    const refreshToken = users.email.tokens!.RefreshToken!;

    const refreshed = await context.cognito.send(new InitiateAuthCommand({
      AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: context.sandbox.info.userPoolClientId, AuthParameters: { REFRESH_TOKEN: refreshToken },
    }));
    const fromRefresh = await context.cognito.send(new GetTokensFromRefreshTokenCommand({
      ClientId: context.sandbox.info.userPoolClientId, RefreshToken: refreshToken,
    }));

    expect(claimsOf(refreshed.AuthenticationResult!.IdToken!)).toMatchObject({ sub: users.email.username, given_name: 'Ada' });
    expect(claimsOf(fromRefresh.AuthenticationResult!.IdToken!)).toMatchObject({ sub: users.email.username });
  });

  it('case 18: flow: sign-out (GlobalSignOut) and token revocation; the revoked tokens are refused', async () => {
    const smsAccess = users.sms.tokens!.AccessToken!;
    const smsRefresh = users.sms.tokens!.RefreshToken!;
    const emailRefresh = users.email.tokens!.RefreshToken!;

    await context.cognito.send(new GlobalSignOutCommand({ AccessToken: smsAccess }));
    await context.cognito.send(new RevokeTokenCommand({ ClientId: context.sandbox.info.userPoolClientId, Token: emailRefresh }));

    await expect(context.cognito.send(new GetUserCommand({ AccessToken: smsAccess }))).rejects.toMatchObject({ name: 'NotAuthorizedException' });
    for (const refreshToken of [smsRefresh, emailRefresh]) {
      await expect(context.cognito.send(new InitiateAuthCommand({
        AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: context.sandbox.info.userPoolClientId, AuthParameters: { REFRESH_TOKEN: refreshToken },
      }))).rejects.toMatchObject({ name: 'NotAuthorizedException' });
    }
  });

  it('case 18: flow: unknown identifiers (InitiateAuth by email and by phone, a made-up code) and a refused link request', async () => {
    const email = uniqueEmail();
    const phone = uniquePhone();

    const byEmail = await answerChallenge(context.sandbox, context.cognito, await startSignIn(context.sandbox, context.cognito, email), 'email-otp');
    const answered = await answerChallenge(context.sandbox, context.cognito, byEmail, wrongCode('583920'));
    const byPhone = await answerChallenge(context.sandbox, context.cognito, await startSignIn(context.sandbox, context.cognito, phone), 'sms-otp');
    const refused = await recorded('POST /magic-link', await requestLink(context.sandbox, email, 'https://attacker.example/'));

    expect(answered.AuthenticationResult).toBeUndefined();
    expect(byPhone.ChallengeParameters).toMatchObject({ challenge: 'CODE' });
    expect(refused.status).toBe(400);
    expect(context.sandbox.outbox().filter((message) => message.to.includes(email) || message.to.includes(phone))).toEqual([]);
  });

  it('case 18: no log line, API response body, error message or public challenge parameter holds a code, link token, token or session; all six functions logged, with debug lines written', () => {
    const sent = sentSecrets();
    const secrets = [...new Set([...sent, ...kept])].filter((secret) => secret.length >= 6);
    // The flows above really produced secrets of every kind: codes and link tokens sent, tokens and sessions obtained.
    expect(sent.filter((secret) => /^\d+$/.test(secret)).length).toBeGreaterThanOrEqual(5);
    expect(sent.filter((secret) => secret.includes('.')).length).toBeGreaterThanOrEqual(1);
    expect(kept.filter((secret) => /^eyJ/.test(secret)).length).toBeGreaterThanOrEqual(10);

    // Logs
    expectNoSecretInLogs(context.logs, [...secretsIn(context.sandbox.outbox()), ...kept]);

    // Answers: each may hold only what it exists to hand over
    const leaks = answers
      .map(({ what, text, own }) => ({ what, found: secrets.filter((secret) => !own.includes(secret) && text.includes(secret)).length }))
      .filter(({ found }) => found > 0);
    expect(answers.length).toBeGreaterThan(20);
    expect(leaks).toEqual([]);

    // Every function of the app logged structured lines, and the level was the most verbose one
    const pool = context.sandbox.app.userPools.find((candidate) => candidate.userPoolId === context.sandbox.info.userPoolId)!;
    const functions = [...new Set([
      ...Object.values(pool.triggers).map((fn) => fn!.name),
      ...context.sandbox.app.apis.flatMap((api) => api.routes.map((route) => route.function.name)),
    ])].sort();
    const levels = structuredLevels(context.logs);
    expect(functions).toHaveLength(6);
    expect(functions.filter((name) => !levels.has(name))).toEqual([]);
    expect([...levels.values()].some((seen) => seen.has(MOST_VERBOSE_LOG_LEVEL))).toBe(true);
  });
});

/** The levels of each function's JSON log lines (lines are `<function name> <line>`; other output is skipped). */
function structuredLevels(logs: readonly string[]): Map<string, Set<string>> {
  const levels = new Map<string, Set<string>>();
  for (const entry of logs) {
    const space = entry.indexOf(' ');
    const [name, line] = [entry.slice(0, space), entry.slice(space + 1)];
    if (!line.startsWith('{')) continue;
    try {
      const level = (JSON.parse(line) as { level?: unknown }).level;
      if (typeof level === 'string') levels.set(name, (levels.get(name) ?? new Set()).add(level));
    } catch {
      // not a structured line
    }
  }
  return levels;
}
