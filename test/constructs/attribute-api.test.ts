import { Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import {
  attributeFunction,
  fixture,
  functionsByDescription,
  getAtt,
  logicalIdOf,
  magicLinkApi,
  methodOn,
  modelIdOf,
  policyStatementsOfFunction,
  resourceIdOf,
  SMS,
  synth,
  tableKeyIdOf,
  verifyFunction,
  withTableKey,
} from './support/magic-link-stack';

const ATTRIBUTE_UPDATES = { attributeUpdates: true };
const ROUTES: [string, string, string][] = [
  ['POST /attributes', 'attributes', 'AttributesRequest'],
  ['POST /attributes/verify', 'verify', 'AttributesVerifyRequest'],
];
const sesIdentity = (identity: string) => ({
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ses:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, `:identity/${identity}`]],
});

describe('MagicLinkApi attribute routes', () => {
  test('do not exist without attributeUpdates', () => {
    // Given
    const f = fixture();

    // When
    const api = magicLinkApi(f, { autoSignUp: true });

    // Then
    const template = Template.fromStack(f.stack);
    expect(template.findResources('AWS::ApiGateway::Resource', { Properties: { PathPart: 'attributes' } })).toEqual({});
    expect(functionsByDescription(template, 'AttributeApi handler')).toEqual([]);
    expect(api.attributesEndpoint).toBeUndefined();
    expect(api.attributeFunction).toBeUndefined();
  });

  test('with attributeUpdates, /attributes/verify is nested under /attributes at the API root', () => {
    // Given / When
    const template = synth(ATTRIBUTE_UPDATES);

    // Then
    const resources = template.toJSON().Resources;
    expect(resources[resourceIdOf(template, 'attributes')].Properties.ParentId).toEqual(getAtt(logicalIdOf(template, 'AWS::ApiGateway::RestApi'), 'RootResourceId'));
    expect(resources[resourceIdOf(template, 'verify')].Properties.ParentId).toEqual({ Ref: resourceIdOf(template, 'attributes') });
  });

  test.each(ROUTES)('%s is a Lambda proxy integration of the attribute function, without API Gateway authorization', (_route, pathPart) => {
    // Given / When
    const template = synth(ATTRIBUTE_UPDATES);

    // Then
    const post = methodOn(template, pathPart, 'POST');
    expect(post.Properties).toMatchObject({ AuthorizationType: 'NONE', ApiKeyRequired: false });
    expect(post.Properties.AuthorizerId).toBeUndefined();
    expect(post.Properties.Integration.Type).toBe('AWS_PROXY');
    expect(JSON.stringify(post.Properties.Integration.Uri)).toContain(attributeFunction(template).id);
  });

  test.each(ROUTES)('%s checks every body against its model, whatever its content type', (_route, pathPart, title) => {
    // Given / When
    const template = synth(ATTRIBUTE_UPDATES);

    // Then
    const post = methodOn(template, pathPart, 'POST');
    const model = { Ref: modelIdOf(template, title) };
    expect(post.Properties.RequestModels).toEqual({ 'application/json': model, '$default': model });
    expect(post.Properties.RequestValidatorId).toEqual({ Ref: logicalIdOf(template, 'AWS::ApiGateway::RequestValidator') });
  });

  test('the POST /attributes model takes at least one of email, phone number and names, nothing else', () => {
    // Given / When
    const template = synth(ATTRIBUTE_UPDATES);

    // Then
    template.hasResourceProperties('AWS::ApiGateway::Model', {
      ContentType: 'application/json',
      Schema: {
        $schema: 'http://json-schema.org/draft-04/schema#',
        title: 'AttributesRequest',
        type: 'object',
        additionalProperties: false,
        minProperties: 1,
        properties: {
          email: { type: 'string', minLength: 3, maxLength: 254 },
          phoneNumber: { type: 'string', minLength: 2, maxLength: 20 },
          givenName: { type: 'string', minLength: 1, maxLength: 256 },
          familyName: { type: 'string', minLength: 1, maxLength: 256 },
        },
      },
    });
  });

  test('the POST /attributes/verify model requires the code, with the email or phone number it was sent to', () => {
    // Given / When
    const template = synth(ATTRIBUTE_UPDATES);

    // Then
    template.hasResourceProperties('AWS::ApiGateway::Model', {
      ContentType: 'application/json',
      Schema: {
        $schema: 'http://json-schema.org/draft-04/schema#',
        title: 'AttributesVerifyRequest',
        type: 'object',
        required: ['code'],
        additionalProperties: false,
        properties: {
          email: { type: 'string', minLength: 3, maxLength: 254 },
          phoneNumber: { type: 'string', minLength: 2, maxLength: 20 },
          code: { type: 'string', minLength: 1, maxLength: 64 },
        },
      },
    });
  });

  test.each(ROUTES)('the %s preflight allows POST with Content-Type and Authorization for the allowed origins', (_route, pathPart) => {
    // Given / When
    const template = synth({ ...ATTRIBUTE_UPDATES, allowedOrigins: ['https://www.example.com'] });

    // Then
    const response = methodOn(template, pathPart, 'OPTIONS').Properties.Integration.IntegrationResponses[0];
    expect(response.ResponseParameters).toEqual({
      'method.response.header.Access-Control-Allow-Origin': "'https://www.example.com'",
      'method.response.header.Access-Control-Allow-Methods': "'POST'",
      'method.response.header.Access-Control-Allow-Headers': "'Content-Type,Authorization'",
      'method.response.header.Access-Control-Max-Age': "'3600'",
      'method.response.header.Vary': "'Origin'",
    });
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

  test('exposes the endpoint and the function', () => {
    // Given
    const f = fixture();

    // When
    const api = magicLinkApi(f, ATTRIBUTE_UPDATES);

    // Then
    const url = JSON.stringify(f.stack.resolve(api.url));
    const endpoint = JSON.stringify(f.stack.resolve(api.attributesEndpoint));
    expect(endpoint).toMatch(/\/attributes"\]\]}$/);
    expect(endpoint.replace('attributes', '')).toEqual(url);
    expect(f.stack.resolve(api.attributeFunction!.functionArn)).toEqual(getAtt(attributeFunction(Template.fromStack(f.stack)).id));
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
      CODE_LENGTH: '6',
      CODE_TTL_SECONDS: '180',
      MAX_ATTEMPTS: '3',
      SEND_COOLDOWN_SECONDS: '60',
      MAX_SENDS_PER_HOUR: '5',
      MAX_FAILURES: '10',
      FAILURE_WINDOW_SECONDS: '3600',
      EMAIL_FROM: 'no-reply@example.com',
      EMAIL_SUBJECT: 'Verify your email address',
      EMAIL_TEXT_BODY: 'Your verification code is {code}. It expires in {minutes} minutes. '
        + 'If you did not ask to add this address to an account, ignore this email.',
      ALLOWED_ORIGINS: 'https://app.example.com',
      MAX_REQUESTS_PER_IP_PER_MINUTE: '10',
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

  test('defaults to Node.js 22 on arm64 with 256 MB and a 5 second timeout, logging to its own log group', () => {
    // Given / When
    const template = synth(ATTRIBUTE_UPDATES);

    // Then
    const fn = attributeFunction(template);
    expect(fn.properties).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'], MemorySize: 256, Timeout: 5, Handler: 'index.handler' });
    const logGroupId = fn.properties.LoggingConfig.LogGroup.Ref;
    expect(logGroupId).toMatch(/^MagicLinkAttributeFunctionLogs/);
    expect(template.toJSON().Resources[logGroupId]).toMatchObject({ Properties: { RetentionInDays: 30 }, DeletionPolicy: 'Delete' });
  });

  test('takes runtime, memory, architecture, timeout and log retention from functionOptions', () => {
    // Given / When
    const template = synth({
      ...ATTRIBUTE_UPDATES,
      functionOptions: {
        runtime: lambda.Runtime.NODEJS_20_X,
        memorySize: 512,
        architecture: lambda.Architecture.X86_64,
        timeout: Duration.seconds(10),
        logRetention: logs.RetentionDays.ONE_WEEK,
      },
    });

    // Then
    const fn = attributeFunction(template);
    expect(fn.properties).toMatchObject({ Runtime: 'nodejs20.x', Architectures: ['x86_64'], MemorySize: 512, Timeout: 10 });
    expect(template.toJSON().Resources[fn.properties.LoggingConfig.LogGroup.Ref].Properties.RetentionInDays).toBe(7);
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
      { Action: 'ses:SendEmail', Effect: 'Allow', Resource: sesIdentity('example.com') },
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

  test('the function has its own role with no managed policy', () => {
    // Given / When
    const template = synth(ATTRIBUTE_UPDATES);

    // Then
    const roleId = attributeFunction(template).properties.Role['Fn::GetAtt'][0];
    expect(roleId).toMatch(/^MagicLinkAttributeFunctionRole/);
    const role = template.toJSON().Resources[roleId];
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } },
    ]);
  });

  test('with a customer managed table key, the function may also use that key for DynamoDB', () => {
    // Given / When
    const template = synth(ATTRIBUTE_UPDATES, withTableKey);

    // Then
    expect(policyStatementsOfFunction(template, attributeFunction(template))).toContainEqual({
      Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*'],
      Effect: 'Allow',
      Resource: getAtt(tableKeyIdOf(template)),
    });
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
