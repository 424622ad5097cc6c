import { jsonBodyModel } from './support/json-body-model';
import { SMS, synth } from './support/magic-link-stack';
import { getAtt, logicalIdOf, policyStatementsOfFunction, signInFunction, verifyFunction } from './support/template-queries';

// The route, function and table-key tests every optional route shares are in magic-link-api-routes and magic-link-api-functions.

const AUTO_SIGN_UP = { autoSignUp: true };

describe('MagicLinkApi POST /sign-in route', () => {
  test('the model is the JSON schema of the contract: identifier and channel required, nothing else', () => {
    // Given / When
    const template = synth(AUTO_SIGN_UP);

    // Then
    template.hasResourceProperties('AWS::ApiGateway::Model', jsonBodyModel('SignInRequest', {
      required: ['identifier', 'channel'],
      properties: {
        identifier: { type: 'string', minLength: 3, maxLength: 254 },
        channel: { type: 'string', enum: ['email', 'sms'] },
      },
    }));
  });

  test('only the stage may invoke the function, for POST /sign-in (no test-invoke permission)', () => {
    // Given / When
    const template = synth(AUTO_SIGN_UP);

    // Then
    const permissions = Object.values(template.findResources('AWS::Lambda::Permission', {
      Properties: { FunctionName: getAtt(signInFunction(template).id) },
    })) as any[];
    expect(permissions).toHaveLength(1);
    expect(permissions[0].Properties.Principal).toBe('apigateway.amazonaws.com');
    expect(JSON.stringify(permissions[0].Properties.SourceArn)).toContain('/POST/sign-in');
  });
});

describe('MagicLinkApi sign-in function', () => {
  test('gets exactly the environment of the contract', () => {
    // Given / When
    const template = synth({ ...AUTO_SIGN_UP, redirectUrls: ['https://app.example.com/a', 'http://127.0.0.1/demo/'] });

    // Then
    expect(signInFunction(template).properties.Environment.Variables).toEqual({
      USER_POOL_ID: { Ref: logicalIdOf(template, 'AWS::Cognito::UserPool') },
      CLIENT_ID: { Ref: logicalIdOf(template, 'AWS::Cognito::UserPoolClient') },
      TABLE_NAME: { Ref: logicalIdOf(template, 'AWS::DynamoDB::Table') },
      METHODS: 'email-otp,magic-link',
      ALLOWED_ORIGINS: 'https://app.example.com,http://127.0.0.1',
      MAX_REQUESTS_PER_IP_PER_MINUTE: '10',
      MAX_BODY_BYTES: '4096',
      LOG_LEVEL: 'info',
      AWS_NODEJS_CONNECTION_REUSE_ENABLED: '1',
    });
  });

  test('with SMS codes, gets the allowed country calling codes the verify trigger gets', () => {
    // Given / When
    const template = synth(AUTO_SIGN_UP, { sms: { allowedCountryCallingCodes: ['44', '1', '44'] } });

    // Then
    const variables = signInFunction(template).properties.Environment.Variables;
    expect(variables).toMatchObject({ METHODS: 'email-otp,sms-otp,magic-link', SMS_ALLOWED_COUNTRY_CODES: '44,1' });
    expect(variables.SMS_ALLOWED_COUNTRY_CODES).toBe(verifyFunction(template).properties.Environment.Variables.SMS_ALLOWED_COUNTRY_CODES);
    expect(Object.keys(variables).filter((name) => name.startsWith('SMS_'))).toEqual(['SMS_ALLOWED_COUNTRY_CODES']);
  });

  test('is not told to generate usernames: Cognito generates them in the username-attribute pool auto sign-up requires', () => {
    // Given / When
    const template = synth({ ...AUTO_SIGN_UP, usernameAttributes: true });

    // Then
    expect(signInFunction(template).properties.Environment.Variables).not.toHaveProperty('GENERATE_USERNAMES');
  });

  test('is not created for a pool with sign-in aliases: synthesis fails naming autoSignUp and usernameAttributes', () => {
    // Given / When / Then
    expect(() => synth({ ...AUTO_SIGN_UP, usernameAttributes: false }))
      .toThrow(/^autoSignUp requires usernameAttributes: true .*received usernameAttributes: false\. With sign-in aliases, Cognito resolves an email address or phone number only once it is verified/);
  });

  test('takes maxRequestsPerIpPerMinute, allowedOrigins and logLevel from the props', () => {
    // Given / When
    const template = synth({
      ...AUTO_SIGN_UP,
      maxRequestsPerIpPerMinute: 3,
      allowedOrigins: ['https://www.example.com', 'https://admin.example.com'],
      logLevel: 'debug',
    });

    // Then
    expect(signInFunction(template).properties.Environment.Variables).toMatchObject({
      MAX_REQUESTS_PER_IP_PER_MINUTE: '3',
      ALLOWED_ORIGINS: 'https://www.example.com,https://admin.example.com',
      LOG_LEVEL: 'debug',
    });
  });

  test('takes the log level of the triggers by default', () => {
    // Given / When
    const template = synth(AUTO_SIGN_UP, { logLevel: 'warn' });

    // Then
    expect(signInFunction(template).properties.Environment.Variables.LOG_LEVEL).toBe('warn');
  });
});

describe('MagicLinkApi sign-in permissions', () => {
  test('the function may call exactly what the contract lists, on exactly those resources', () => {
    // Given / When
    const template = synth(AUTO_SIGN_UP);

    // Then
    const fn = signInFunction(template);
    expect(policyStatementsOfFunction(template, fn)).toEqual([
      { Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Effect: 'Allow', Resource: getAtt(fn.properties.LoggingConfig.LogGroup.Ref) },
      {
        Action: ['cognito-idp:AdminGetUser', 'cognito-idp:AdminCreateUser', 'cognito-idp:AdminSetUserPassword'],
        Effect: 'Allow',
        Resource: getAtt(logicalIdOf(template, 'AWS::Cognito::UserPool')),
      },
      {
        Action: 'dynamodb:UpdateItem',
        Effect: 'Allow',
        Resource: [getAtt(logicalIdOf(template, 'AWS::DynamoDB::Table')), { Ref: 'AWS::NoValue' }],
      },
    ]);
  });

  test('no statement of the function has a wildcard resource or action, even with SMS codes', () => {
    // Given / When
    const template = synth(AUTO_SIGN_UP, { sms: SMS });

    // Then
    for (const statement of policyStatementsOfFunction(template, signInFunction(template))) {
      expect(JSON.stringify(statement.Resource)).not.toMatch(/"\*"|:\*"/);
      expect(JSON.stringify(statement.Action)).not.toContain('*');
    }
  });
});
