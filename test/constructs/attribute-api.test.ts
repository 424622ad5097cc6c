import { Duration } from 'aws-cdk-lib';
import { jsonBodyModel } from './support/json-body-model';
import { fixture, magicLinkApi, SMS, synth } from './support/magic-link-stack';
import {
  attributeFunction,
  getAtt,
  logicalIdOf,
  policyStatementsOfFunction,
  resourceIdOf,
  sesArn,
  verifyFunction,
} from './support/template-queries';
import { DEFAULT_CODE_LIMITS_ENVIRONMENT } from '../handlers/support/default-code-limits';

// The route, function and table-key tests every optional route shares are in magic-link-api-routes and magic-link-api-functions.

const ATTRIBUTE_UPDATES = { attributeUpdates: true };

describe('MagicLinkApi attribute routes', () => {
  test('with attributeUpdates, /attributes/verify is nested under /attributes at the API root', () => {
    // Given / When
    const template = synth(ATTRIBUTE_UPDATES);

    // Then
    const resources = template.toJSON().Resources;
    expect(resources[resourceIdOf(template, 'attributes')].Properties.ParentId).toEqual(getAtt(logicalIdOf(template, 'AWS::ApiGateway::RestApi'), 'RootResourceId'));
    expect(resources[resourceIdOf(template, 'verify')].Properties.ParentId).toEqual({ Ref: resourceIdOf(template, 'attributes') });
  });

  test('the POST /attributes model takes at least one of email, phone number and names, nothing else', () => {
    // Given / When
    const template = synth(ATTRIBUTE_UPDATES);

    // Then
    template.hasResourceProperties('AWS::ApiGateway::Model', jsonBodyModel('AttributesRequest', {
      minProperties: 1,
      properties: {
        email: { type: 'string', minLength: 3, maxLength: 254 },
        phoneNumber: { type: 'string', minLength: 2, maxLength: 20 },
        givenName: { type: 'string', minLength: 1, maxLength: 256 },
        familyName: { type: 'string', minLength: 1, maxLength: 256 },
      },
    }));
  });

  test('the POST /attributes/verify model requires the code, with the email or phone number it was sent to', () => {
    // Given / When
    const template = synth(ATTRIBUTE_UPDATES);

    // Then
    template.hasResourceProperties('AWS::ApiGateway::Model', jsonBodyModel('AttributesVerifyRequest', {
      required: ['code'],
      properties: {
        email: { type: 'string', minLength: 3, maxLength: 254 },
        phoneNumber: { type: 'string', minLength: 2, maxLength: 20 },
        code: { type: 'string', minLength: 1, maxLength: 64 },
      },
    }));
  });

  test('only the stage may invoke the function, for the two routes (no test-invoke permission)', () => {
    // Given / When
    const template = synth(ATTRIBUTE_UPDATES);

    // Then
    const permissions = Object.values(template.findResources('AWS::Lambda::Permission', {
      Properties: { FunctionName: getAtt(attributeFunction(template).id) },
    })) as any[];
    expect(permissions.map((p) => p.Properties.Principal)).toEqual(['apigateway.amazonaws.com', 'apigateway.amazonaws.com']);
    const sources = permissions.map((p) => JSON.stringify(p.Properties.SourceArn));
    expect(sources.filter((arn) => arn.includes('/POST/attributes/verify"'))).toHaveLength(1);
    expect(sources.filter((arn) => arn.includes('/POST/attributes"'))).toHaveLength(1);
    expect(sources.filter((arn) => arn.includes('test-invoke-stage'))).toEqual([]);
  });

  test('does not need userPoolClient', () => {
    // Given
    const f = fixture();

    // When / Then
    expect(() => magicLinkApi(f, { ...ATTRIBUTE_UPDATES, userPoolClient: undefined })).not.toThrow();
  });
});

describe('MagicLinkApi attribute function', () => {
  test('gets exactly the environment of the contract', () => {
    // Given / When
    const template = synth(ATTRIBUTE_UPDATES);

    // Then
    expect(attributeFunction(template).properties.Environment.Variables).toEqual({
      USER_POOL_ID: { Ref: logicalIdOf(template, 'AWS::Cognito::UserPool') },
      TABLE_NAME: { Ref: logicalIdOf(template, 'AWS::DynamoDB::Table') },
      METHODS: 'email-otp,magic-link',
      ...DEFAULT_CODE_LIMITS_ENVIRONMENT,
      EMAIL_FROM: 'no-reply@example.com',
      EMAIL_SUBJECT: 'Verify your email address',
      EMAIL_TEXT_BODY: 'Your verification code is {code}. It expires in {minutes} minutes. '
        + 'If you did not ask to add this address to an account, ignore this email.',
      ALLOWED_ORIGINS: 'https://app.example.com',
      MAX_REQUESTS_PER_IP_PER_MINUTE: '10',
      MAX_BODY_BYTES: '4096',
      LOG_LEVEL: 'info',
      AWS_NODEJS_CONNECTION_REUSE_ENABLED: '1',
    });
  });

  test('gets the code policy and limits the verify trigger gets', () => {
    // Given / When
    const template = synth(ATTRIBUTE_UPDATES, {
      otp: {
        codeLength: 8,
        codeLifetime: Duration.minutes(5),
        maxAttemptsPerCode: 4,
        sendCooldown: Duration.seconds(90),
        maxSendsPerHour: 3,
        maxFailuresPerIdentifier: 7,
        failureWindow: Duration.minutes(30),
      },
      logLevel: 'warn',
    });

    // Then
    const variables = attributeFunction(template).properties.Environment.Variables;
    const verify = verifyFunction(template).properties.Environment.Variables;
    const shared = ['CODE_LENGTH', 'CODE_TTL_SECONDS', 'MAX_ATTEMPTS', 'SEND_COOLDOWN_SECONDS', 'MAX_SENDS_PER_HOUR',
      'MAX_FAILURES', 'FAILURE_WINDOW_SECONDS', 'LOG_LEVEL'];
    expect(Object.fromEntries(shared.map((name) => [name, variables[name]]))).toEqual({
      CODE_LENGTH: '8',
      CODE_TTL_SECONDS: '300',
      MAX_ATTEMPTS: '4',
      SEND_COOLDOWN_SECONDS: '90',
      MAX_SENDS_PER_HOUR: '3',
      MAX_FAILURES: '7',
      FAILURE_WINDOW_SECONDS: '1800',
      LOG_LEVEL: 'warn',
    });
    expect(Object.fromEntries(shared.map((name) => [name, verify[name]]))).toEqual(
      Object.fromEntries(shared.map((name) => [name, variables[name]])));
  });

  test('sends from the link email\'s sender and configuration set, with its own subject and text', () => {
    // Given / When
    const template = synth({
      ...ATTRIBUTE_UPDATES,
      email: { fromAddress: 'Example <links@example.com>', subject: 'Sign in', textBody: 'Open {link}', htmlBody: '<a href="{link}">x</a>', configurationSetName: 'links' },
    });

    // Then
    const variables = attributeFunction(template).properties.Environment.Variables;
    expect(variables).toMatchObject({
      EMAIL_FROM: 'Example <links@example.com>',
      EMAIL_SUBJECT: 'Verify your email address',
      EMAIL_CONFIGURATION_SET: 'links',
    });
    expect(variables.EMAIL_TEXT_BODY).toMatch(/^Your verification code is \{code\}/);
    expect(variables.EMAIL_HTML_BODY).toBeUndefined();
  });

  test('with SMS codes, gets the verify trigger\'s SMS settings with its own message', () => {
    // Given / When
    const template = synth(ATTRIBUTE_UPDATES, {
      sms: { allowedCountryCallingCodes: ['1', '44'], senderId: 'Example', originationNumber: '+12065550100', messageTemplate: '{code} signs you in' },
    });

    // Then
    const variables = attributeFunction(template).properties.Environment.Variables;
    expect(Object.fromEntries(Object.entries(variables).filter(([name]) => name.startsWith('SMS_')))).toEqual({
      SMS_ALLOWED_COUNTRY_CODES: '1,44',
      SMS_MESSAGE: 'Your verification code is {code}',
      SMS_SENDER_ID: 'Example',
      SMS_ORIGINATION_NUMBER: '+12065550100',
    });
    expect(variables.METHODS).toBe('email-otp,sms-otp,magic-link');
    expect(variables.SMS_ALLOWED_COUNTRY_CODES).toBe(verifyFunction(template).properties.Environment.Variables.SMS_ALLOWED_COUNTRY_CODES);
  });
});

describe('MagicLinkApi attribute permissions', () => {
  test('the function may call exactly what the contract lists, on exactly those resources', () => {
    // Given / When
    const template = synth(ATTRIBUTE_UPDATES);

    // Then
    const fn = attributeFunction(template);
    expect(policyStatementsOfFunction(template, fn)).toEqual([
      { Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Effect: 'Allow', Resource: getAtt(fn.properties.LoggingConfig.LogGroup.Ref) },
      {
        Action: ['cognito-idp:AdminGetUser', 'cognito-idp:AdminUpdateUserAttributes', 'cognito-idp:AdminDeleteUser'],
        Effect: 'Allow',
        Resource: getAtt(logicalIdOf(template, 'AWS::Cognito::UserPool')),
      },
      {
        Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
        Effect: 'Allow',
        Resource: [getAtt(logicalIdOf(template, 'AWS::DynamoDB::Table')), { Ref: 'AWS::NoValue' }],
      },
      { Action: 'ses:SendEmail', Effect: 'Allow', Resource: sesArn('identity/example.com') },
    ]);
  });

  test('with SMS codes, may also publish SMS, the only statement with Resource *', () => {
    // Given / When
    const template = synth(ATTRIBUTE_UPDATES, { sms: SMS });

    // Then
    const statements = policyStatementsOfFunction(template, attributeFunction(template));
    expect(statements[statements.length - 1]).toEqual({ Action: 'sns:Publish', Effect: 'Allow', Resource: '*' });
    for (const statement of statements.slice(0, -1)) {
      expect(JSON.stringify(statement.Resource)).not.toMatch(/"\*"|:\*"/);
      expect(JSON.stringify(statement.Action)).not.toContain('*');
    }
  });

  test('ses:SendEmail covers the link email\'s identity and configuration set', () => {
    // Given / When
    const template = synth({ ...ATTRIBUTE_UPDATES, email: { fromAddress: 'no-reply@example.com', sesIdentity: 'links@example.com', configurationSetName: 'links' } });

    // Then
    const ses = policyStatementsOfFunction(template, attributeFunction(template)).find((s) => s.Action === 'ses:SendEmail');
    expect(JSON.stringify(ses.Resource)).toMatch(/:identity\/links@example.com".*:configuration-set\/links"/);
  });

  test('attributeUpdates alone gives the verify trigger no new permission or environment', () => {
    // Given
    const without = synth();

    // When
    const template = synth(ATTRIBUTE_UPDATES);

    // Then
    expect(policyStatementsOfFunction(template, verifyFunction(template))).toEqual(policyStatementsOfFunction(without, verifyFunction(without)));
    expect(verifyFunction(template).properties.Environment).toEqual(verifyFunction(without).properties.Environment);
  });
});
