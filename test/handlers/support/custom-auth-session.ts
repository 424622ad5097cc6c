import type {
  CreateAuthChallengeTriggerEvent,
  DefineAuthChallengeTriggerEvent,
  VerifyAuthChallengeResponseTriggerEvent,
} from 'aws-lambda';

type Handler<E> = (event: E) => Promise<E>;

export interface Triggers {
  define: Handler<DefineAuthChallengeTriggerEvent>;
  create: Handler<CreateAuthChallengeTriggerEvent>;
  verify: Handler<VerifyAuthChallengeResponseTriggerEvent>;
}

export interface TestUser {
  readonly userName: string;
  readonly userNotFound?: boolean;
  readonly attributes?: Record<string, string>;
}

/** What the client sees; `failed` is Cognito's NotAuthorizedException. */
export type Step =
  | { readonly kind: 'challenge'; readonly parameters: Record<string, string> }
  | { readonly kind: 'tokens' }
  | { readonly kind: 'failed' };

interface SessionRound {
  challengeName: 'CUSTOM_CHALLENGE';
  challengeResult: boolean;
  challengeMetadata?: string;
}

/**
 * Drives the three triggers the way Cognito's CUSTOM_AUTH loop does (InitiateAuth, then
 * RespondToAuthChallenge rounds), so handler tests exercise the whole state machine.
 */
export class CustomAuthSession {
  private readonly session: SessionRound[] = [];
  private current?: { privateParameters: Record<string, string>; metadata?: string };

  constructor(private readonly triggers: Triggers, private readonly user: TestUser, private readonly userPoolId = 'us-east-1_TestPool') {}

  /** InitiateAuth(CUSTOM_AUTH). */
  async start(): Promise<Step> {
    return this.advance();
  }

  /** RespondToAuthChallenge(ANSWER), whose ClientMetadata Cognito passes to all three triggers. */
  async respond(answer: string, clientMetadata?: Record<string, string>): Promise<Step> {
    if (!this.current) throw new Error('no open challenge');
    const verified = await this.triggers.verify({
      ...this.common('VerifyAuthChallengeResponse_Authentication'),
      request: {
        userAttributes: this.user.attributes ?? {},
        privateChallengeParameters: this.current.privateParameters,
        challengeAnswer: answer,
        userNotFound: this.user.userNotFound ?? false,
        clientMetadata,
      },
      response: { answerCorrect: false },
    } as VerifyAuthChallengeResponseTriggerEvent);
    this.session.push({
      challengeName: 'CUSTOM_CHALLENGE',
      challengeResult: verified.response.answerCorrect,
      challengeMetadata: this.current.metadata,
    });
    this.current = undefined;
    return this.advance(clientMetadata);
  }

  private async advance(clientMetadata?: Record<string, string>): Promise<Step> {
    const defined = await this.triggers.define({
      ...this.common('DefineAuthChallenge_Authentication'),
      request: {
        userAttributes: this.user.attributes ?? {},
        session: [...this.session],
        userNotFound: this.user.userNotFound ?? false,
        clientMetadata,
      },
      response: { challengeName: '', issueTokens: false, failAuthentication: false },
    } as DefineAuthChallengeTriggerEvent);
    if (defined.response.issueTokens) return { kind: 'tokens' };
    if (defined.response.failAuthentication) return { kind: 'failed' };
    const created = await this.triggers.create({
      ...this.common('CreateAuthChallenge_Authentication'),
      request: {
        userAttributes: this.user.attributes ?? {},
        challengeName: 'CUSTOM_CHALLENGE',
        session: [...this.session],
        userNotFound: this.user.userNotFound ?? false,
        clientMetadata,
      },
      response: { publicChallengeParameters: {}, privateChallengeParameters: {}, challengeMetadata: '' },
    } as CreateAuthChallengeTriggerEvent);
    this.current = {
      privateParameters: created.response.privateChallengeParameters,
      metadata: created.response.challengeMetadata,
    };
    return { kind: 'challenge', parameters: created.response.publicChallengeParameters };
  }

  private common(triggerSource: string) {
    return {
      version: '1',
      region: 'us-east-1',
      userPoolId: this.userPoolId,
      userName: this.user.userName,
      callerContext: { awsSdkVersion: 'test', clientId: 'test-client' },
      triggerSource,
    };
  }
}
