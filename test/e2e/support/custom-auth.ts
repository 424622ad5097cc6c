import {
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  type AuthenticationResultType,
  type CognitoIdentityProviderClient,
  type InitiateAuthCommandOutput,
  type RespondToAuthChallengeCommandOutput,
} from '@aws-sdk/client-cognito-identity-provider';
import { latestCode, messagesTo } from './example-sandbox';
import type { Sandbox } from '../../../sandbox/start';

/** A version 4 UUID: the shape of every Cognito username here, and of the stand-in one an unknown user gets. */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The step a challenge is answered from: the session and the challenge parameters (USERNAME among them). */
export interface ChallengeStep {
  readonly Session?: string;
  readonly ChallengeParameters?: Record<string, string>;
}

/** InitiateAuth with CUSTOM_AUTH for `identifier` (an email address or a phone number) on the sandbox's app client. */
export async function startSignIn(
  sandbox: Sandbox,
  cognito: CognitoIdentityProviderClient,
  identifier: string,
  clientMetadata?: Record<string, string>,
): Promise<InitiateAuthCommandOutput> {
  return cognito.send(new InitiateAuthCommand({
    AuthFlow: 'CUSTOM_AUTH',
    ClientId: sandbox.info.userPoolClientId,
    AuthParameters: { USERNAME: identifier },
    ...(clientMetadata && { ClientMetadata: clientMetadata }),
  }));
}

/** RespondToAuthChallenge (CUSTOM_CHALLENGE) with `value`, sending back the USERNAME the previous step returned. */
export async function answerChallenge(
  sandbox: Sandbox,
  cognito: CognitoIdentityProviderClient,
  previous: ChallengeStep,
  value: string,
  clientMetadata?: Record<string, string>,
): Promise<RespondToAuthChallengeCommandOutput> {
  return cognito.send(new RespondToAuthChallengeCommand({
    ClientId: sandbox.info.userPoolClientId,
    ChallengeName: 'CUSTOM_CHALLENGE',
    Session: previous.Session,
    ChallengeResponses: { USERNAME: previous.ChallengeParameters!.USERNAME, ANSWER: value },
    ...(clientMetadata && { ClientMetadata: clientMetadata }),
  }));
}

/**
 * A whole email OTP sign-in as the user `username`: a code must arrive, and it must give tokens.
 * The handlers' send cooldown is per user, so a second sign-in of one user within it gets no code.
 */
export async function signInWithEmailCode(
  sandbox: Sandbox,
  cognito: CognitoIdentityProviderClient,
  email: string,
  username: string,
): Promise<AuthenticationResultType> {
  const before = await messagesTo(sandbox, email);
  const choose = await startSignIn(sandbox, cognito, email);
  expect(choose.ChallengeParameters!.USERNAME).toBe(username);
  const challenge = await answerChallenge(sandbox, cognito, choose, 'email-otp');
  expect(await messagesTo(sandbox, email)).toBe(before + 1);
  const done = await answerChallenge(sandbox, cognito, challenge, await latestCode(sandbox, email));
  expect(done.AuthenticationResult?.AccessToken).toBeDefined();
  return done.AuthenticationResult!;
}

/**
 * What an unknown identifier gets: the same challenges, a stand-in USERNAME other than `notUsername`, and no
 * code sent (asked for by email for an email address, by SMS for a phone number).
 */
export async function expectUnknown(
  sandbox: Sandbox,
  cognito: CognitoIdentityProviderClient,
  identifier: string,
  notUsername: string,
): Promise<void> {
  const before = await messagesTo(sandbox, identifier);
  const choose = await startSignIn(sandbox, cognito, identifier);
  expect(choose.ChallengeParameters).toMatchObject({ challenge: 'CHOOSE' });
  expect(choose.ChallengeParameters!.USERNAME).toMatch(UUID);
  expect(choose.ChallengeParameters!.USERNAME).not.toBe(notUsername);
  const code = await answerChallenge(sandbox, cognito, choose, identifier.includes('@') ? 'email-otp' : 'sms-otp');
  expect(code.ChallengeParameters).toMatchObject({ challenge: 'CODE' });
  expect(await messagesTo(sandbox, identifier)).toBe(before);
}
