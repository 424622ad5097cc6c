import { App, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { PasswordlessUserPool, PasswordlessUserPoolProps } from '../../src';

const EMAIL = { fromAddress: 'no-reply@example.com' };
const SMS = { allowedCountryCallingCodes: ['1', '44'] };

function newStack(): Stack {
  return new Stack(new App(), 'TestStack');
}

function synth(props: PasswordlessUserPoolProps): Template {
  const stack = newStack();
  new PasswordlessUserPool(stack, 'Auth', props);
  return Template.fromStack(stack);
}

function clientProperties(template: Template): any {
  const clients = Object.values(template.findResources('AWS::Cognito::UserPoolClient')) as any[];
  expect(clients).toHaveLength(1);
  return clients[0].Properties;
}

function functionIdByDescription(template: Template, trigger: string): string {
  return Object.keys(template.findResources('AWS::Lambda::Function', {
    Properties: { Description: Match.stringLikeRegexp(`Cognito ${trigger} trigger`) },
  }))[0];
}

describe('PasswordlessUserPool user pool defaults', () => {
  test.each([
    ['email and SMS', { email: EMAIL, sms: SMS }, ['email', 'phone_number']],
    ['email only', { email: EMAIL }, ['email']],
    ['SMS only', { sms: SMS }, ['phone_number']],
  ])('with %s, users sign in with exactly those attributes as username', (_name, props, attributes) => {
    // Given / When
    const template = synth(props);

    // Then
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      UsernameAttributes: attributes,
      AliasAttributes: Match.absent(),
      AutoVerifiedAttributes: attributes,
      UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: attributes },
    });
  });

  test('usernames are case insensitive', () => {
    // Given / When
    const template = synth({ email: EMAIL });

    // Then
    template.hasResourceProperties('AWS::Cognito::UserPool', { UsernameConfiguration: { CaseSensitive: false } });
  });

  test('only administrators create users', () => {
    // Given / When
    const template = synth({ email: EMAIL });

    // Then
    template.hasResourceProperties('AWS::Cognito::UserPool', { AdminCreateUserConfig: { AllowAdminCreateUserOnly: true } });
  });

  test('account recovery is admin only', () => {
    // Given / When
    const template = synth({ email: EMAIL });

    // Then
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'admin_only', Priority: 1 }] },
    });
  });

  test('MFA is off', () => {
    // Given / When
    const template = synth({ email: EMAIL });

    // Then
    template.hasResourceProperties('AWS::Cognito::UserPool', { MfaConfiguration: 'OFF' });
  });

  test('the password policy is a strong placeholder', () => {
    // Given / When
    const template = synth({ email: EMAIL });

    // Then
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      Policies: {
        PasswordPolicy: {
          MinimumLength: 64,
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
          TemporaryPasswordValidityDays: 1,
        },
      },
    });
  });

  test('email and phone number are optional, mutable standard attributes', () => {
    // Given / When
    const template = synth({ email: EMAIL });

    // Then
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      Schema: [
        { Name: 'email', Required: false, Mutable: true },
        { Name: 'phone_number', Required: false, Mutable: true },
      ],
    });
  });

  test('the three custom-auth triggers are wired', () => {
    // Given / When
    const template = synth({ email: EMAIL, sms: SMS });

    // Then
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      LambdaConfig: {
        DefineAuthChallenge: { 'Fn::GetAtt': [functionIdByDescription(template, 'DefineAuthChallenge'), 'Arn'] },
        CreateAuthChallenge: { 'Fn::GetAtt': [functionIdByDescription(template, 'CreateAuthChallenge'), 'Arn'] },
        VerifyAuthChallengeResponse: { 'Fn::GetAtt': [functionIdByDescription(template, 'VerifyAuthChallengeResponse'), 'Arn'] },
      },
    });
    template.resourceCountIs('AWS::Lambda::Permission', 3);
  });

  test('the user pool keeps the CDK default removal policy (retain)', () => {
    // Given / When
    const template = synth({ email: EMAIL });

    // Then
    template.hasResource('AWS::Cognito::UserPool', { DeletionPolicy: 'Retain' });
  });

  test('needs email or sms', () => {
    expect(() => new PasswordlessUserPool(newStack(), 'Auth', {})).toThrow(/At least one of email and sms must be set/);
  });
});

describe('PasswordlessUserPool app client defaults', () => {
  test('allows only the custom auth and refresh token flows', () => {
    // Given / When
    const template = synth({ email: EMAIL });

    // Then
    expect(clientProperties(template).ExplicitAuthFlows).toEqual(['ALLOW_CUSTOM_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']);
  });

  test('prevents user existence errors, revokes tokens and has no secret', () => {
    // Given / When
    const template = synth({ email: EMAIL });

    // Then
    expect(clientProperties(template)).toMatchObject({
      PreventUserExistenceErrors: 'ENABLED',
      EnableTokenRevocation: true,
      GenerateSecret: false,
    });
  });

  test('issues 15-minute access and ID tokens and 30-day refresh tokens', () => {
    // Given / When
    const template = synth({ email: EMAIL });

    // Then
    expect(clientProperties(template)).toMatchObject({
      AccessTokenValidity: 15,
      IdTokenValidity: 15,
      RefreshTokenValidity: 43200,
      TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes', RefreshToken: 'minutes' },
    });
  });

  test.each([
    ['the default 3-minute code lifetime', undefined, 3],
    ['a 10-minute code lifetime', Duration.minutes(10), 10],
    ['a 1-minute code lifetime, raised to the 3-minute minimum', Duration.minutes(1), 3],
    ['a 15-minute code lifetime', Duration.minutes(15), 15],
  ])('the sign-in session lasts %s', (_name, codeLifetime, minutes) => {
    // Given / When
    const template = synth({ email: EMAIL, otp: { codeLifetime } });

    // Then
    expect(clientProperties(template).AuthSessionValidity).toBe(minutes);
  });

  test('cannot write *_verified, custom attributes or its phone number', () => {
    // Given / When
    const template = synth({
      email: EMAIL,
      sms: SMS,
      userPoolProps: { customAttributes: { tenant: new cognito.StringAttribute({ mutable: true }) } },
    });

    // Then
    const writable: string[] = clientProperties(template).WriteAttributes;
    expect(writable).toEqual(expect.arrayContaining(['email', 'name']));
    expect(writable.filter((attribute) => attribute.endsWith('_verified') || attribute.startsWith('custom:'))).toEqual([]);
    expect(writable).not.toContain('phone_number');
  });

  test('reads the standard attributes, including whether they are verified', () => {
    // Given / When
    const template = synth({ email: EMAIL });

    // Then
    const readable: string[] = clientProperties(template).ReadAttributes;
    expect(readable).toEqual(expect.arrayContaining(['email', 'email_verified', 'phone_number', 'phone_number_verified']));
    expect(readable.filter((attribute) => attribute.startsWith('custom:'))).toEqual([]);
  });

  test('has no OAuth flows', () => {
    // Given / When
    const template = synth({ email: EMAIL });

    // Then
    expect(clientProperties(template)).toMatchObject({ AllowedOAuthFlowsUserPoolClient: false });
    expect(clientProperties(template).AllowedOAuthFlows).toBeUndefined();
    expect(clientProperties(template).CallbackURLs).toBeUndefined();
  });

  test('enables OAuth when userPoolClientProps configures it', () => {
    // Given / When
    const template = synth({
      email: EMAIL,
      userPoolClientProps: {
        oAuth: { flows: { authorizationCodeGrant: true }, callbackUrls: ['https://app.example.com/callback'] },
      },
    });

    // Then
    expect(clientProperties(template)).toMatchObject({
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      CallbackURLs: ['https://app.example.com/callback'],
    });
  });
});

describe('PasswordlessUserPool overrides', () => {
  test('userPoolProps win over the defaults, which still apply to the rest', () => {
    // Given / When
    const template = synth({
      email: EMAIL,
      userPoolProps: { userPoolName: 'my-pool', deletionProtection: true, accountRecovery: cognito.AccountRecovery.EMAIL_ONLY },
    });

    // Then
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      UserPoolName: 'my-pool',
      DeletionProtection: 'ACTIVE',
      AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] },
      UsernameConfiguration: { CaseSensitive: false },
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
    });
  });

  test('other Lambda triggers in userPoolProps are kept next to the custom-auth ones', () => {
    // Given
    const stack = newStack();
    const preTokenGeneration = new lambda.Function(stack, 'PreToken', {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async (e) => e;'),
    });

    // When
    new PasswordlessUserPool(stack, 'Auth', { email: EMAIL, userPoolProps: { lambdaTriggers: { preTokenGeneration } } });

    // Then
    Template.fromStack(stack).hasResourceProperties('AWS::Cognito::UserPool', {
      LambdaConfig: {
        PreTokenGeneration: { 'Fn::GetAtt': [Match.stringLikeRegexp('^PreToken'), 'Arn'] },
        DefineAuthChallenge: Match.anyValue(),
        CreateAuthChallenge: Match.anyValue(),
        VerifyAuthChallengeResponse: Match.anyValue(),
      },
    });
  });

  test.each(['defineAuthChallenge', 'createAuthChallenge', 'verifyAuthChallengeResponse'] as const)(
    'userPoolProps.lambdaTriggers.%s is an error', (trigger) => {
      // Given
      const stack = newStack();
      const fn = new lambda.Function(stack, 'Own', {
        runtime: lambda.Runtime.NODEJS_22_X,
        handler: 'index.handler',
        code: lambda.Code.fromInline('exports.handler = async (e) => e;'),
      });

      // When / Then
      expect(() => new PasswordlessUserPool(stack, 'Auth', { email: EMAIL, userPoolProps: { lambdaTriggers: { [trigger]: fn } } }))
        .toThrow(new RegExp(`userPoolProps.lambdaTriggers must not set ${trigger}: PasswordlessUserPool installs its own custom-auth triggers`));
    });

  test('userPoolClientProps win over the client defaults, which still apply to the rest', () => {
    // Given / When
    const template = synth({
      email: EMAIL,
      userPoolClientProps: { userPoolClientName: 'web', accessTokenValidity: Duration.minutes(60) },
    });

    // Then
    expect(clientProperties(template)).toMatchObject({
      ClientName: 'web',
      AccessTokenValidity: 60,
      IdTokenValidity: 15,
      ExplicitAuthFlows: ['ALLOW_CUSTOM_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      PreventUserExistenceErrors: 'ENABLED',
    });
  });

  test('trigger settings reach the triggers', () => {
    // Given / When
    const template = synth({ email: EMAIL, otp: { codeLength: 8 }, logLevel: 'warn', functionDefaults: { memorySize: 512 } });

    // Then
    template.resourcePropertiesCountIs('AWS::Lambda::Function', {
      MemorySize: 512,
      Environment: { Variables: Match.objectLike({ LOG_LEVEL: 'warn' }) },
    }, 3);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ CODE_LENGTH: '8', TABLE_NAME: Match.anyValue() }) },
    });
  });
});

describe('PasswordlessUserPool addClient', () => {
  test('adds a client with the same secure defaults', () => {
    // Given
    const stack = newStack();
    const auth = new PasswordlessUserPool(stack, 'Auth', { email: EMAIL, otp: { codeLifetime: Duration.minutes(5) } });

    // When
    const client = auth.addClient('Mobile');

    // Then
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Cognito::UserPoolClient', 2);
    const clientId = stack.resolve(client.userPoolClientId).Ref;
    expect(template.toJSON().Resources[clientId].Properties).toMatchObject({
      ExplicitAuthFlows: ['ALLOW_CUSTOM_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      PreventUserExistenceErrors: 'ENABLED',
      EnableTokenRevocation: true,
      GenerateSecret: false,
      AllowedOAuthFlowsUserPoolClient: false,
      AccessTokenValidity: 15,
      IdTokenValidity: 15,
      RefreshTokenValidity: 43200,
      AuthSessionValidity: 5,
    });
  });

  test('lets options replace the defaults', () => {
    // Given
    const stack = newStack();
    const auth = new PasswordlessUserPool(stack, 'Auth', { email: EMAIL });

    // When
    const client = auth.addClient('Server', { generateSecret: true, refreshTokenValidity: Duration.days(1) });

    // Then
    const properties = Template.fromStack(stack).toJSON().Resources[stack.resolve(client.userPoolClientId).Ref].Properties;
    expect(properties).toMatchObject({ GenerateSecret: true, RefreshTokenValidity: 1440, AccessTokenValidity: 15 });
  });
});

describe('PasswordlessUserPool public properties', () => {
  test('expose the pool, the client and the triggers', () => {
    // Given
    const stack = newStack();

    // When
    const auth = new PasswordlessUserPool(stack, 'Auth', { email: EMAIL });

    // Then
    const template = Template.fromStack(stack);
    expect(stack.resolve(auth.userPool.userPoolId)).toEqual({ Ref: Object.keys(template.findResources('AWS::Cognito::UserPool'))[0] });
    expect(stack.resolve(auth.userPoolClient.userPoolClientId))
      .toEqual({ Ref: Object.keys(template.findResources('AWS::Cognito::UserPoolClient'))[0] });
    expect(auth.defineAuthChallengeFunction).toBe(auth.triggers.defineAuthChallengeFunction);
    expect(auth.createAuthChallengeFunction).toBe(auth.triggers.createAuthChallengeFunction);
    expect(auth.verifyAuthChallengeFunction).toBe(auth.triggers.verifyAuthChallengeFunction);
  });
});

describe('PasswordlessUserPool warnings', () => {
  test('none with the defaults', () => {
    // Given
    const stack = newStack();

    // When
    new PasswordlessUserPool(stack, 'Auth', { email: EMAIL, sms: SMS });

    // Then
    expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
  });

  test('self sign-up', () => {
    // Given
    const stack = newStack();

    // When
    new PasswordlessUserPool(stack, 'Auth', { email: EMAIL, userPoolProps: { selfSignUpEnabled: true } });

    // Then
    Annotations.fromStack(stack).hasWarning('/TestStack/Auth',
      Match.stringLikeRegexp('userPoolProps.selfSignUpEnabled is true: anyone can call SignUp'));
  });

  test.each(['userPassword', 'userSrp', 'adminUserPassword'])('password flow %s on the default client', (flow) => {
    // Given
    const stack = newStack();

    // When
    new PasswordlessUserPool(stack, 'Auth', { email: EMAIL, userPoolClientProps: { authFlows: { custom: true, [flow]: true } } });

    // Then
    Annotations.fromStack(stack).hasWarning('/TestStack/Auth',
      Match.stringLikeRegexp(`App client Client enables the password auth flows ${flow}`));
  });

  test('password flow on a client from addClient', () => {
    // Given
    const stack = newStack();
    const auth = new PasswordlessUserPool(stack, 'Auth', { email: EMAIL });

    // When
    auth.addClient('Legacy', { authFlows: { custom: true, userSrp: true } });

    // Then
    Annotations.fromStack(stack).hasWarning('/TestStack/Auth',
      Match.stringLikeRegexp('App client Legacy enables the password auth flows userSrp'));
  });
});

describe('PasswordlessUserPool magic links', () => {
  const MAGIC_LINK = { redirectUrls: ['https://app.example.com/sign-in'] };

  const apiFunctionEnvironment = (template: Template): Record<string, unknown> => {
    const functions = Object.values(template.findResources('AWS::Lambda::Function', {
      Properties: { Description: Match.stringLikeRegexp('MagicLinkApi handler') },
    })) as any[];
    expect(functions).toHaveLength(1);
    return functions[0].Properties.Environment.Variables;
  };

  test('without magicLink there is no API and no magic-link method', () => {
    // Given
    const stack = newStack();

    // When
    const auth = new PasswordlessUserPool(stack, 'Auth', { email: EMAIL });

    // Then
    expect(auth.magicLinkApi).toBeUndefined();
    expect(auth.triggers.methods).toEqual(['email-otp']);
    Template.fromStack(stack).resourceCountIs('AWS::ApiGateway::RestApi', 0);
  });

  test('magicLink creates a MagicLinkApi wired to the pool and its triggers', () => {
    // Given
    const stack = newStack();

    // When
    const auth = new PasswordlessUserPool(stack, 'Auth', { email: EMAIL, magicLink: MAGIC_LINK });

    // Then
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::ApiGateway::RestApi', 1);
    expect(auth.magicLinkApi).toBeDefined();
    expect(auth.triggers.methods).toEqual(['email-otp', 'magic-link']);
    const environment = apiFunctionEnvironment(template);
    expect(environment.USER_POOL_ID).toEqual({ Ref: Object.keys(template.findResources('AWS::Cognito::UserPool'))[0] });
    expect(environment.TABLE_NAME).toEqual({ Ref: Object.keys(template.findResources('AWS::DynamoDB::Table'))[0] });
  });

  test('the link email defaults to the sender, SES identity and configuration set of the email codes', () => {
    // Given / When
    const template = synth({
      email: { fromAddress: 'Example <codes@mail.example.com>', sesIdentity: 'mail.example.com', configurationSetName: 'auth', subject: 'Your code' },
      magicLink: MAGIC_LINK,
    });

    // Then
    expect(apiFunctionEnvironment(template)).toMatchObject({
      EMAIL_FROM: 'Example <codes@mail.example.com>',
      EMAIL_CONFIGURATION_SET: 'auth',
      EMAIL_SUBJECT: 'Your sign-in link',
    });
    const apiPolicy = Object.entries(template.findResources('AWS::IAM::Policy'))
      .find(([id]) => id.startsWith('AuthMagicLinkFunctionRole'))![1] as any;
    const ses = apiPolicy.Properties.PolicyDocument.Statement.find((s: any) => s.Action === 'ses:SendEmail');
    expect(JSON.stringify(ses.Resource)).toMatch(/:identity\/mail.example.com".*:configuration-set\/auth"/);
  });

  test('magicLink.email replaces the sender of the email codes', () => {
    // Given / When
    const template = synth({ email: EMAIL, magicLink: { ...MAGIC_LINK, email: { fromAddress: 'links@example.com', subject: 'Sign in' } } });

    // Then
    expect(apiFunctionEnvironment(template)).toMatchObject({ EMAIL_FROM: 'links@example.com', EMAIL_SUBJECT: 'Sign in' });
  });

  test('with SMS codes only, magicLink makes the email address a verified sign-in alias', () => {
    // Given / When
    const template = synth({ sms: SMS, magicLink: { ...MAGIC_LINK, email: EMAIL } });

    // Then
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      UsernameAttributes: ['email', 'phone_number'],
      AutoVerifiedAttributes: ['email', 'phone_number'],
      UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email', 'phone_number'] },
    });
  });

  test('with SMS codes only, magicLink.email is required', () => {
    expect(() => synth({ sms: SMS, magicLink: MAGIC_LINK }))
      .toThrow(/magicLink.email must be set when email \(email codes\) is not: it names the sender of the link emails/);
  });

  test('sign-in aliases without email are an error with magicLink', () => {
    expect(() => synth({ email: EMAIL, magicLink: MAGIC_LINK, userPoolProps: { signInAliases: { username: true } } }))
      .toThrow(/userPoolProps.signInAliases must include email when magicLink is set/);
  });

  test('magicLink settings reach the API', () => {
    // Given / When
    const template = synth({ email: EMAIL, magicLink: { ...MAGIC_LINK, linkLifetime: Duration.minutes(5), wafRateLimit: 100 } });

    // Then
    expect(apiFunctionEnvironment(template).LINK_TTL_SECONDS).toBe('300');
    template.resourceCountIs('AWS::WAFv2::WebACL', 1);
  });

  test('autoSignUp and attributeUpdates synthesize without a dependency cycle, with the pool\'s client', () => {
    // Given
    const stack = newStack();

    // When
    const auth = new PasswordlessUserPool(stack, 'Auth', { email: EMAIL, sms: SMS, magicLink: { ...MAGIC_LINK, autoSignUp: true, attributeUpdates: true } });

    // Then
    const template = Template.fromStack(stack);
    const signIn = Object.values(template.findResources('AWS::Lambda::Function', {
      Properties: { Description: Match.stringLikeRegexp('SignInApi handler') },
    })) as any[];
    expect(signIn).toHaveLength(1);
    expect(signIn[0].Properties.Environment.Variables.CLIENT_ID).toEqual({ Ref: Object.keys(template.findResources('AWS::Cognito::UserPoolClient'))[0] });
    expect(auth.magicLinkApi!.signInFunction).toBeDefined();
    expect(auth.magicLinkApi!.attributeFunction).toBeDefined();
  });

  test('with the default username attributes, auto sign-up lets Cognito generate usernames', () => {
    // Given / When
    const template = synth({ email: EMAIL, magicLink: { ...MAGIC_LINK, autoSignUp: true } });

    // Then
    expect(apiFunctionEnvironment(template)).not.toHaveProperty('GENERATE_USERNAMES');
    template.hasResourceProperties('AWS::Cognito::UserPool', { UsernameAttributes: ['email'], AliasAttributes: Match.absent() });
  });

  test.each([
    ['username', { username: true, email: true }],
    ['preferredUsername', { username: true, preferredUsername: true, email: true }],
  ])('with a %s sign-in alias, auto sign-up is a synth error: alias pools find and sign in users by verified values only', (_alias, signInAliases) => {
    expect(() => synth({ email: EMAIL, magicLink: { ...MAGIC_LINK, autoSignUp: true }, userPoolProps: { signInAliases } }))
      .toThrow(/^autoSignUp requires usernameAttributes: true .*received usernameAttributes: false\. With sign-in aliases, Cognito resolves an email address or phone number only once it is verified.*without username or preferredUsername/);
  });

  test('with a username sign-in alias, magic links without auto sign-up still synthesize', () => {
    // Given / When
    const template = synth({ email: EMAIL, magicLink: MAGIC_LINK, userPoolProps: { signInAliases: { username: true, email: true } } });

    // Then
    expect(apiFunctionEnvironment(template)).not.toHaveProperty('AUTO_SIGN_UP');
    template.hasResourceProperties('AWS::Cognito::UserPool', { UsernameAttributes: Match.absent(), AliasAttributes: ['email'] });
  });

  test('magicLink settings are validated', () => {
    expect(() => synth({ email: EMAIL, magicLink: { redirectUrls: ['http://app.example.com/'] } }))
      .toThrow(/redirectUrls\[0\] must be an https URL/);
  });
});
