import { Annotations, Duration } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { definedValues } from './defined-values';
import { EmailOtpOptions } from './email-otp-options';
import { MagicLinkApi } from './magic-link-api';
import { MagicLinkEmailOptions, MagicLinkOptions } from './magic-link-options';
import { suppressNagRule } from './nag-suppressions';
import { OtpChallengeTriggers, OtpChallengeTriggersOptions } from './otp-challenge-triggers';
import { RateLimitWebAcl } from './rate-limit-web-acl';
import { validateIntegerRange } from './validation';

/**
 * Properties of `PasswordlessUserPool`.
 */
export interface PasswordlessUserPoolProps extends OtpChallengeTriggersOptions {
  /**
   * User pool settings merged over the passwordless defaults (shallow: a given property replaces the default).
   *
   * The custom-auth triggers are this construct's; setting `lambdaTriggers.defineAuthChallenge`,
   * `createAuthChallenge` or `verifyAuthChallengeResponse` is an error. Other triggers are kept.
   *
   * @default - no self sign-up, email and/or phone as the username, case-insensitive, verified before update,
   * no account recovery, MFA off, a strong placeholder password policy
   * @see https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pool-settings.html
   */
  readonly userPoolProps?: cognito.UserPoolProps;

  /**
   * App client settings merged over the passwordless client defaults (shallow: a given property replaces the default).
   *
   * @default - custom auth and refresh only, no secret, no OAuth, user existence errors prevented, token revocation,
   * 15-minute access and ID tokens, 30-day refresh tokens, no writable `*_verified`, `phone_number` or custom attributes
   * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-client-apps.html
   */
  readonly userPoolClientProps?: cognito.UserPoolClientOptions;

  /**
   * Sign-in with a link sent by email: creates a `MagicLinkApi` wired to the pool, its triggers and `userPoolClient`
   * (for `autoSignUp`), and makes the email address a sign-in alias (verified before it is used) even without email codes.
   * @default - no magic links
   */
  readonly magicLink?: MagicLinkOptions;

  /**
   * Associates a WAF web ACL with the user pool that blocks a source IP above this many requests in 5 minutes
   * (InitiateAuth, RespondToAuthChallenge and the pool's other public operations), from 10 to 2,000,000,000.
   * WAF bills per web ACL, rule and request.
   * @default - no web ACL; the triggers still limit codes, attempts and failures per identifier
   * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-waf.html
   */
  readonly wafRateLimit?: number;
}

/**
 * A Cognito user pool, an app client and the triggers for passwordless sign-in with one-time codes sent by
 * email and/or SMS, and optionally magic links sent by email.
 *
 * Users cannot sign themselves up (create them with AdminCreateUser, or let `magicLink.autoSignUp` create them on
 * their first sign-in) and sign in with the custom-auth flow: `InitiateAuth(CUSTOM_AUTH)` with their email address or
 * phone number, then the chosen method, then the code.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-authentication-flow.html
 */
export class PasswordlessUserPool extends Construct {
  /** The user pool. */
  public readonly userPool: cognito.IUserPool;

  /** The app client with the passwordless defaults. */
  public readonly userPoolClient: cognito.IUserPoolClient;

  /** The custom-auth triggers and their state table. */
  public readonly triggers: OtpChallengeTriggers;

  /** The DefineAuthChallenge trigger function. */
  public readonly defineAuthChallengeFunction: lambda.IFunction;

  /** The CreateAuthChallenge trigger function. */
  public readonly createAuthChallengeFunction: lambda.IFunction;

  /** The VerifyAuthChallengeResponse trigger function. */
  public readonly verifyAuthChallengeFunction: lambda.IFunction;

  /** The API that sends magic links, when `magicLink` is set. */
  public readonly magicLinkApi?: MagicLinkApi;

  /** ARN of the WAF web ACL associated with the user pool, when `wafRateLimit` is set. */
  public readonly webAclArn?: string;

  private readonly pool: cognito.UserPool;

  constructor(scope: Construct, id: string, props: PasswordlessUserPoolProps) {
    super(scope, id);
    const { userPoolProps = {}, userPoolClientProps, magicLink, wafRateLimit, ...triggerOptions } = props;
    // Email is a sign-in alias for email codes and for magic links.
    const email = props.email !== undefined || magicLink !== undefined;
    const sms = props.sms !== undefined;

    validateUserPoolProps(userPoolProps);
    validateIntegerRange('wafRateLimit', wafRateLimit, 10, 2_000_000_000);
    const linkEmail = magicLink ? magicLinkEmail(magicLink, props.email, userPoolProps) : undefined;
    if (userPoolProps.selfSignUpEnabled) {
      Annotations.of(this).addWarningV2('cdk-passwordless:selfSignUpEnabled',
        'userPoolProps.selfSignUpEnabled is true: anyone can call SignUp, which creates users and tells callers which '
        + 'email addresses and phone numbers already have an account. Prefer creating users server side with AdminCreateUser.');
    }

    this.triggers = new OtpChallengeTriggers(this, 'Triggers', triggerOptions);
    this.defineAuthChallengeFunction = this.triggers.defineAuthChallengeFunction;
    this.createAuthChallengeFunction = this.triggers.createAuthChallengeFunction;
    this.verifyAuthChallengeFunction = this.triggers.verifyAuthChallengeFunction;

    this.pool = new cognito.UserPool(this, 'UserPool', {
      selfSignUpEnabled: false,
      signInAliases: { email, phone: sms },
      signInCaseSensitive: false,
      autoVerify: { email, phone: sms },
      // A changed email or phone number is used for sign-in only once the user has verified it.
      keepOriginal: { email, phone: sms },
      accountRecovery: cognito.AccountRecovery.NONE,
      mfa: cognito.Mfa.OFF,
      // Nobody signs in with a password; a policy Cognito still demands is made as hard as possible to satisfy.
      passwordPolicy: {
        minLength: 64,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(1),
      },
      standardAttributes: {
        email: { required: false, mutable: true },
        phoneNumber: { required: false, mutable: true },
      },
      ...definedValues(userPoolProps),
    });
    this.userPool = this.pool;
    this.triggers.attachTo(this.pool);

    this.userPoolClient = this.addClient('Client', userPoolClientProps);

    if (magicLink && linkEmail) {
      this.magicLinkApi = new MagicLinkApi(this, 'MagicLink', {
        ...magicLink,
        email: linkEmail,
        userPool: this.pool,
        triggers: this.triggers,
        userPoolClient: this.userPoolClient,
        // A username sign-in alias means a pool with sign-in aliases, which magicLink.autoSignUp does not support.
        usernameAttributes: !(userPoolProps.signInAliases?.username || userPoolProps.signInAliases?.preferredUsername),
      });
    }

    if (wafRateLimit !== undefined) {
      this.webAclArn = new RateLimitWebAcl(this, 'RateLimit', {
        resourceArn: this.pool.userPoolArn,
        limit: wafRateLimit,
        metricName: 'UserPool',
        description: 'the user pool',
      }).webAclArn;
    }

    const poolResource = this.pool.node.defaultChild!;
    if ((userPoolProps.mfa ?? cognito.Mfa.OFF) !== cognito.Mfa.REQUIRED) {
      suppressNagRule(poolResource, 'AwsSolutions-COG2',
        'Sign-in is passwordless: the one-time code sent to a verified email address or phone number replaces the password, so there is no first factor for MFA to complement.');
    }
    if (userPoolProps.featurePlan !== cognito.FeaturePlan.PLUS) {
      suppressNagRule(poolResource, 'AwsSolutions-COG8',
        'Threat protection needs the paid Plus feature plan, an opt-in via userPoolProps.featurePlan; the triggers already limit code guessing (attempts per code, failures per identifier) and there are no passwords to protect.');
    }
    const smsRole = this.pool.node.tryFindChild('smsRole');
    if (smsRole) {
      suppressNagRule(smsRole, 'AwsSolutions-IAM5',
        'Cognito sends phone number verification codes with sns:Publish to a phone number, which has no resource ARN; the role trusts only this user pool via its external ID.',
        ['Resource::*']);
    }
  }

  /**
   * Adds another app client with the same passwordless defaults as `userPoolClient`, merged under `options`.
   *
   * @param id construct id of the client
   * @param options client settings that replace the defaults
   */
  public addClient(id: string, options?: cognito.UserPoolClientOptions): cognito.IUserPoolClient {
    const overrides = options ?? {};
    const passwordFlows = (['userPassword', 'userSrp', 'adminUserPassword'] as const)
      .filter((flow) => overrides.authFlows?.[flow]);
    if (passwordFlows.length > 0) {
      Annotations.of(this).addWarningV2('cdk-passwordless:passwordAuthFlows',
        `App client ${id} enables the password auth flows ${passwordFlows.join(', ')}: users of a passwordless pool have no `
        + 'password they know, and these flows only add an attack surface. Keep authFlows to { custom: true }.');
    }
    const writable = overrides.writeAttributes?.attributes() ?? [];
    const selfVouching = writable.filter((name) => name.endsWith('_verified') || name.startsWith('custom:'));
    if (selfVouching.length > 0) {
      Annotations.of(this).addWarningV2('cdk-passwordless:writableVerifiedOrCustom',
        `App client ${id} lets users write ${selfVouching.join(', ')} themselves: a user could mark an address or number `
        + 'verified that they never proved, or set a custom attribute your backend may trust (a role, a tenant). '
        + 'Write those server side (AdminUpdateUserAttributes) instead.');
    }
    if (writable.includes('phone_number')) {
      Annotations.of(this).addWarningV2('cdk-passwordless:writablePhoneNumber',
        `App client ${id} lets users write phone_number themselves: Cognito then texts a verification code to any number, `
        + 'in any country, outside sms.allowedCountryCallingCodes and the send limits (SMS pumping). '
        + 'Offer magicLink.attributeUpdates (POST /attributes) instead.');
    }
    const codeLifetime = this.triggers.codeLifetime;
    return this.pool.addClient(id, {
      authFlows: { custom: true },
      generateSecret: false,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      // OAuth is off unless the caller configures it.
      disableOAuth: overrides.oAuth === undefined,
      accessTokenValidity: Duration.minutes(15),
      idTokenValidity: Duration.minutes(15),
      refreshTokenValidity: Duration.days(30),
      // The sign-in session must outlive a code, within Cognito's 3 to 15 minutes.
      authSessionValidity: codeLifetime.isUnresolved()
        ? Duration.minutes(3)
        : Duration.seconds(Math.min(Math.max(codeLifetime.toSeconds(), 180), 900)),
      readAttributes: new cognito.ClientAttributes().withStandardAttributes(STANDARD_ATTRIBUTES),
      // The client must not mark its own email address or phone number as verified (R19). Nor may it set its
      // phone number: Cognito would text a code to any number, outside the allow-list and send limits (R21).
      writeAttributes: new cognito.ClientAttributes().withStandardAttributes({
        ...STANDARD_ATTRIBUTES,
        emailVerified: false,
        phoneNumber: false,
        phoneNumberVerified: false,
      }),
      ...definedValues(overrides),
    });
  }
}

/** Every standard attribute. */
const STANDARD_ATTRIBUTES: cognito.StandardAttributesMask = {
  address: true,
  birthdate: true,
  email: true,
  emailVerified: true,
  familyName: true,
  fullname: true,
  gender: true,
  givenName: true,
  lastUpdateTime: true,
  locale: true,
  middleName: true,
  nickname: true,
  phoneNumber: true,
  phoneNumberVerified: true,
  preferredUsername: true,
  profilePage: true,
  profilePicture: true,
  timezone: true,
  website: true,
};

/** The link email: `magicLink.email`, or the sender of the email codes; users must sign in with their email address. */
function magicLinkEmail(
  magicLink: MagicLinkOptions,
  otpEmail: EmailOtpOptions | undefined,
  userPoolProps: cognito.UserPoolProps,
): MagicLinkEmailOptions {
  if (userPoolProps.signInAliases && !userPoolProps.signInAliases.email) {
    throw new Error('userPoolProps.signInAliases must include email when magicLink is set: a magic link signs in the user '
      + 'whose email address received it, so users must be able to sign in with their email address');
  }
  if (magicLink.email) return magicLink.email;
  if (!otpEmail) {
    throw new Error('magicLink.email must be set when email (email codes) is not: it names the sender of the link emails, '
      + "e.g. magicLink: { email: { fromAddress: 'no-reply@example.com' }, redirectUrls: [...] }");
  }
  return {
    fromAddress: otpEmail.fromAddress,
    sesIdentity: otpEmail.sesIdentity,
    configurationSetName: otpEmail.configurationSetName,
  };
}

function validateUserPoolProps(userPoolProps: cognito.UserPoolProps): void {
  const owned = (['defineAuthChallenge', 'createAuthChallenge', 'verifyAuthChallengeResponse'] as const)
    .filter((trigger) => userPoolProps.lambdaTriggers?.[trigger] !== undefined);
  if (owned.length > 0) {
    throw new Error(`userPoolProps.lambdaTriggers must not set ${owned.join(', ')}: PasswordlessUserPool installs its own `
      + 'custom-auth triggers; use OtpChallengeTriggers with your own user pool to combine them differently');
  }
}
