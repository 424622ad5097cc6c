import {
  InitiateAuthCommand,
  ListUsersCommand,
  RespondToAuthChallengeCommand,
  type AuthenticationResultType,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { signInWithEmailCode } from './custom-auth';
import { cognitoClient, latestCode, seedUser, startExampleSandbox, uniqueEmail } from './example-sandbox';
import { tokenVerifiers } from './token-verifiers';
import type { Sandbox } from '../../../sandbox/start';

/** What POST /sign-in answers with 200: Cognito's session and the code challenge, for the client to answer. */
export interface StartedSignIn {
  readonly session: string;
  readonly challengeName: string;
  readonly challengeParameters: Record<string, string>;
}

/** POST <apiUrl>sign-in as a client would. */
export async function postSignIn(sandbox: Sandbox, identifier: string, channel: 'email' | 'sms'): Promise<Response> {
  return postJson(sandbox, 'sign-in', { identifier, channel });
}

/** POST /sign-in that must answer 200; the started sign-in. */
export async function startApiSignIn(sandbox: Sandbox, identifier: string, channel: 'email' | 'sms'): Promise<StartedSignIn> {
  const response = await postSignIn(sandbox, identifier, channel);
  if (response.status !== 200) throw new Error(`POST sign-in answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as StartedSignIn;
}

/** POST <apiUrl>attributes with the user's access token. */
export async function postAttributes(sandbox: Sandbox, accessToken: string | undefined, body: object): Promise<Response> {
  return postJson(sandbox, 'attributes', body, accessToken);
}

/** POST <apiUrl>attributes/verify with the user's access token. */
export async function postAttributeCode(sandbox: Sandbox, accessToken: string | undefined, body: object): Promise<Response> {
  return postJson(sandbox, 'attributes/verify', body, accessToken);
}

async function postJson(sandbox: Sandbox, path: string, body: object, accessToken?: string): Promise<Response> {
  return fetch(`${sandbox.info.apiUrl}${path}`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      ...(accessToken !== undefined && { Authorization: `Bearer ${accessToken}` }),
    },
    body: JSON.stringify(body),
  });
}

/**
 * The client steps the sign-up and attribute tests share, bound to one sandbox. Every token they get is kept in
 * `issuedTokens`, so a test can check that no log line carries one.
 */
export function signUpClient(sandbox: Sandbox, cognito: CognitoIdentityProviderClient, verifiers: TokenVerifiers) {
  const issuedTokens: string[] = [];
  const keep = (tokens: AuthenticationResultType) => {
    issuedTokens.push(tokens.AccessToken!, tokens.RefreshToken!);
    return tokens;
  };

  /** Answers the code challenge POST /sign-in started, as a client does with the SDK v3. */
  const answerCode = (started: StartedSignIn, code: string) => cognito.send(new RespondToAuthChallengeCommand({
    ClientId: sandbox.info.userPoolClientId,
    ChallengeName: 'CUSTOM_CHALLENGE',
    Session: started.session,
    ChallengeResponses: { USERNAME: started.challengeParameters.USERNAME, ANSWER: code },
  }));

  return {
    issuedTokens,
    answerCode,

    /** Signs up (or in) through POST /sign-in and the code sent to `identifier`; the tokens. */
    async signInThroughApi(identifier: string, channel: 'email' | 'sms'): Promise<AuthenticationResultType> {
      const started = await startApiSignIn(sandbox, identifier, channel);
      const done = await answerCode(started, await latestCode(sandbox, identifier));
      if (!done.AuthenticationResult?.AccessToken) throw new Error(`The code sent to ${identifier} gave no tokens`);
      return keep(done.AuthenticationResult);
    },

    /** New tokens for the same sign-in (REFRESH_TOKEN_AUTH): they show the attributes as they are now. */
    async refreshed(tokens: AuthenticationResultType): Promise<AuthenticationResultType> {
      const out = await cognito.send(new InitiateAuthCommand({
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        ClientId: sandbox.info.userPoolClientId,
        AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken! },
      }));
      return out.AuthenticationResult!;
    },

    /** The ID token's claims, verified with aws-jwt-verify against the sandbox's JWKS. */
    async idClaims(tokens: AuthenticationResultType) {
      return verifiers.id.verify(tokens.IdToken!);
    },

    /** The users whose `attribute` is `value` (ListUsers). */
    async usersWith(attribute: 'email' | 'phone_number', value: string) {
      const out = await cognito.send(new ListUsersCommand({ UserPoolId: sandbox.info.userPoolId, Filter: `${attribute} = "${value}"` }));
      return out.Users ?? [];
    },

    /** A signed-in user with a verified email, created as an admin would. */
    async signedInUser(): Promise<{ email: string; username: string; tokens: AuthenticationResultType }> {
      const email = uniqueEmail();
      const username = await seedUser(sandbox, { email });
      return { email, username, tokens: keep(await signInWithEmailCode(sandbox, cognito, email, username)) };
    },
  };
}

type TokenVerifiers = Awaited<ReturnType<typeof tokenVerifiers>>;

/** Every code or link sent, every address written to, and `tokens`: none may be in a log line. */
export async function secretsSent(sandbox: Sandbox, tokens: readonly string[]): Promise<string[]> {
  const outbox = (await (await fetch(sandbox.info.outboxUrl)).json()) as { to: string[]; text: string }[];
  return [
    ...outbox.flatMap((message) => [...message.text.matchAll(/\b\d{6}\b|#[A-Za-z0-9_.-]{20,}/g)].map(([found]) => found.replace(/^#/, ''))),
    ...outbox.flatMap((message) => message.to),
    ...tokens,
  ];
}

/** The send cooldown the sign-up tests run with: the shortest the handlers accept (per user). */
export const COOLDOWN_SECONDS = 10;
/** The cooldown and a little more: how long a test waits before a user may get another code. */
export const COOLDOWN_MS = COOLDOWN_SECONDS * 1000 + 500;

/** What a sign-up test file works with; filled in by `useSignUpSandbox`'s beforeAll. */
export interface SignUpContext {
  sandbox: Sandbox;
  cognito: CognitoIdentityProviderClient;
  client: ReturnType<typeof signUpClient>;
  /** Every line the functions logged (at debug level), to check that none carries a secret. */
  readonly functionLogs: string[];
}

/**
 * Starts the example app's sandbox for the file (auto sign-up and attribute updates on, debug logs, the shortest
 * cooldown, no per-address limit since every request comes from 127.0.0.1) and stops it after.
 */
export function useSignUpSandbox(): SignUpContext {
  const context = { functionLogs: [] as string[] } as SignUpContext;
  beforeAll(async () => {
    context.sandbox = await startExampleSandbox({
      onLog: (functionName, line) => context.functionLogs.push(`${functionName} ${line}`),
      functionEnvironment: { SEND_COOLDOWN_SECONDS: String(COOLDOWN_SECONDS), MAX_REQUESTS_PER_IP_PER_MINUTE: '1000', LOG_LEVEL: 'debug' },
    });
    context.cognito = cognitoClient(context.sandbox);
    context.client = signUpClient(context.sandbox, context.cognito, await tokenVerifiers(context.sandbox));
  }, 120_000);
  afterAll(async () => {
    context.cognito?.destroy();
    await context.sandbox?.stop();
  });
  return context;
}

/** No function logged a code or link that was sent, an address written to, or a token the tests got. */
export async function expectNoSecretsLogged(context: SignUpContext): Promise<void> {
  const secrets = await secretsSent(context.sandbox, context.client.issuedTokens);
  expect(secrets.length).toBeGreaterThan(10);
  expect(context.functionLogs.length).toBeGreaterThan(0);
  expect(context.functionLogs.filter((line) => secrets.some((secret) => line.includes(secret)))).toEqual([]);
}
