// Sign-in steps on the sandbox's own Cognito client (`context.cognito`), for the tests that drive sign-ins by hand:
// every session and token they get is kept as a secret that no log line may hold.
import type {
  AuthenticationResultType,
  InitiateAuthCommandOutput,
  RespondToAuthChallengeCommandOutput,
} from '@aws-sdk/client-cognito-identity-provider';
import { keepTokens } from './adversary';
import type { SecurityContext } from './security-sandbox';
import { answerChallenge, startSignIn, type ChallengeStep } from '../../e2e/support/custom-auth';
import { latestCode, seedUser, uniqueEmail } from '../../e2e/support/example-sandbox';
import type { StartedSignIn } from '../../e2e/support/sign-up-api';

/** InitiateAuth and the choice of `method`: the CHOOSE step and the CODE step it led to (a code is sent unless something holds it back). */
export async function requestCode(
  context: SecurityContext,
  identifier: string,
  method: 'email-otp' | 'sms-otp',
): Promise<{ choose: InitiateAuthCommandOutput; step: RespondToAuthChallengeCommandOutput }> {
  const { sandbox, cognito } = context;
  const choose = await startSignIn(sandbox, cognito, identifier);
  const step = await answerChallenge(sandbox, cognito, choose, method);
  context.keepSecret(choose.Session, step.Session);
  expect(step.ChallengeParameters).toMatchObject({ challenge: 'CODE' });
  return { choose, step };
}

/** A seeded user with a verified email and a code on its way: the email, username, code and CODE step. */
export async function userWithCode(context: SecurityContext) {
  const email = uniqueEmail();
  const username = await seedUser(context.sandbox, { email });
  const { step } = await requestCode(context, email, 'email-otp');
  return { email, username, step, code: await latestCode(context.sandbox, email) };
}

/** The tokens of a response that must have signed in (it must carry an access token): kept; the access token. */
export function expectTokens(context: SecurityContext, done: { AuthenticationResult?: AuthenticationResultType }): string {
  expect(done.AuthenticationResult?.AccessToken).toEqual(expect.any(String));
  keepTokens(context, done.AuthenticationResult);
  return done.AuthenticationResult!.AccessToken!;
}

/** Answers `step` with `code`, which must sign in; the access token. */
export async function expectSignedIn(context: SecurityContext, step: ChallengeStep, code: string): Promise<string> {
  return expectTokens(context, await answerChallenge(context.sandbox, context.cognito, step, code));
}

/** The code challenge a 200 from POST /sign-in started (its session kept), as a step to answer. */
export async function apiSignInStep(context: SecurityContext, response: Response): Promise<ChallengeStep> {
  const started = (await response.json()) as StartedSignIn;
  context.keepSecret(started.session);
  return { Session: started.session, ChallengeParameters: started.challengeParameters };
}

/** A 6-digit code other than `code`. */
export const otherCode = (code: string) => (code === '000000' ? '000001' : '000000');
