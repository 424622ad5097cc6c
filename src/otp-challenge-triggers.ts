import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { ownRoleFunctionProps } from './api-function';
import { CreateAuthChallengeFunction } from './create-auth-challenge-function';
import { DefineAuthChallengeFunction } from './define-auth-challenge-function';
import { definedValues } from './defined-values';
import { emailEnvironment, sesResources, smsEnvironment } from './delivery-environment';
import { EmailOtpOptions } from './email-otp-options';
import { InputLimitOptions } from './input-limit-options';
import { suppressNagRule } from './nag-suppressions';
import { OtpOptions } from './otp-options';
import { SmsOtpOptions } from './sms-otp-options';
import { createSmsSpendAlarm } from './sms-spend-alarm';
import { StateTableOptions } from './state-table-options';
import { DEFAULTS } from './trigger-defaults';
import { TriggerFunctionOptions } from './trigger-function-options';
import { validateEnvironmentSize, validateProps } from './trigger-validation';
import { VerifyAuthChallengeFunction } from './verify-auth-challenge-function';

/**
 * Channels, code policy and function settings of the OTP challenge triggers, shared by `OtpChallengeTriggersProps`
 * and `PasswordlessUserPoolProps`.
 */
export interface OtpChallengeTriggersOptions {
  /**
   * Sign-in with a code sent by email through Amazon SES; at least one of `email` and `sms` is required.
   * @default - no email codes
   */
  readonly email?: EmailOtpOptions;

  /**
   * Sign-in with a code sent by SMS through Amazon SNS; at least one of `email` and `sms` is required.
   * @default - no SMS codes
   */
  readonly sms?: SmsOtpOptions;

  /**
   * Strength, lifetime and rate limits of the codes.
   * @default - the defaults of each `OtpOptions` property
   */
  readonly otp?: OtpOptions;

  /**
   * Largest answers, client metadata and API request bodies the handlers read (R22).
   * @default - the defaults of each `InputLimitOptions` property
   */
  readonly inputLimits?: InputLimitOptions;

  /**
   * Settings applied to all three trigger functions.
   * @default - the defaults of each `TriggerFunctionOptions` property
   */
  readonly functionDefaults?: TriggerFunctionOptions;

  /**
   * Settings of the DefineAuthChallenge function, merged over `functionDefaults`.
   * @default - `functionDefaults`
   * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-define-auth-challenge.html
   */
  readonly defineAuthChallenge?: TriggerFunctionOptions;

  /**
   * Settings of the CreateAuthChallenge function, merged over `functionDefaults`.
   * @default - `functionDefaults`
   * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-create-auth-challenge.html
   */
  readonly createAuthChallenge?: TriggerFunctionOptions;

  /**
   * Settings of the VerifyAuthChallengeResponse function, merged over `functionDefaults`.
   * @default - `functionDefaults`
   * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-verify-auth-challenge-response.html
   */
  readonly verifyAuthChallenge?: TriggerFunctionOptions;

  /**
   * Settings of the DynamoDB table that holds the challenge state.
   * @default - AWS managed encryption, removed with the stack, no point-in-time recovery
   */
  readonly stateTable?: StateTableOptions;

  /**
   * Log level of the handlers: 'debug', 'info', 'warn' or 'error'; no level ever logs a code.
   * @default 'info'
   */
  readonly logLevel?: string;
}

/**
 * Properties of `OtpChallengeTriggers`.
 */
export interface OtpChallengeTriggersProps extends OtpChallengeTriggersOptions {
  /**
   * A user pool to attach the triggers to right away (see `attachTo`).
   * @default - not attached; call `attachTo` or `allowInvocationBy`
   */
  readonly userPool?: cognito.UserPool;
}

/**
 * The three Cognito custom-auth triggers for one-time codes by email and/or SMS, with their state table; they also
 * redeem magic links once a `MagicLinkApi` enables them (`enableMagicLinks`).
 *
 * Attach them to a user pool CDK manages with `attachTo(userPool)` (or the `userPool` prop). For a user pool
 * CDK cannot modify, call `allowInvocationBy(userPoolArn)`; the pool's owner must then set the pool's
 * `LambdaConfig` to `DefineAuthChallenge` = `defineAuthChallengeFunction.functionArn`,
 * `CreateAuthChallenge` = `createAuthChallengeFunction.functionArn` and `VerifyAuthChallengeResponse` =
 * `verifyAuthChallengeFunction.functionArn`, and give the app client only the `ALLOW_CUSTOM_AUTH` and
 * `ALLOW_REFRESH_TOKEN_AUTH` flows with `PreventUserExistenceErrors` set to `ENABLED`.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-challenge.html
 */
export class OtpChallengeTriggers extends Construct {
  /** The DynamoDB table that holds hashed codes, attempt counters and send quotas. */
  public readonly table: dynamodb.ITable;

  /** The DefineAuthChallenge trigger function. */
  public readonly defineAuthChallengeFunction: lambda.IFunction;

  /** The CreateAuthChallenge trigger function. */
  public readonly createAuthChallengeFunction: lambda.IFunction;

  /** The VerifyAuthChallengeResponse trigger function; it issues, sends and checks the codes. */
  public readonly verifyAuthChallengeFunction: lambda.IFunction;

  /** Digits of a code. */
  public readonly codeLength: number;

  /** How long a code can be redeemed after it was sent. */
  public readonly codeLifetime: Duration;

  /** Wrong answers allowed per code. */
  public readonly maxAttemptsPerCode: number;

  /** Minimum time between two codes or links sent to the same identifier. */
  public readonly sendCooldown: Duration;

  /** Codes and links sent to one identifier per rolling hour. */
  public readonly maxSendsPerHour: number;

  /** Failed answers per identifier within `failureWindow` after which no new code or link is issued. */
  public readonly maxFailuresPerIdentifier: number;

  /** Window in which failed answers per identifier are counted. */
  public readonly failureWindow: Duration;

  /** Log level of the handlers: 'debug', 'info', 'warn' or 'error'. */
  public readonly logLevel: string;

  /** Delivery of codes by SMS, when the triggers send them. */
  public readonly sms?: SmsOtpOptions;

  /** Longest challenge answer the verify trigger looks at, in characters. */
  public readonly maxAnswerLength: number;

  /** Largest `ClientMetadata` of an answer, in bytes of its JSON. */
  public readonly maxClientMetadataBytes: number;

  /** Largest request body the HTTP API functions read, in bytes (`MagicLinkApi` uses it). */
  public readonly maxRequestBodyBytes: number;

  /** The alarm on the month's SMS spend, when `sms.monthlySpendAlarmUsd` is set. */
  public readonly smsSpendAlarm?: cloudwatch.IAlarm;

  private readonly otpMethods: string[];
  private readonly createFunction: lambda.Function;
  private readonly verifyFunction: lambda.Function;
  private readonly verifyEnvironment: Record<string, string>;
  private signingKey?: kms.IKey;
  private autoSignUpUserPool?: cognito.IUserPool;
  private attachedUserPool?: cognito.UserPool;
  private invocationGrants = 0;

  constructor(scope: Construct, id: string, props: OtpChallengeTriggersProps) {
    super(scope, id);
    validateProps(props);
    const { email, sms } = props;
    const otp = { ...DEFAULTS, ...definedValues(props.otp ?? {}) };
    const logLevel = props.logLevel ?? DEFAULTS.logLevel;
    this.codeLength = otp.codeLength;
    this.codeLifetime = otp.codeLifetime;
    this.maxAttemptsPerCode = otp.maxAttemptsPerCode;
    this.sendCooldown = otp.sendCooldown;
    this.maxSendsPerHour = otp.maxSendsPerHour;
    this.maxFailuresPerIdentifier = otp.maxFailuresPerIdentifier;
    this.failureWindow = otp.failureWindow;
    this.logLevel = logLevel;
    this.sms = sms;
    this.otpMethods = [...(email ? ['email-otp'] : []), ...(sms ? ['sms-otp'] : [])];
    const limits = { ...DEFAULTS, ...definedValues(props.inputLimits ?? {}) };
    this.maxAnswerLength = limits.maxAnswerLength;
    this.maxClientMetadataBytes = limits.maxClientMetadataBytes;
    this.maxRequestBodyBytes = limits.maxRequestBodyBytes;
    this.smsSpendAlarm = sms && createSmsSpendAlarm(this, 'SmsSpendAlarm', sms);

    const encryptionKey = props.stateTable?.encryptionKey;
    const pointInTimeRecovery = props.stateTable?.pointInTimeRecovery ?? false;
    const table = new dynamodb.Table(this, 'StateTable', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: 'ttl',
      encryption: encryptionKey ? dynamodb.TableEncryption.CUSTOMER_MANAGED : dynamodb.TableEncryption.AWS_MANAGED,
      encryptionKey,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: pointInTimeRecovery },
      removalPolicy: props.stateTable?.removalPolicy ?? RemovalPolicy.DESTROY,
    });
    this.table = table;
    if (!pointInTimeRecovery) {
      suppressNagRule(table, 'AwsSolutions-DDB3',
        'The table holds only short-lived hashed challenge state (TTL minutes to hours); nothing to recover. Opt in with stateTable.pointInTimeRecovery.');
    }

    const methods = this.otpMethods.join(',');
    const codeLength = String(otp.codeLength);
    const maxAttempts = String(otp.maxAttemptsPerCode);

    const define = new DefineAuthChallengeFunction(this, 'DefineAuthChallenge', {
      ...this.functionProps('DefineAuthChallenge', props.functionDefaults, props.defineAuthChallenge),
      description: 'Cognito DefineAuthChallenge trigger (cdk-passwordless)',
      environment: { MAX_ATTEMPTS: maxAttempts, LOG_LEVEL: logLevel },
    });

    const create = new CreateAuthChallengeFunction(this, 'CreateAuthChallenge', {
      ...this.functionProps('CreateAuthChallenge', props.functionDefaults, props.createAuthChallenge),
      description: 'Cognito CreateAuthChallenge trigger (cdk-passwordless)',
      environment: { METHODS: methods, CODE_LENGTH: codeLength, LOG_LEVEL: logLevel },
    });

    const verifyEnvironment: Record<string, string> = {
      METHODS: methods,
      CODE_LENGTH: codeLength,
      MAX_ATTEMPTS: maxAttempts,
      CODE_TTL_SECONDS: String(otp.codeLifetime.toSeconds()),
      SEND_COOLDOWN_SECONDS: String(otp.sendCooldown.toSeconds()),
      MAX_SENDS_PER_HOUR: String(otp.maxSendsPerHour),
      MAX_FAILURES: String(otp.maxFailuresPerIdentifier),
      FAILURE_WINDOW_SECONDS: String(otp.failureWindow.toSeconds()),
      MAX_ANSWER_LENGTH: String(limits.maxAnswerLength),
      MAX_CLIENT_METADATA_BYTES: String(limits.maxClientMetadataBytes),
      TABLE_NAME: table.tableName,
      LOG_LEVEL: logLevel,
      ...(email ? emailEnvironment(email) : {}),
      ...(sms ? smsEnvironment(sms) : {}),
    };
    validateEnvironmentSize(verifyEnvironment);
    this.verifyEnvironment = verifyEnvironment;
    const verify = new VerifyAuthChallengeFunction(this, 'VerifyAuthChallenge', {
      ...this.functionProps('VerifyAuthChallenge', props.functionDefaults, props.verifyAuthChallenge),
      description: 'Cognito VerifyAuthChallengeResponse trigger (cdk-passwordless)',
      environment: verifyEnvironment,
    });
    this.defineAuthChallengeFunction = define;
    this.createAuthChallengeFunction = create;
    this.verifyAuthChallengeFunction = verify;
    this.createFunction = create;
    this.verifyFunction = verify;
    for (const fn of [define, create, verify]) {
      if (fn.runtime === DEFAULTS.runtime) {
        suppressNagRule(fn, 'AwsSolutions-L1',
          'The default runtime is pinned to the Node.js version the bundled handlers are built and tested for; choose another with functionDefaults.runtime.');
      }
    }

    // Exactly what the verify handler calls: single-item reads and conditional writes, and the delivery APIs.
    table.grant(verify, 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem');
    if (encryptionKey) {
      encryptionKey.grant(verify, 'kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*');
      suppressNagRule(verify.role!.node.findChild('DefaultPolicy'), 'AwsSolutions-IAM5',
        'kms:GenerateDataKey* is what DynamoDB needs on the table key to write encrypted items; the statement is scoped to that one key.',
        ['Action::kms:GenerateDataKey*']);
    }
    if (email) {
      verify.addToRolePolicy(new iam.PolicyStatement({
        actions: ['ses:SendEmail'],
        resources: sesResources(Stack.of(this), email),
      }));
    }
    if (sms) {
      verify.addToRolePolicy(new iam.PolicyStatement({ actions: ['sns:Publish'], resources: ['*'] }));
      suppressNagRule(verify.role!.node.findChild('DefaultPolicy'), 'AwsSolutions-IAM5',
        'sns:Publish to a phone number has no resource ARN, so the statement needs Resource *; the handler only sends to numbers in the allowed country calling codes.',
        ['Resource::*']);
    }

    if (props.userPool) {
      this.attachTo(props.userPool);
    }
  }

  /** The enabled sign-in methods, in challenge order: 'email-otp' and/or 'sms-otp', then 'magic-link' once enabled. */
  public get methods(): string[] {
    return [...this.otpMethods, ...(this.signingKey ? ['magic-link'] : [])];
  }

  /** The key whose signatures the magic links carry, once `enableMagicLinks` was called. */
  public get magicLinkSigningKey(): kms.IKey | undefined {
    return this.signingKey;
  }

  /**
   * Lets these triggers redeem magic links signed with `signingKey` (`MagicLinkApi` calls this).
   *
   * The first challenge then lists 'magic-link' among the methods, and the verify function may read the key's
   * public key (`kms:GetPublicKey`) to check link signatures. A trigger set serves one `MagicLinkApi`.
   *
   * @param signingKey the ECC_NIST_P256 SIGN_VERIFY key that signs the links
   */
  public enableMagicLinks(signingKey: kms.IKey): void {
    if (this.signingKey) {
      throw new Error(`Magic links are already enabled on ${this.node.path}: a trigger set redeems the links of one `
        + 'MagicLinkApi with one signing key; create another OtpChallengeTriggers (and user pool) for a second one');
    }
    const methods = [...this.otpMethods, 'magic-link'].join(',');
    const magicLinkEnvironment = { METHODS: methods, MAGIC_LINK_KEY_ID: signingKey.keyArn };
    validateEnvironmentSize({ ...this.verifyEnvironment, ...magicLinkEnvironment });
    Object.assign(this.verifyEnvironment, magicLinkEnvironment);
    this.signingKey = signingKey;
    this.createFunction.addEnvironment('METHODS', methods);
    this.verifyFunction.addEnvironment('METHODS', methods);
    this.verifyFunction.addEnvironment('MAGIC_LINK_KEY_ID', signingKey.keyArn);
    // Verification is local with the cached public key: the trigger never signs.
    signingKey.grant(this.verifyFunction, 'kms:GetPublicKey');
  }

  /**
   * Lets the verify function complete the sign-up of users that `MagicLinkApi` created (`autoSignUp`): once such a
   * user redeems a code or link, it marks the address or number verified (`cognito-idp:AdminUpdateUserAttributes`).
   *
   * The permission is a separate IAM policy on the function's role: the pool refers to the function, so a statement
   * in the role's default policy that refers to the pool would be a dependency cycle. Calling it again is a no-op.
   *
   * @param userPool the user pool these triggers serve
   */
  public enableAutoSignUp(userPool: cognito.IUserPool): void {
    if (this.autoSignUpUserPool === userPool) return;
    if (this.autoSignUpUserPool) {
      throw new Error(`Auto sign-up is already enabled on ${this.node.path} for ${this.autoSignUpUserPool.node.path}: `
        + 'the triggers serve one user pool, create another OtpChallengeTriggers for a second pool');
    }
    const autoSignUpEnvironment = { AUTO_SIGN_UP: 'true' };
    validateEnvironmentSize({ ...this.verifyEnvironment, ...autoSignUpEnvironment });
    Object.assign(this.verifyEnvironment, autoSignUpEnvironment);
    this.verifyFunction.addEnvironment('AUTO_SIGN_UP', 'true');
    new iam.Policy(this, 'VerifyAuthChallengeAutoSignUpPolicy', {
      roles: [this.verifyFunction.role!],
      statements: [new iam.PolicyStatement({
        actions: ['cognito-idp:AdminUpdateUserAttributes'],
        resources: [userPool.userPoolArn],
      })],
    });
    this.autoSignUpUserPool = userPool;
  }

  /**
   * Wires the three triggers into a user pool CDK manages and lets Cognito invoke them.
   *
   * @param userPool the user pool whose custom-auth flow these triggers implement
   */
  public attachTo(userPool: cognito.UserPool): void {
    if (this.attachedUserPool) {
      throw new Error(`${this.node.path} is already attached to ${this.attachedUserPool.node.path}; `
        + 'the triggers and their state table serve one user pool, create another OtpChallengeTriggers for a second pool');
    }
    userPool.addTrigger(cognito.UserPoolOperation.DEFINE_AUTH_CHALLENGE, this.defineAuthChallengeFunction);
    userPool.addTrigger(cognito.UserPoolOperation.CREATE_AUTH_CHALLENGE, this.createAuthChallengeFunction);
    userPool.addTrigger(cognito.UserPoolOperation.VERIFY_AUTH_CHALLENGE_RESPONSE, this.verifyAuthChallengeFunction);
    this.attachedUserPool = userPool;
  }

  /**
   * Lets the Cognito user pool with this ARN invoke the three functions, for a pool CDK cannot modify.
   *
   * The pool's owner must still set its `LambdaConfig` and app client as described on this class.
   *
   * @param userPoolArn ARN of the user pool that will call the triggers
   */
  public allowInvocationBy(userPoolArn: string): void {
    this.invocationGrants += 1;
    const permission: lambda.Permission = {
      principal: new iam.ServicePrincipal('cognito-idp.amazonaws.com'),
      sourceArn: userPoolArn,
    };
    const id = `CognitoInvoke${this.invocationGrants}`;
    this.defineAuthChallengeFunction.addPermission(id, permission);
    this.createAuthChallengeFunction.addPermission(id, permission);
    this.verifyAuthChallengeFunction.addPermission(id, permission);
  }

  /** Function props from the defaults, `functionDefaults` and the per-function overrides, with its own role and log group. */
  private functionProps(id: string, ...layers: (TriggerFunctionOptions | undefined)[]) {
    return ownRoleFunctionProps(this, id, Object.assign({}, ...layers.map((layer) => definedValues(layer ?? {}))));
  }

}

