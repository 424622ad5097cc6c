import { App, CfnParameter, Duration, Lazy, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { OtpChallengeTriggers, OtpChallengeTriggersProps } from '../../src';
import { DEFAULT_CODE_LIMITS_ENVIRONMENT } from '../handlers/support/default-code-limits';

const EMAIL = { fromAddress: 'no-reply@example.com' };
const SMS = { allowedCountryCallingCodes: ['1', '44'] };
const FUNCTIONS = ['DefineAuthChallenge', 'CreateAuthChallenge', 'VerifyAuthChallenge'] as const;
type FunctionName = typeof FUNCTIONS[number];

function newStack(): Stack {
  return new Stack(new App(), 'TestStack');
}

function synth(props: OtpChallengeTriggersProps): Template {
  const stack = newStack();
  new OtpChallengeTriggers(stack, 'Triggers', props);
  return Template.fromStack(stack);
}

function functionResource(template: Template, name: FunctionName): { id: string; properties: any } {
  const description = name === 'VerifyAuthChallenge' ? 'VerifyAuthChallengeResponse' : name;
  const found = Object.entries(template.findResources('AWS::Lambda::Function', {
    Properties: { Description: Match.stringLikeRegexp(`Cognito ${description} trigger`) },
  }));
  expect(found).toHaveLength(1);
  return { id: found[0][0], properties: found[0][1].Properties };
}

function environmentOf(template: Template, name: FunctionName): Record<string, unknown> {
  return functionResource(template, name).properties.Environment.Variables;
}

function policyStatementsOf(template: Template, name: FunctionName): any[] {
  const roleId = functionResource(template, name).properties.Role['Fn::GetAtt'][0];
  const policies = Object.values(template.findResources('AWS::IAM::Policy', {
    Properties: { Roles: [{ Ref: roleId }] },
  }));
  return policies.flatMap((policy: any) => policy.Properties.PolicyDocument.Statement);
}

function logGroupOf(template: Template, name: FunctionName): any {
  const logGroupId = functionResource(template, name).properties.LoggingConfig.LogGroup.Ref;
  return template.toJSON().Resources[logGroupId];
}

const logWriteStatement = (template: Template, name: FunctionName) => ({
  Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
  Effect: 'Allow',
  Resource: { 'Fn::GetAtt': [functionResource(template, name).properties.LoggingConfig.LogGroup.Ref, 'Arn'] },
});

const sesArn = (resource: string) => ({
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ses:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, `:${resource}`]],
});

describe('OtpChallengeTriggers state table', () => {
  test('defaults to an on-demand table keyed by pk with a ttl attribute, AWS managed encryption and no PITR', () => {
    // Given / When
    const template = synth({ email: EMAIL });

    // Then
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
      TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
      SSESpecification: { SSEEnabled: true, SSEType: Match.absent(), KMSMasterKeyId: Match.absent() },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: false },
    });
  });

  test('is deleted with the stack by default', () => {
    // Given / When
    const template = synth({ email: EMAIL });

    // Then
    template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' });
  });

  test('uses a customer managed key when one is given', () => {
    // Given
    const stack = newStack();
    const key = new kms.Key(stack, 'Key');

    // When
    new OtpChallengeTriggers(stack, 'Triggers', { email: EMAIL, stateTable: { encryptionKey: key } });

    // Then
    Template.fromStack(stack).hasResourceProperties('AWS::DynamoDB::Table', {
      SSESpecification: {
        SSEEnabled: true,
        SSEType: 'KMS',
        KMSMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] },
      },
    });
  });

  test('takes the removal policy and point-in-time recovery from stateTable', () => {
    // Given / When
    const template = synth({
      email: EMAIL,
      stateTable: { removalPolicy: RemovalPolicy.RETAIN, pointInTimeRecovery: true },
    });

    // Then
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }),
    });
  });

  test('is exposed as table', () => {
    // Given
    const stack = newStack();

    // When
    const triggers = new OtpChallengeTriggers(stack, 'Triggers', { email: EMAIL });

    // Then
    expect(stack.resolve(triggers.table.tableName)).toEqual({ Ref: expect.stringMatching(/^TriggersStateTable/) });
  });
});

describe('OtpChallengeTriggers functions', () => {
  test('default to Node.js 22 on arm64 with 256 MB and a 5 second timeout', () => {
    // Given / When
    const template = synth({ email: EMAIL });

    // Then
    template.resourceCountIs('AWS::Lambda::Function', 3);
    for (const name of FUNCTIONS) {
      expect(functionResource(template, name).properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        MemorySize: 256,
        Timeout: 5,
        Handler: 'index.handler',
      });
    }
  });

  test('each log to their own log group kept for one month and deleted with the stack', () => {
    // Given / When
    const template = synth({ email: EMAIL });

    // Then
    template.resourceCountIs('AWS::Logs::LogGroup', 3);
    for (const name of FUNCTIONS) {
      expect(logGroupOf(template, name)).toMatchObject({
        Type: 'AWS::Logs::LogGroup',
        Properties: { RetentionInDays: 30 },
        DeletionPolicy: 'Delete',
      });
    }
  });

  test('take functionDefaults', () => {
    // Given / When
    const template = synth({
      email: EMAIL,
      functionDefaults: {
        runtime: lambda.Runtime.NODEJS_20_X,
        memorySize: 512,
        architecture: lambda.Architecture.X86_64,
        timeout: Duration.seconds(3),
        logRetention: logs.RetentionDays.ONE_WEEK,
      },
    });

    // Then
    for (const name of FUNCTIONS) {
      expect(functionResource(template, name).properties).toMatchObject({
        Runtime: 'nodejs20.x',
        Architectures: ['x86_64'],
        MemorySize: 512,
        Timeout: 3,
      });
      expect(logGroupOf(template, name).Properties.RetentionInDays).toBe(7);
    }
  });

  test('per-function settings win over functionDefaults, which still apply to the rest', () => {
    // Given / When
    const template = synth({
      email: EMAIL,
      functionDefaults: { memorySize: 512, timeout: Duration.seconds(4) },
      defineAuthChallenge: { memorySize: 128 },
      createAuthChallenge: { logRetention: logs.RetentionDays.ONE_DAY },
      verifyAuthChallenge: { memorySize: 1024, timeout: Duration.seconds(5) },
    });

    // Then
    expect(functionResource(template, 'DefineAuthChallenge').properties).toMatchObject({ MemorySize: 128, Timeout: 4 });
    expect(functionResource(template, 'CreateAuthChallenge').properties).toMatchObject({ MemorySize: 512, Timeout: 4 });
    expect(logGroupOf(template, 'CreateAuthChallenge').Properties.RetentionInDays).toBe(1);
    expect(logGroupOf(template, 'DefineAuthChallenge').Properties.RetentionInDays).toBe(30);
    expect(functionResource(template, 'VerifyAuthChallenge').properties).toMatchObject({ MemorySize: 1024, Timeout: 5 });
  });

  test('an undefined per-function value does not erase functionDefaults', () => {
    // Given / When
    const template = synth({
      email: EMAIL,
      functionDefaults: { memorySize: 512 },
      verifyAuthChallenge: { memorySize: undefined },
    });

    // Then
    expect(functionResource(template, 'VerifyAuthChallenge').properties.MemorySize).toBe(512);
  });

  test('are exposed as lambda.IFunction properties', () => {
    // Given
    const stack = newStack();

    // When
    const triggers = new OtpChallengeTriggers(stack, 'Triggers', { email: EMAIL });

    // Then
    const template = Template.fromStack(stack);
    expect(stack.resolve(triggers.defineAuthChallengeFunction.functionName))
      .toEqual({ Ref: functionResource(template, 'DefineAuthChallenge').id });
    expect(stack.resolve(triggers.createAuthChallengeFunction.functionName))
      .toEqual({ Ref: functionResource(template, 'CreateAuthChallenge').id });
    expect(stack.resolve(triggers.verifyAuthChallengeFunction.functionName))
      .toEqual({ Ref: functionResource(template, 'VerifyAuthChallenge').id });
  });
});

describe('OtpChallengeTriggers environment', () => {
  test('define gets MAX_ATTEMPTS and LOG_LEVEL only', () => {
    // Given / When
    const template = synth({ email: EMAIL, sms: SMS });

    // Then
    expect(environmentOf(template, 'DefineAuthChallenge')).toEqual({
      MAX_ATTEMPTS: '3',
      LOG_LEVEL: 'info',
      AWS_NODEJS_CONNECTION_REUSE_ENABLED: '1',
    });
  });

  test('create gets METHODS, CODE_LENGTH and LOG_LEVEL only', () => {
    // Given / When
    const template = synth({ email: EMAIL, sms: SMS });

    // Then
    expect(environmentOf(template, 'CreateAuthChallenge')).toEqual({
      METHODS: 'email-otp,sms-otp',
      CODE_LENGTH: '6',
      LOG_LEVEL: 'info',
      AWS_NODEJS_CONNECTION_REUSE_ENABLED: '1',
    });
  });

  test('verify gets the OTP policy, the table and both channels with their defaults', () => {
    // Given / When
    const template = synth({ email: EMAIL, sms: SMS });

    // Then
    expect(environmentOf(template, 'VerifyAuthChallenge')).toEqual({
      METHODS: 'email-otp,sms-otp',
      ...DEFAULT_CODE_LIMITS_ENVIRONMENT,
      MAX_ANSWER_LENGTH: '1024',
      MAX_CLIENT_METADATA_BYTES: '1024',
      TABLE_NAME: { Ref: Object.keys(template.findResources('AWS::DynamoDB::Table'))[0] },
      LOG_LEVEL: 'info',
      EMAIL_FROM: 'no-reply@example.com',
      EMAIL_SUBJECT: 'Your sign-in code',
      EMAIL_TEXT_BODY: 'Your sign-in code is {code}. It expires in {minutes} minutes. If you did not try to sign in, ignore this email.',
      SMS_ALLOWED_COUNTRY_CODES: '1,44',
      SMS_MESSAGE: '{code} is your sign-in code. It expires in {minutes} minutes.',
      AWS_NODEJS_CONNECTION_REUSE_ENABLED: '1',
    });
  });

  test('with email only, METHODS is email-otp and no SMS variable is set', () => {
    // Given / When
    const template = synth({ email: EMAIL });

    // Then
    const verify = environmentOf(template, 'VerifyAuthChallenge');
    expect(verify.METHODS).toBe('email-otp');
    expect(environmentOf(template, 'CreateAuthChallenge').METHODS).toBe('email-otp');
    expect(Object.keys(verify).filter((key) => key.startsWith('SMS_'))).toEqual([]);
  });

  test('with SMS only, METHODS is sms-otp and no EMAIL variable is set', () => {
    // Given / When
    const template = synth({ sms: SMS });

    // Then
    const verify = environmentOf(template, 'VerifyAuthChallenge');
    expect(verify.METHODS).toBe('sms-otp');
    expect(environmentOf(template, 'CreateAuthChallenge').METHODS).toBe('sms-otp');
    expect(Object.keys(verify).filter((key) => key.startsWith('EMAIL_'))).toEqual([]);
  });

  test('carries every otp setting, in seconds for durations', () => {
    // Given / When
    const template = synth({
      email: EMAIL,
      otp: {
        codeLength: 8,
        codeLifetime: Duration.minutes(10),
        maxAttemptsPerCode: 5,
        sendCooldown: Duration.seconds(30),
        maxSendsPerHour: 10,
        maxFailuresPerIdentifier: 20,
        failureWindow: Duration.hours(2),
      },
    });

    // Then
    expect(environmentOf(template, 'VerifyAuthChallenge')).toMatchObject({
      CODE_LENGTH: '8',
      CODE_TTL_SECONDS: '600',
      MAX_ATTEMPTS: '5',
      SEND_COOLDOWN_SECONDS: '30',
      MAX_SENDS_PER_HOUR: '10',
      MAX_FAILURES: '20',
      FAILURE_WINDOW_SECONDS: '7200',
    });
    expect(environmentOf(template, 'CreateAuthChallenge').CODE_LENGTH).toBe('8');
    expect(environmentOf(template, 'DefineAuthChallenge').MAX_ATTEMPTS).toBe('5');
  });

  test('carries the optional email settings when set', () => {
    // Given / When
    const template = synth({
      email: {
        fromAddress: 'Example <no-reply@example.com>',
        subject: 'Your code',
        textBody: 'Code: {code}',
        htmlBody: '<p>Code: <b>{code}</b></p>',
        configurationSetName: 'auth-emails',
      },
    });

    // Then
    expect(environmentOf(template, 'VerifyAuthChallenge')).toMatchObject({
      EMAIL_FROM: 'Example <no-reply@example.com>',
      EMAIL_SUBJECT: 'Your code',
      EMAIL_TEXT_BODY: 'Code: {code}',
      EMAIL_HTML_BODY: '<p>Code: <b>{code}</b></p>',
      EMAIL_CONFIGURATION_SET: 'auth-emails',
    });
  });

  test('leaves out EMAIL_HTML_BODY and EMAIL_CONFIGURATION_SET when not set', () => {
    // Given / When
    const template = synth({ email: EMAIL });

    // Then
    const verify = environmentOf(template, 'VerifyAuthChallenge');
    expect(verify).not.toHaveProperty('EMAIL_HTML_BODY');
    expect(verify).not.toHaveProperty('EMAIL_CONFIGURATION_SET');
  });

  test('carries the optional SMS settings when set', () => {
    // Given / When
    const template = synth({
      sms: {
        allowedCountryCallingCodes: ['44', '353', '1'],
        senderId: 'Example1',
        originationNumber: '+12065550100',
        messageTemplate: 'Code {code}',
      },
    });

    // Then
    expect(environmentOf(template, 'VerifyAuthChallenge')).toMatchObject({
      SMS_ALLOWED_COUNTRY_CODES: '44,353,1',
      SMS_MESSAGE: 'Code {code}',
      SMS_SENDER_ID: 'Example1',
      SMS_ORIGINATION_NUMBER: '+12065550100',
    });
  });

  test('leaves out SMS_SENDER_ID and SMS_ORIGINATION_NUMBER when not set', () => {
    // Given / When
    const template = synth({ sms: SMS });

    // Then
    const verify = environmentOf(template, 'VerifyAuthChallenge');
    expect(verify).not.toHaveProperty('SMS_SENDER_ID');
    expect(verify).not.toHaveProperty('SMS_ORIGINATION_NUMBER');
  });

  test('sets logLevel on all three functions', () => {
    // Given / When
    const template = synth({ email: EMAIL, logLevel: 'debug' });

    // Then
    for (const name of FUNCTIONS) {
      expect(environmentOf(template, name).LOG_LEVEL).toBe('debug');
    }
  });

  test('exposes the enabled methods in challenge order', () => {
    // Given
    const stack = newStack();

    // When
    const both = new OtpChallengeTriggers(stack, 'Both', { sms: SMS, email: EMAIL });
    const smsOnly = new OtpChallengeTriggers(stack, 'SmsOnly', { sms: SMS });

    // Then
    expect(both.methods).toEqual(['email-otp', 'sms-otp']);
    expect(smsOnly.methods).toEqual(['sms-otp']);
  });
});

describe('OtpChallengeTriggers limits', () => {
  test('exposes the send and failure limits and the log level that MagicLinkApi shares', () => {
    // Given
    const stack = newStack();

    // When
    const triggers = new OtpChallengeTriggers(stack, 'Triggers', {
      email: EMAIL,
      otp: { sendCooldown: Duration.seconds(90), maxSendsPerHour: 3, maxFailuresPerIdentifier: 7, failureWindow: Duration.minutes(30) },
      logLevel: 'warn',
    });

    // Then
    expect(triggers.sendCooldown.toSeconds()).toBe(90);
    expect(triggers.maxSendsPerHour).toBe(3);
    expect(triggers.maxFailuresPerIdentifier).toBe(7);
    expect(triggers.failureWindow.toMinutes()).toBe(30);
    expect(triggers.logLevel).toBe('warn');
  });

  test('exposes the defaults when otp is not set', () => {
    // Given
    const stack = newStack();

    // When
    const triggers = new OtpChallengeTriggers(stack, 'Triggers', { email: EMAIL });

    // Then
    expect(triggers.sendCooldown.toSeconds()).toBe(60);
    expect(triggers.maxSendsPerHour).toBe(5);
    expect(triggers.maxFailuresPerIdentifier).toBe(10);
    expect(triggers.failureWindow.toMinutes()).toBe(60);
    expect(triggers.logLevel).toBe('info');
    expect(triggers.magicLinkSigningKey).toBeUndefined();
  });
});

describe('OtpChallengeTriggers permissions', () => {
  test.each(['DefineAuthChallenge', 'CreateAuthChallenge'] as const)('%s may only write to its own log group', (name) => {
    // Given / When
    const template = synth({ email: EMAIL, sms: SMS });

    // Then
    expect(policyStatementsOf(template, name)).toEqual([logWriteStatement(template, name)]);
  });

  test('no function gets AWSLambdaBasicExecutionRole or any other managed policy', () => {
    // Given / When
    const template = synth({ email: EMAIL, sms: SMS });

    // Then
    const roles = Object.values(template.findResources('AWS::IAM::Role')) as any[];
    expect(roles).toHaveLength(3);
    for (const role of roles) {
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
      expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([{
        Action: 'sts:AssumeRole',
        Effect: 'Allow',
        Principal: { Service: 'lambda.amazonaws.com' },
      }]);
    }
  });

  test('verify gets the three DynamoDB item actions on the table, ses:SendEmail on the sender domain and sns:Publish', () => {
    // Given / When
    const template = synth({ email: EMAIL, sms: SMS });

    // Then
    const tableId = Object.keys(template.findResources('AWS::DynamoDB::Table'))[0];
    expect(policyStatementsOf(template, 'VerifyAuthChallenge')).toEqual([
      logWriteStatement(template, 'VerifyAuthChallenge'),
      {
        Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
        Effect: 'Allow',
        Resource: [{ 'Fn::GetAtt': [tableId, 'Arn'] }, { Ref: 'AWS::NoValue' }],
      },
      { Action: 'ses:SendEmail', Effect: 'Allow', Resource: sesArn('identity/example.com') },
      { Action: 'sns:Publish', Effect: 'Allow', Resource: '*' },
    ]);
  });

  test('verify gets no sns:Publish without sms', () => {
    // Given / When
    const template = synth({ email: EMAIL });

    // Then
    const actions = policyStatementsOf(template, 'VerifyAuthChallenge').flatMap((s) => [s.Action].flat());
    expect(actions).not.toContain('sns:Publish');
    expect(actions).toContain('ses:SendEmail');
  });

  test('verify gets no ses:SendEmail without email', () => {
    // Given / When
    const template = synth({ sms: SMS });

    // Then
    const actions = policyStatementsOf(template, 'VerifyAuthChallenge').flatMap((s) => [s.Action].flat());
    expect(actions).not.toContain('ses:SendEmail');
    expect(actions).toContain('sns:Publish');
  });

  test('ses:SendEmail also covers the configuration set when one is set', () => {
    // Given / When
    const template = synth({ email: { ...EMAIL, configurationSetName: 'auth-emails' } });

    // Then
    expect(policyStatementsOf(template, 'VerifyAuthChallenge')).toContainEqual({
      Action: 'ses:SendEmail',
      Effect: 'Allow',
      Resource: [sesArn('identity/example.com'), sesArn('configuration-set/auth-emails')],
    });
  });

  test('ses:SendEmail is scoped to sesIdentity when set', () => {
    // Given / When
    const template = synth({ email: { ...EMAIL, sesIdentity: 'no-reply@example.com' } });

    // Then
    expect(policyStatementsOf(template, 'VerifyAuthChallenge')).toContainEqual({
      Action: 'ses:SendEmail', Effect: 'Allow', Resource: sesArn('identity/no-reply@example.com'),
    });
  });

  test('the SES identity is the domain of a "Name <address>" sender', () => {
    // Given / When
    const template = synth({ email: { fromAddress: 'Example Corp <sign-in@mail.example.org>' } });

    // Then
    expect(policyStatementsOf(template, 'VerifyAuthChallenge')).toContainEqual({
      Action: 'ses:SendEmail', Effect: 'Allow', Resource: sesArn('identity/mail.example.org'),
    });
  });

  test('with a customer managed key, only verify may use it, for Decrypt, Encrypt and GenerateDataKey*', () => {
    // Given
    const stack = newStack();
    const key = new kms.Key(stack, 'Key');

    // When
    new OtpChallengeTriggers(stack, 'Triggers', { email: EMAIL, stateTable: { encryptionKey: key } });

    // Then
    const template = Template.fromStack(stack);
    expect(policyStatementsOf(template, 'VerifyAuthChallenge')).toContainEqual({
      Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*'],
      Effect: 'Allow',
      Resource: { 'Fn::GetAtt': [Object.keys(template.findResources('AWS::KMS::Key'))[0], 'Arn'] },
    });
    for (const name of ['DefineAuthChallenge', 'CreateAuthChallenge'] as const) {
      expect(policyStatementsOf(template, name)).toEqual([logWriteStatement(template, name)]);
    }
  });
});

describe('OtpChallengeTriggers wiring', () => {
  test('attachTo sets the three custom-auth triggers of the user pool', () => {
    // Given
    const stack = newStack();
    const userPool = new cognito.UserPool(stack, 'Pool');
    const triggers = new OtpChallengeTriggers(stack, 'Triggers', { email: EMAIL });

    // When
    triggers.attachTo(userPool);

    // Then
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      LambdaConfig: {
        DefineAuthChallenge: { 'Fn::GetAtt': [functionResource(template, 'DefineAuthChallenge').id, 'Arn'] },
        CreateAuthChallenge: { 'Fn::GetAtt': [functionResource(template, 'CreateAuthChallenge').id, 'Arn'] },
        VerifyAuthChallengeResponse: { 'Fn::GetAtt': [functionResource(template, 'VerifyAuthChallenge').id, 'Arn'] },
      },
    });
  });

  test('attachTo lets only that user pool invoke each function', () => {
    // Given
    const stack = newStack();
    const userPool = new cognito.UserPool(stack, 'Pool');
    const triggers = new OtpChallengeTriggers(stack, 'Triggers', { email: EMAIL });

    // When
    triggers.attachTo(userPool);

    // Then
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Lambda::Permission', 3);
    const poolId = Object.keys(template.findResources('AWS::Cognito::UserPool'))[0];
    for (const name of FUNCTIONS) {
      template.hasResourceProperties('AWS::Lambda::Permission', {
        Action: 'lambda:InvokeFunction',
        FunctionName: { 'Fn::GetAtt': [functionResource(template, name).id, 'Arn'] },
        Principal: 'cognito-idp.amazonaws.com',
        SourceArn: { 'Fn::GetAtt': [poolId, 'Arn'] },
      });
    }
  });

  test('the userPool prop attaches right away', () => {
    // Given
    const stack = newStack();
    const userPool = new cognito.UserPool(stack, 'Pool');

    // When
    new OtpChallengeTriggers(stack, 'Triggers', { email: EMAIL, userPool });

    // Then
    Template.fromStack(stack).hasResourceProperties('AWS::Cognito::UserPool', {
      LambdaConfig: {
        DefineAuthChallenge: Match.anyValue(),
        CreateAuthChallenge: Match.anyValue(),
        VerifyAuthChallengeResponse: Match.anyValue(),
      },
    });
  });

  test('attachTo a second time is an error', () => {
    // Given
    const stack = newStack();
    const triggers = new OtpChallengeTriggers(stack, 'Triggers', { email: EMAIL });
    triggers.attachTo(new cognito.UserPool(stack, 'Pool'));

    // When / Then
    expect(() => triggers.attachTo(new cognito.UserPool(stack, 'OtherPool')))
      .toThrow(/TestStack\/Triggers is already attached to TestStack\/Pool/);
  });

  test('allowInvocationBy lets the given user pool ARN invoke each function', () => {
    // Given
    const stack = newStack();
    const triggers = new OtpChallengeTriggers(stack, 'Triggers', { email: EMAIL });
    const arn = 'arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_abcdEFGH';

    // When
    triggers.allowInvocationBy(arn);

    // Then
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Lambda::Permission', 3);
    for (const name of FUNCTIONS) {
      template.hasResourceProperties('AWS::Lambda::Permission', {
        Action: 'lambda:InvokeFunction',
        FunctionName: { 'Fn::GetAtt': [functionResource(template, name).id, 'Arn'] },
        Principal: 'cognito-idp.amazonaws.com',
        SourceArn: arn,
      });
    }
  });

  test('allowInvocationBy can be called for several user pools', () => {
    // Given
    const stack = newStack();
    const triggers = new OtpChallengeTriggers(stack, 'Triggers', { email: EMAIL });

    // When
    triggers.allowInvocationBy('arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_one');
    triggers.allowInvocationBy('arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_two');

    // Then
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Lambda::Permission', 6);
    template.resourcePropertiesCountIs('AWS::Lambda::Permission',
      { SourceArn: 'arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_two' }, 3);
  });

  test('no function may be invoked by anyone before it is attached', () => {
    // Given / When
    const template = synth({ email: EMAIL, sms: SMS });

    // Then
    template.resourceCountIs('AWS::Lambda::Permission', 0);
  });
});

describe('OtpChallengeTriggers validation', () => {
  const expectError = (props: OtpChallengeTriggersProps, message: RegExp) =>
    expect(() => new OtpChallengeTriggers(newStack(), 'Triggers', props)).toThrow(message);

  test('needs email or sms', () => {
    expectError({}, /At least one of email and sms must be set/);
  });

  test.each([
    ['codeLength', { codeLength: 5 }, 'otp.codeLength must be between 6 and 10 (received: 5)'],
    ['codeLength', { codeLength: 11 }, 'otp.codeLength must be between 6 and 10 (received: 11)'],
    ['codeLength', { codeLength: 6.5 }, 'otp.codeLength must be an integer between 6 and 10 (received: 6.5)'],
    ['codeLifetime', { codeLifetime: Duration.seconds(59) }, 'otp.codeLifetime must be between 1 and 15 minutes (received: 59 seconds)'],
    ['codeLifetime', { codeLifetime: Duration.minutes(20) }, 'otp.codeLifetime must be between 1 and 15 minutes (received: 20 minutes)'],
    ['maxAttemptsPerCode', { maxAttemptsPerCode: 0 }, 'otp.maxAttemptsPerCode must be between 1 and 10 (received: 0)'],
    ['maxAttemptsPerCode', { maxAttemptsPerCode: 11 }, 'otp.maxAttemptsPerCode must be between 1 and 10 (received: 11)'],
    ['sendCooldown', { sendCooldown: Duration.seconds(9) }, 'otp.sendCooldown must be between 10 and 900 seconds (received: 9 seconds)'],
    ['sendCooldown', { sendCooldown: Duration.minutes(16) }, 'otp.sendCooldown must be between 10 and 900 seconds (received: 16 minutes)'],
    ['sendCooldown', { sendCooldown: Duration.millis(10500) }, 'otp.sendCooldown must be a whole number of seconds (received: 10 seconds 500 millis)'],
    ['maxSendsPerHour', { maxSendsPerHour: 0 }, 'otp.maxSendsPerHour must be between 1 and 60 (received: 0)'],
    ['maxSendsPerHour', { maxSendsPerHour: 61 }, 'otp.maxSendsPerHour must be between 1 and 60 (received: 61)'],
    ['maxFailuresPerIdentifier', { maxFailuresPerIdentifier: 0 }, 'otp.maxFailuresPerIdentifier must be between 1 and 100 (received: 0)'],
    ['maxFailuresPerIdentifier', { maxFailuresPerIdentifier: 101 }, 'otp.maxFailuresPerIdentifier must be between 1 and 100 (received: 101)'],
    ['failureWindow', { failureWindow: Duration.seconds(59) }, 'otp.failureWindow must be between 1 and 1440 minutes (received: 59 seconds)'],
    ['failureWindow', { failureWindow: Duration.hours(25) }, 'otp.failureWindow must be between 1 and 1440 minutes (received: 1 day 1 hour)'],
  ])('rejects otp.%s out of range: %j', (_prop, otp, message) => {
    expectError({ email: EMAIL, otp }, new RegExp(escape(message)));
  });

  test.each([
    ['codeLength', { codeLength: 6 }],
    ['codeLength', { codeLength: 10 }],
    ['codeLifetime', { codeLifetime: Duration.minutes(1) }],
    ['codeLifetime', { codeLifetime: Duration.minutes(15) }],
    ['sendCooldown', { sendCooldown: Duration.seconds(10) }],
    ['sendCooldown', { sendCooldown: Duration.minutes(15) }],
    ['failureWindow', { failureWindow: Duration.minutes(1) }],
    ['failureWindow', { failureWindow: Duration.hours(24) }],
    ['maxFailuresPerIdentifier', { maxFailuresPerIdentifier: 100 }],
  ])('accepts otp.%s at the edge of its range: %j', (_prop, otp) => {
    expect(() => synth({ email: EMAIL, otp })).not.toThrow();
  });

  test('skips unresolved tokens and passes them through to the environment', () => {
    // Given
    const stack = newStack();
    const codeLength = new CfnParameter(stack, 'CodeLength', { type: 'Number' }).valueAsNumber;
    const lifetimeSeconds = new CfnParameter(stack, 'LifetimeSeconds', { type: 'Number' }).valueAsNumber;

    // When
    new OtpChallengeTriggers(stack, 'Triggers', { email: EMAIL, otp: { codeLength, codeLifetime: Duration.seconds(lifetimeSeconds) } });

    // Then
    expect(environmentOf(Template.fromStack(stack), 'VerifyAuthChallenge')).toMatchObject({
      CODE_LENGTH: { Ref: 'CodeLength' },
      CODE_TTL_SECONDS: { Ref: 'LifetimeSeconds' },
    });
  });

  test.each(['functionDefaults', 'defineAuthChallenge', 'createAuthChallenge', 'verifyAuthChallenge'] as const)(
    'rejects %s.memorySize and .timeout out of range', (prop) => {
      expectError({ email: EMAIL, [prop]: { memorySize: 127 } }, new RegExp(escape(`${prop}.memorySize must be between 128 and 10240 (received: 127)`)));
      expectError({ email: EMAIL, [prop]: { memorySize: 10241 } }, new RegExp(escape(`${prop}.memorySize must be between 128 and 10240 (received: 10241)`)));
      expectError({ email: EMAIL, [prop]: { timeout: Duration.seconds(0) } }, new RegExp(escape(`${prop}.timeout must be between 1 and 5 seconds (received: 0 seconds)`)));
      expectError({ email: EMAIL, [prop]: { timeout: Duration.seconds(6) } }, new RegExp(escape(`${prop}.timeout must be between 1 and 5 seconds (received: 6 seconds)`)));
    });

  test('rejects an unknown logLevel', () => {
    expectError({ email: EMAIL, logLevel: 'verbose' },
      /logLevel must be one of 'debug', 'info', 'warn', 'error' \(received: 'verbose'\)/);
  });

  test.each([
    'not-an-address',
    'no-reply@localhost',
    'no-reply@example.com\r\nBcc: victim@example.org',
    'Example <no-reply@example.com',
  ])('rejects email.fromAddress %j', (fromAddress) => {
    expectError({ email: { fromAddress } }, /email.fromAddress must be an email address or 'Name <address@domain>' on one line/);
  });

  test('needs email.sesIdentity when email.fromAddress is a token', () => {
    expectError({ email: { fromAddress: Lazy.string({ produce: () => 'a@example.com' }) } },
      /email.sesIdentity must be set when email.fromAddress is a token/);
  });

  test.each(['*', 'example.com/*', 'exa mple.com'])('rejects email.sesIdentity %j', (sesIdentity) => {
    expectError({ email: { ...EMAIL, sesIdentity } }, /email.sesIdentity must be a domain name or an email address/);
  });

  test('rejects an email.configurationSetName SES would not accept', () => {
    expectError({ email: { ...EMAIL, configurationSetName: 'auth emails' } },
      /email.configurationSetName must be 1 to 64 letters, digits, hyphens or underscores \(received: 'auth emails'\)/);
  });

  test.each(['', 'Your code\nBcc: x@example.org'])('rejects email.subject %j', (subject) => {
    expectError({ email: { ...EMAIL, subject } }, /email.subject must be 1 to 998 characters on one line/);
  });

  test('rejects an email.textBody without {code}', () => {
    expectError({ email: { ...EMAIL, textBody: 'Your code expires in {minutes} minutes' } },
      /email.textBody must contain the placeholder \{code\}/);
  });

  test('rejects an email.htmlBody without {code}', () => {
    expectError({ email: { ...EMAIL, htmlBody: '<p>Hello</p>' } }, /email.htmlBody must contain the placeholder \{code\}/);
  });

  test('rejects an empty sms.allowedCountryCallingCodes', () => {
    expectError({ sms: { allowedCountryCallingCodes: [] } }, /sms.allowedCountryCallingCodes must list at least one country calling code/);
  });

  test.each(['+44', '0', '1234', 'ab', ''])('rejects the country calling code %j', (code) => {
    expectError({ sms: { allowedCountryCallingCodes: ['1', code] } },
      new RegExp(escape(`sms.allowedCountryCallingCodes[1] must be a country calling code of 1 to 3 digits without '+', e.g. '44' (received: '${code}')`)));
  });

  test.each(['', 'ABCDEFGHIJKL', '12345', 'My Brand', 'Brand!'])('rejects sms.senderId %j', (senderId) => {
    expectError({ sms: { ...SMS, senderId } }, /sms.senderId must be 1 to 11 letters or digits with at least one letter/);
  });

  test.each(['2065550100', '+0123456', '+1234567890123456', '+1 206 555 0100'])('rejects sms.originationNumber %j', (originationNumber) => {
    expectError({ sms: { ...SMS, originationNumber } }, /sms.originationNumber must be an E.164 phone number/);
  });

  test('rejects an sms.messageTemplate without {code}', () => {
    expectError({ sms: { ...SMS, messageTemplate: 'Sign in now' } }, /sms.messageTemplate must contain the placeholder \{code\}/);
  });

  test('rejects an sms.messageTemplate longer than 140 characters after substitution', () => {
    // Given: a 10-digit code, 128 characters and a 2-digit lifetime make 140 characters, then one more
    const messageTemplate = `{code} ${'x'.repeat(126)} {minutes}x`;

    // When / Then
    expectError({ sms: { ...SMS, messageTemplate }, otp: { codeLength: 10, codeLifetime: Duration.minutes(15) } },
      /sms.messageTemplate must be at most 140 characters after substitution \(received: 141 characters/);
  });

  test('accepts an sms.messageTemplate of exactly 140 characters after substitution', () => {
    const messageTemplate = `{code} ${'x'.repeat(126)} {minutes}`;
    expect(() => synth({ sms: { ...SMS, messageTemplate }, otp: { codeLength: 10, codeLifetime: Duration.minutes(15) } })).not.toThrow();
  });

  test('rejects templates that push the verify environment over 4 KB', () => {
    expectError({ email: { ...EMAIL, textBody: `{code} ${'x'.repeat(2000)}`, htmlBody: `<p>{code}</p>${'x'.repeat(2000)}` } },
      /The environment of the verify function would be \d+ bytes, above Lambda's limit of 4096: shorten email.textBody, email.htmlBody, email.subject or sms.messageTemplate/);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('OtpChallengeTriggers enableAutoSignUp', () => {
  function attached(props: Partial<OtpChallengeTriggersProps> = {}) {
    const stack = newStack();
    const userPool = new cognito.UserPool(stack, 'Pool');
    const triggers = new OtpChallengeTriggers(stack, 'Triggers', { email: EMAIL, userPool, ...props });
    return { stack, userPool, triggers };
  }

  test('tells the verify function that users may be auto signed up, and no other function', () => {
    // Given
    const before = attached();
    const after = attached();

    // When
    after.triggers.enableAutoSignUp(after.userPool);

    // Then
    const beforeTemplate = Template.fromStack(before.stack);
    const template = Template.fromStack(after.stack);
    expect(environmentOf(template, 'VerifyAuthChallenge')).toEqual({ ...environmentOf(beforeTemplate, 'VerifyAuthChallenge'), AUTO_SIGN_UP: 'true' });
    for (const name of ['DefineAuthChallenge', 'CreateAuthChallenge'] as const) {
      expect(environmentOf(template, name)).toEqual(environmentOf(beforeTemplate, name));
    }
  });

  test('grants AdminUpdateUserAttributes on the pool through a separate policy, not the role\'s default policy', () => {
    // Given
    const { stack, userPool, triggers } = attached();
    const defaultPolicyBefore = Template.fromStack(attached().stack).toJSON().Resources;

    // When
    triggers.enableAutoSignUp(userPool);

    // Then
    const template = Template.fromStack(stack);
    const roleId = functionResource(template, 'VerifyAuthChallenge').properties.Role['Fn::GetAtt'][0];
    const policies = template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } });
    const separate = Object.entries(policies).filter(([id]) => !id.startsWith('TriggersVerifyAuthChallengeRoleDefaultPolicy'));
    expect(separate).toHaveLength(1);
    expect(separate[0][0]).toMatch(/^TriggersVerifyAuthChallengeAutoSignUpPolicy/);
    expect((separate[0][1] as any).Properties.PolicyDocument.Statement).toEqual([{
      Action: 'cognito-idp:AdminUpdateUserAttributes',
      Effect: 'Allow',
      Resource: { 'Fn::GetAtt': [Object.keys(template.findResources('AWS::Cognito::UserPool'))[0], 'Arn'] },
    }]);
    const defaultPolicyId = Object.keys(policies).find((id) => id.startsWith('TriggersVerifyAuthChallengeRoleDefaultPolicy'))!;
    expect(template.toJSON().Resources[defaultPolicyId]).toEqual(defaultPolicyBefore[defaultPolicyId]);
  });

  test('leaves no dependency cycle between the pool, the verify function and its role', () => {
    // Given
    const { stack, userPool, triggers } = attached({ sms: SMS });

    // When
    triggers.enableAutoSignUp(userPool);

    // Then
    expect(() => Template.fromStack(stack)).not.toThrow();
    const verifyId = functionResource(Template.fromStack(stack), 'VerifyAuthChallenge').id;
    expect(JSON.stringify(Template.fromStack(stack).toJSON().Resources[verifyId].DependsOn)).not.toContain('AutoSignUpPolicy');
  });

  test('is idempotent for the same pool', () => {
    // Given
    const { stack, userPool, triggers } = attached();
    triggers.enableAutoSignUp(userPool);

    // When
    triggers.enableAutoSignUp(userPool);

    // Then
    const template = Template.fromStack(stack);
    expect(Object.keys(template.findResources('AWS::IAM::Policy')).filter((id) => id.includes('AutoSignUpPolicy'))).toHaveLength(1);
    expect(environmentOf(template, 'VerifyAuthChallenge').AUTO_SIGN_UP).toBe('true');
  });

  test('for a second pool is an error', () => {
    // Given
    const { stack, userPool, triggers } = attached();
    triggers.enableAutoSignUp(userPool);

    // When / Then
    expect(() => triggers.enableAutoSignUp(new cognito.UserPool(stack, 'Other')))
      .toThrow(/Auto sign-up is already enabled on TestStack\/Triggers for TestStack\/Pool/);
  });

  test('the triggers expose the code policy and SMS settings the API functions share', () => {
    // Given / When
    const { triggers } = attached({ sms: SMS, otp: { codeLength: 8, maxAttemptsPerCode: 4 } });

    // Then
    expect(triggers.codeLength).toBe(8);
    expect(triggers.maxAttemptsPerCode).toBe(4);
    expect(triggers.sms).toEqual(SMS);
    expect(attached().triggers.sms).toBeUndefined();
  });
});
