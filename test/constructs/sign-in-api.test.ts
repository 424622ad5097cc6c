import { Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import {
  fixture,
  functionsByDescription,
  getAtt,
  logicalIdOf,
  magicLinkApi,
  methodOn,
  modelIdOf,
  policyStatementsOfFunction,
  signInFunction,
  SMS,
  synth,
  tableKeyIdOf,
  verifyFunction,
  withTableKey,
} from './support/magic-link-stack';

const AUTO_SIGN_UP = { autoSignUp: true };

describe('MagicLinkApi POST /sign-in route', () => {
  test('does not exist without autoSignUp', () => {
    // Given
    const f = fixture();

    // When
    const api = magicLinkApi(f);

    // Then
    const template = Template.fromStack(f.stack);
    expect(template.findResources('AWS::ApiGateway::Resource', { Properties: { PathPart: 'sign-in' } })).toEqual({});
    expect(functionsByDescription(template, 'SignInApi handler')).toEqual([]);
    expect(api.signInEndpoint).toBeUndefined();
    expect(api.signInFunction).toBeUndefined();
  });

  test('with autoSignUp, is a Lambda proxy integration of the sign-in function, without authorization or API key', () => {
    // Given / When
    const template = synth(AUTO_SIGN_UP);

    // Then
    const post = methodOn(template, 'sign-in', 'POST');
    expect(post.Properties).toMatchObject({ AuthorizationType: 'NONE', ApiKeyRequired: false });
    expect(post.Properties.Integration.Type).toBe('AWS_PROXY');
    expect(JSON.stringify(post.Properties.Integration.Uri)).toContain(signInFunction(template).id);
  });

  test('the model is the JSON schema of the contract: identifier and channel required, nothing else', () => {
    // Given / When
    const template = synth(AUTO_SIGN_UP);

    // Then
    template.hasResourceProperties('AWS::ApiGateway::Model', {
      ContentType: 'application/json',
      Schema: {
        $schema: 'http://json-schema.org/draft-04/schema#',
        title: 'SignInRequest',
        type: 'object',
        required: ['identifier', 'channel'],
        additionalProperties: false,
        properties: {
          identifier: { type: 'string', minLength: 3, maxLength: 254 },
          channel: { type: 'string', enum: ['email', 'sms'] },
        },
      },
    });
  });

  test('the shared request validator checks every body against the model, whatever its content type', () => {
    // Given / When
    const template = synth(AUTO_SIGN_UP);

    // Then
    const post = methodOn(template, 'sign-in', 'POST');
    const model = { Ref: modelIdOf(template, 'SignInRequest') };
    expect(post.Properties.RequestModels).toEqual({ 'application/json': model, '$default': model });
    expect(post.Properties.RequestValidatorId).toEqual({ Ref: logicalIdOf(template, 'AWS::ApiGateway::RequestValidator') });
  });

  test('the preflight allows POST with Content-Type for the allowed origins', () => {
    // Given / When
    const template = synth({ ...AUTO_SIGN_UP, allowedOrigins: ['https://www.example.com'] });

    // Then
    const response = methodOn(template, 'sign-in', 'OPTIONS').Properties.Integration.IntegrationResponses[0];
    expect(response.ResponseParameters).toEqual({
      'method.response.header.Access-Control-Allow-Origin': "'https://www.example.com'",
      'method.response.header.Access-Control-Allow-Methods': "'POST'",
      'method.response.header.Access-Control-Allow-Headers': "'Content-Type'",
      'method.response.header.Access-Control-Max-Age': "'3600'",
      'method.response.header.Vary': "'Origin'",
    });
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

  test('exposes the endpoint and the function', () => {
    // Given
    const f = fixture();

    // When
    const api = magicLinkApi(f, AUTO_SIGN_UP);

    // Then
    const url = JSON.stringify(f.stack.resolve(api.url));
    const endpoint = JSON.stringify(f.stack.resolve(api.signInEndpoint));
    expect(endpoint).toMatch(/\/sign-in"\]\]}$/);
    expect(endpoint.replace('sign-in', '')).toEqual(url);
    expect(f.stack.resolve(api.signInFunction!.functionArn)).toEqual(getAtt(signInFunction(Template.fromStack(f.stack)).id));
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
      GENERATE_USERNAMES: 'false',
      ALLOWED_ORIGINS: 'https://app.example.com,http://127.0.0.1',
      MAX_REQUESTS_PER_IP_PER_MINUTE: '10',
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

  test('generates usernames when the pool has sign-in aliases instead of username attributes', () => {
    // Given / When
    const template = synth({ ...AUTO_SIGN_UP, usernameAttributes: false });

    // Then
    expect(signInFunction(template).properties.Environment.Variables.GENERATE_USERNAMES).toBe('true');
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

  test('defaults to Node.js 22 on arm64 with 256 MB and a 5 second timeout, logging to its own log group', () => {
    // Given / When
    const template = synth(AUTO_SIGN_UP);

    // Then
    const fn = signInFunction(template);
    expect(fn.properties).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'], MemorySize: 256, Timeout: 5, Handler: 'index.handler' });
    const logGroupId = fn.properties.LoggingConfig.LogGroup.Ref;
    expect(logGroupId).toMatch(/^MagicLinkSignInFunctionLogs/);
    expect(template.toJSON().Resources[logGroupId]).toMatchObject({ Properties: { RetentionInDays: 30 }, DeletionPolicy: 'Delete' });
  });

  test('takes runtime, memory, architecture, timeout and log retention from functionOptions', () => {
    // Given / When
    const template = synth({
      ...AUTO_SIGN_UP,
      functionOptions: {
        runtime: lambda.Runtime.NODEJS_20_X,
        memorySize: 512,
        architecture: lambda.Architecture.X86_64,
        timeout: Duration.seconds(10),
        logRetention: logs.RetentionDays.ONE_WEEK,
      },
    });

    // Then
    const fn = signInFunction(template);
    expect(fn.properties).toMatchObject({ Runtime: 'nodejs20.x', Architectures: ['x86_64'], MemorySize: 512, Timeout: 10 });
    expect(template.toJSON().Resources[fn.properties.LoggingConfig.LogGroup.Ref].Properties.RetentionInDays).toBe(7);
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

  test('the function has its own role with no managed policy', () => {
    // Given / When
    const template = synth(AUTO_SIGN_UP);

    // Then
    const roleId = signInFunction(template).properties.Role['Fn::GetAtt'][0];
    expect(roleId).toMatch(/^MagicLinkSignInFunctionRole/);
    const role = template.toJSON().Resources[roleId];
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } },
    ]);
  });

  test('with a customer managed table key, the function may also use that key for DynamoDB', () => {
    // Given / When
    const template = synth(AUTO_SIGN_UP, withTableKey);

    // Then
    expect(policyStatementsOfFunction(template, signInFunction(template))).toContainEqual({
      Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*'],
      Effect: 'Allow',
      Resource: getAtt(tableKeyIdOf(template)),
    });
  });
});
