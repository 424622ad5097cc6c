import { createHmac, randomBytes } from 'node:crypto';
import type { ClientModel } from '../model';
import type { AuthSession, ChallengeResult, PendingChallenge } from './auth-sessions';
import { CognitoError, incorrectCredentials, invalidParameter } from './errors';
import { readableBy, type LocalPool } from './local-pool';
import type { IssuedTokens } from './tokens';
import {
  createAuthChallengeEvent,
  defineAuthChallengeEvent,
  verifyAuthChallengeEvent,
  type ChallengeContext,
  type TriggerInvoker,
} from './trigger-events';
import type { UserRecord } from './user-directory';

/** What InitiateAuth and RespondToAuthChallenge answer: a challenge with a new session, or tokens. */
export type AuthOutcome =
  | { ChallengeName: string; Session: string; ChallengeParameters: Record<string, string> }
  | { ChallengeParameters: Record<string, string>; AuthenticationResult: IssuedTokens };

/** Cognito ends a custom-auth sign-in after this many challenge rounds (see docs/sandbox.md). */
export const MAX_ROUNDS = 50;

/** Per-process key for the stable stand-in usernames of unknown users. */
const PLACEHOLDER_KEY = randomBytes(32);

/**
 * The CUSTOM_AUTH flow: Define decides, Create sets a challenge, Verify checks an answer, with
 * Cognito's rules for sessions, unknown users and client metadata.
 */
export class CustomAuthFlow {
  constructor(private readonly pool: LocalPool, private readonly invoke: TriggerInvoker) {}

  /** InitiateAuth with AuthFlow CUSTOM_AUTH. Its ClientMetadata reaches none of the challenge triggers. */
  async initiate(client: ClientModel, parameters: Record<string, string>): Promise<AuthOutcome> {
    const identifier = parameters.USERNAME;
    if (!identifier) throw invalidParameter('Missing required parameter USERNAME');
    const user = this.pool.users.find(identifier);
    if (!user && !client.preventUserExistenceErrors) {
      throw new CognitoError('UserNotFoundException', 'User does not exist.');
    }
    if (user) this.checkCanSignIn(user);
    this.requireTriggers();
    const userName = user?.username ?? this.unknownUserName(identifier);
    return this.nextStep({ client, user, userName, identifier, results: [] }, undefined);
  }

  /** RespondToAuthChallenge for CUSTOM_CHALLENGE: Verify, then Define again, with this call's ClientMetadata. */
  async respond(
    client: ClientModel,
    sessionToken: string,
    responses: Record<string, string>,
    clientMetadata: Record<string, string> | undefined,
  ): Promise<AuthOutcome> {
    const answerer = responses.USERNAME;
    if (!answerer) throw invalidParameter('Missing required parameter USERNAME');
    if (responses.ANSWER === undefined) throw invalidParameter('Missing required parameter ANSWER');
    const session = this.pool.sessions.take(sessionToken, client.clientId);
    if (!this.answersFor(session, answerer)) throw incorrectCredentials();
    const user = session.user ? this.pool.users.find(session.user.username) : undefined;
    if (session.user && !user) throw incorrectCredentials();
    if (user) this.checkCanSignIn(user);

    const context = this.context(session, user, clientMetadata);
    const verify = await this.invoke(
      this.pool.model,
      'VerifyAuthChallengeResponse',
      verifyAuthChallengeEvent(context, session.pending.privateChallengeParameters, responses.ANSWER),
    );
    const result: ChallengeResult = {
      challengeName: session.pending.challengeName,
      challengeResult: verify.response.answerCorrect === true,
      ...(session.pending.challengeMetadata !== undefined ? { challengeMetadata: session.pending.challengeMetadata } : {}),
    };
    return this.nextStep({ ...session, user, results: [...session.results, result] }, clientMetadata);
  }

  private async nextStep(
    state: Omit<AuthSession, 'pending'>,
    clientMetadata: Record<string, string> | undefined,
  ): Promise<AuthOutcome> {
    if (state.results.length >= MAX_ROUNDS) throw incorrectCredentials();
    const context = this.context(state, state.user, clientMetadata);
    const define = await this.invoke(this.pool.model, 'DefineAuthChallenge', defineAuthChallengeEvent(context));
    const decision = define.response;
    if (decision.failAuthentication === true) throw incorrectCredentials();
    if (decision.issueTokens === true) {
      if (!state.user) throw incorrectCredentials();
      const tokens = this.pool.tokens.issueForSignIn(this.pool.subject(state.user), state.client, readableBy(state.client));
      return { ChallengeParameters: {}, AuthenticationResult: tokens };
    }
    if (decision.challengeName !== 'CUSTOM_CHALLENGE') {
      throw new CognitoError(
        'InvalidLambdaResponseException',
        'Unrecognizable lambda output',
      );
    }
    const pending = await this.createChallenge(context, decision.challengeName);
    // Cognito fails a round whose challenge has no private parameters (observed; see docs/sandbox.md).
    if (Object.keys(pending.privateChallengeParameters).length === 0) throw incorrectCredentials();
    const sessionToken = this.pool.sessions.issue({ ...state, pending });
    return {
      ChallengeName: pending.challengeName,
      Session: sessionToken,
      ChallengeParameters: { ...pending.publicChallengeParameters, USERNAME: state.userName },
    };
  }

  private async createChallenge(context: ChallengeContext, challengeName: string): Promise<PendingChallenge> {
    const create = await this.invoke(this.pool.model, 'CreateAuthChallenge', createAuthChallengeEvent(context, challengeName));
    return {
      challengeName,
      publicChallengeParameters: stringRecord(create.response.publicChallengeParameters),
      privateChallengeParameters: stringRecord(create.response.privateChallengeParameters),
      ...(typeof create.response.challengeMetadata === 'string' ? { challengeMetadata: create.response.challengeMetadata } : {}),
    };
  }

  private context(
    state: Omit<AuthSession, 'pending'>,
    user: UserRecord | undefined,
    clientMetadata: Record<string, string> | undefined,
  ): ChallengeContext {
    return {
      pool: this.pool.model,
      region: this.pool.region,
      clientId: state.client.clientId,
      preventUserExistenceErrors: state.client.preventUserExistenceErrors,
      userName: state.userName,
      user,
      results: state.results,
      clientMetadata,
    };
  }

  /** The USERNAME of an answer must name the same sign-in: the returned username or what the client started with. */
  private answersFor(session: AuthSession, answerer: string): boolean {
    if (answerer === session.userName || answerer.toLowerCase() === session.identifier.toLowerCase()) return true;
    const user = this.pool.users.find(answerer);
    return user !== undefined && user.username === session.user?.username;
  }

  private requireTriggers(): void {
    const { triggers } = this.pool.model;
    if (!triggers.DefineAuthChallenge || !triggers.CreateAuthChallenge || !triggers.VerifyAuthChallengeResponse) {
      throw new CognitoError('InvalidParameterException', 'Custom auth lambda trigger is not configured for the user pool.');
    }
  }

  /** In pools that sign in by email or phone, real usernames are UUIDs: an unknown user's must look the same. */
  private unknownUserName(identifier: string): string {
    if (this.pool.model.usernameAttributes.length === 0) return identifier;
    return placeholderUsername(this.pool.model.userPoolId, identifier);
  }

  private checkCanSignIn(user: UserRecord): void {
    if (!user.enabled) throw new CognitoError('NotAuthorizedException', 'User is disabled.');
    if (user.status === 'UNCONFIRMED') throw new CognitoError('UserNotConfirmedException', 'User is not confirmed.');
    if (user.status === 'RESET_REQUIRED') throw new CognitoError('PasswordResetRequiredException', 'Password reset required for the user');
  }
}

/** A stand-in username for an unknown user: stable for the identifier, shaped like a real one (a UUID). */
export function placeholderUsername(userPoolId: string, identifier: string): string {
  const hex = createHmac('sha256', PLACEHOLDER_KEY).update(`${userPoolId}\n${identifier.toLowerCase()}`).digest('hex');
  const variant = '89ab'[parseInt(hex[16], 16) % 4];
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function stringRecord(value: unknown): Record<string, string> {
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object') {
    throw new CognitoError('InvalidLambdaResponseException', 'Invalid lambda response: challenge parameters must be a map of strings');
  }
  const record: Record<string, string> = {};
  for (const [key, item] of Object.entries(value)) record[key] = String(item);
  return record;
}
