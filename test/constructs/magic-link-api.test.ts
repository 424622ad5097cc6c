import { Duration, Token } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { MagicLinkApi } from '../../src';
import { jsonBodyModel } from './support/json-body-model';
import { construct, EMAIL, Fixture, fixture, magicLinkApi, Overrides, REDIRECT_URLS, synth } from './support/magic-link-stack';
import {
  getAtt,
  logicalIdOf,
  magicLinkFunction,
  onlyMethod,
  policyStatementsOfFunction,
  sesArn,
  triggerFunction,
} from './support/template-queries';

// The function tests every function of MagicLinkApi shares are in magic-link-api-functions.

describe('MagicLinkApi request validation', () => {
  test('the model is the JSON schema of the contract: both fields required, bounded strings, nothing else', () => {
    // Given / When
    const template = synth();

    // Then
    template.resourceCountIs('AWS::ApiGateway::Model', 1);
    template.hasResourceProperties('AWS::ApiGateway::Model', jsonBodyModel('MagicLinkRequest', {
      required: ['email', 'redirectUri'],
      properties: {
        email: { type: 'string', minLength: 3, maxLength: 254 },
        redirectUri: { type: 'string', minLength: 1, maxLength: 2048 },
      },
    }));
  });

  test('a request validator checks the body of POST /magic-link against the model', () => {
    // Given / When
    const template = synth();

    // Then
    template.hasResourceProperties('AWS::ApiGateway::RequestValidator', {
      ValidateRequestBody: true,
      ValidateRequestParameters: true,
    });
    const post = onlyMethod(template, 'POST');
    expect(post.Properties.RequestValidatorId).toEqual({ Ref: logicalIdOf(template, 'AWS::ApiGateway::RequestValidator') });
    expect(post.Properties.RequestModels['application/json']).toEqual({ Ref: logicalIdOf(template, 'AWS::ApiGateway::Model') });
  });

  test('the model also applies to bodies of any other content type, so no body skips validation', () => {
    // Given / When
    const template = synth();

    // Then
    const post = onlyMethod(template, 'POST');
    expect(post.Properties.RequestModels.$default).toEqual({ Ref: logicalIdOf(template, 'AWS::ApiGateway::Model') });
  });

  test('POST /magic-link is a Lambda proxy integration of the API function, without authorization or API key', () => {
    // Given / When
    const template = synth();

    // Then
    template.hasResourceProperties('AWS::ApiGateway::Resource', { PathPart: 'magic-link' });
    const post = onlyMethod(template, 'POST');
    expect(post.Properties).toMatchObject({ AuthorizationType: 'NONE', ApiKeyRequired: false });
    expect(post.Properties.Integration.Type).toBe('AWS_PROXY');
    expect(JSON.stringify(post.Properties.Integration.Uri)).toContain(magicLinkFunction(template).id);
  });

  test('only the stage may invoke the function, for POST /magic-link (no test-invoke permission)', () => {
    // Given / When
    const template = synth();

    // Then
    const permissions = Object.values(template.findResources('AWS::Lambda::Permission', {
      Properties: { FunctionName: getAtt(magicLinkFunction(template).id) },
    })) as any[];
    expect(permissions).toHaveLength(1);
    expect(permissions[0].Properties.Principal).toBe('apigateway.amazonaws.com');
    const sourceArn = JSON.stringify(permissions[0].Properties.SourceArn);
    expect(sourceArn).toContain(logicalIdOf(template, 'AWS::ApiGateway::Stage'));
    expect(sourceArn).toContain('/POST/magic-link');
  });

  test('the API is regional', () => {
    // Given / When
    const template = synth();

    // Then
    template.hasResourceProperties('AWS::ApiGateway::RestApi', { EndpointConfiguration: { Types: ['REGIONAL'] } });
  });

  test('no account-wide CloudWatch role is created', () => {
    // Given / When
    const template = synth();

    // Then
    template.resourceCountIs('AWS::ApiGateway::Account', 0);
  });
});

describe('MagicLinkApi CORS', () => {
  const preflightHeaders = (template: Template) => onlyMethod(template, 'OPTIONS').Properties.Integration.IntegrationResponses[0];

  test('the preflight allows POST with Content-Type for the origins of the redirect URLs by default', () => {
    // Given / When
    const template = synth({ redirectUrls: ['https://app.example.com/sign-in', 'https://app.example.com/other', 'http://localhost:3000/cb'] });

    // Then
    const response = preflightHeaders(template);
    expect(response.StatusCode).toBe('204');
    expect(response.ResponseParameters).toEqual({
      'method.response.header.Access-Control-Allow-Origin': "'https://app.example.com'",
      'method.response.header.Access-Control-Allow-Methods': "'POST'",
      'method.response.header.Access-Control-Allow-Headers': "'Content-Type'",
      'method.response.header.Access-Control-Max-Age': "'3600'",
      'method.response.header.Vary': "'Origin'",
    });
    // The other origins are echoed only on an exact match.
    const vtl: string = response.ResponseTemplates['application/json'];
    expect(vtl.match(/\$origin == "[^"]+"/g)).toEqual(['$origin == "http://localhost:3000"']);
  });

  test('the preflight allows exactly allowedOrigins when set', () => {
    // Given / When
    const template = synth({ allowedOrigins: ['https://www.example.com'] });

    // Then
    const response = preflightHeaders(template);
    expect(response.ResponseParameters['method.response.header.Access-Control-Allow-Origin']).toBe("'https://www.example.com'");
    expect(response.ResponseTemplates).toBeUndefined();
  });

  test.each(['BAD_REQUEST_BODY', 'DEFAULT_4XX', 'DEFAULT_5XX'])('the %s gateway response carries CORS for the first origin, uncached', (type) => {
    // Given / When
    const template = synth({ allowedOrigins: ['https://www.example.com', 'https://admin.example.com'] });

    // Then
    template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: type,
      ResponseParameters: {
        'gatewayresponse.header.Access-Control-Allow-Origin': "'https://www.example.com'",
        'gatewayresponse.header.Vary': "'Origin'",
        'gatewayresponse.header.Cache-Control': "'no-store'",
      },
    });
  });

  test('a malformed body gets 400 with a fixed, generic JSON message that fits every route', () => {
    // Given / When
    const template = synth({ attributeUpdates: true });

    // Then
    const response = Object.values(template.findResources('AWS::ApiGateway::GatewayResponse', {
      Properties: { ResponseType: 'BAD_REQUEST_BODY' },
    }))[0] as any;
    expect(response.Properties.StatusCode).toBe('400');
    const text: string = response.Properties.ResponseTemplates['application/json'];
    expect(JSON.parse(text)).toEqual({ message: "Invalid request body: see the API's documentation for the fields each route accepts." });
  });

  test('no CORS header anywhere allows every origin', () => {
    // Given / When
    const template = synth();

    // Then
    expect(JSON.stringify(template.toJSON())).not.toContain("'*'");
  });
});

describe('MagicLinkApi stage', () => {
  test('throttles the whole stage to 10 requests per second with bursts of 20 by default', () => {
    // Given / When
    const template = synth();

    // Then
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      MethodSettings: [Match.objectLike({ HttpMethod: '*', ResourcePath: '/*', ThrottlingRateLimit: 10, ThrottlingBurstLimit: 20 })],
    });
  });

  test('takes the throttling from the throttling prop', () => {
    // Given / When
    const template = synth({ throttling: { rateLimit: 50, burstLimit: 100 } });

    // Then
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      MethodSettings: [Match.objectLike({ ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 })],
    });
  });

  test('writes JSON access logs, without body or query string, to its own log group kept a month', () => {
    // Given / When
    const template = synth();

    // Then
    const stage = Object.values(template.findResources('AWS::ApiGateway::Stage'))[0] as any;
    const logGroupId = stage.Properties.AccessLogSetting.DestinationArn['Fn::GetAtt'][0];
    expect(template.toJSON().Resources[logGroupId]).toMatchObject({
      Type: 'AWS::Logs::LogGroup',
      Properties: { RetentionInDays: 30 },
      DeletionPolicy: 'Delete',
    });
    const format = JSON.parse(stage.Properties.AccessLogSetting.Format);
    expect(format).toMatchObject({ requestId: '$context.requestId', sourceIp: '$context.identity.sourceIp', status: '$context.status' });
    const fields = Object.values<string>(format).join(' ');
    expect(fields).not.toMatch(/\$input|body|querystring|validationErrorString/i);
  });

  test('keeps access logs for accessLogRetention', () => {
    // Given / When
    const template = synth({ accessLogRetention: logs.RetentionDays.ONE_WEEK });

    // Then
    const stage = Object.values(template.findResources('AWS::ApiGateway::Stage'))[0] as any;
    const logGroupId = stage.Properties.AccessLogSetting.DestinationArn['Fn::GetAtt'][0];
    expect(template.toJSON().Resources[logGroupId].Properties.RetentionInDays).toBe(7);
  });

  test('never traces request data', () => {
    // Given / When
    const template = synth();

    // Then
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      MethodSettings: [Match.objectLike({ DataTraceEnabled: false, LoggingLevel: Match.absent() })],
    });
  });

  test('exposes the stage URL and the endpoint URL', () => {
    // Given
    const f = fixture();

    // When
    const api = magicLinkApi(f);

    // Then
    const url = JSON.stringify(f.stack.resolve(api.url));
    const endpoint = JSON.stringify(f.stack.resolve(api.endpoint));
    expect(url).toMatch(/\/",?\]\]}$/);
    expect(endpoint).toMatch(/\/magic-link"\]\]}$/);
    expect(endpoint.replace('magic-link', '')).toEqual(url);
  });
});

describe('MagicLinkApi function', () => {
  test('gets exactly the environment of the contract', () => {
    // Given / When
    const template = synth({ redirectUrls: ['https://app.example.com/a', 'http://127.0.0.1/demo/'] });

    // Then
    const fn = magicLinkFunction(template);
    expect(fn.properties.Environment.Variables).toEqual({
      USER_POOL_ID: { Ref: logicalIdOf(template, 'AWS::Cognito::UserPool') },
      TABLE_NAME: { Ref: logicalIdOf(template, 'AWS::DynamoDB::Table') },
      KEY_ID: getAtt(logicalIdOf(template, 'AWS::KMS::Key')),
      REDIRECT_URIS: 'https://app.example.com/a,http://127.0.0.1/demo/',
      ALLOWED_ORIGINS: 'https://app.example.com,http://127.0.0.1',
      LINK_TTL_SECONDS: '600',
      SEND_COOLDOWN_SECONDS: '60',
      MAX_SENDS_PER_HOUR: '5',
      MAX_FAILURES: '10',
      FAILURE_WINDOW_SECONDS: '3600',
      MAX_REQUESTS_PER_IP_PER_MINUTE: '10',
      MAX_BODY_BYTES: '4096',
      EMAIL_FROM: 'no-reply@example.com',
      EMAIL_SUBJECT: 'Your sign-in link',
      EMAIL_TEXT_BODY: 'Sign in by opening this link: {link}\n\n'
        + 'It expires in {minutes} minutes and works once. If you did not ask to sign in, ignore this email.',
      LOG_LEVEL: 'info',
      AWS_NODEJS_CONNECTION_REUSE_ENABLED: '1',
    });
  });

  test('carries the optional settings when set', () => {
    // Given / When
    const template = synth({
      linkLifetime: Duration.minutes(15),
      maxRequestsPerIpPerMinute: 3,
      allowedOrigins: ['https://www.example.com', 'https://admin.example.com'],
      logLevel: 'debug',
      email: {
        fromAddress: 'Example <links@example.com>',
        subject: 'Sign in',
        textBody: 'Open {link} within {minutes} minutes.',
        htmlBody: '<a href="{link}">Sign in</a>',
        configurationSetName: 'links',
      },
    });

    // Then
    expect(magicLinkFunction(template).properties.Environment.Variables).toMatchObject({
      LINK_TTL_SECONDS: '900',
      MAX_REQUESTS_PER_IP_PER_MINUTE: '3',
      ALLOWED_ORIGINS: 'https://www.example.com,https://admin.example.com',
      LOG_LEVEL: 'debug',
      EMAIL_FROM: 'Example <links@example.com>',
      EMAIL_SUBJECT: 'Sign in',
      EMAIL_TEXT_BODY: 'Open {link} within {minutes} minutes.',
      EMAIL_HTML_BODY: '<a href="{link}">Sign in</a>',
      EMAIL_CONFIGURATION_SET: 'links',
    });
  });

  test('takes the send and failure limits and the log level of the triggers', () => {
    // Given
    const f = fixture({
      otp: { sendCooldown: Duration.seconds(90), maxSendsPerHour: 3, maxFailuresPerIdentifier: 7, failureWindow: Duration.minutes(30) },
      logLevel: 'warn',
    });

    // When
    magicLinkApi(f);

    // Then
    const template = Template.fromStack(f.stack);
    expect(magicLinkFunction(template).properties.Environment.Variables).toMatchObject({
      SEND_COOLDOWN_SECONDS: '90',
      MAX_SENDS_PER_HOUR: '3',
      MAX_FAILURES: '7',
      FAILURE_WINDOW_SECONDS: '1800',
      LOG_LEVEL: 'warn',
    });
  });

  test('is exposed as function', () => {
    // Given
    const f = fixture();

    // When
    const api = magicLinkApi(f);

    // Then
    expect(f.stack.resolve(api.function.functionArn)).toEqual(getAtt(magicLinkFunction(Template.fromStack(f.stack)).id));
  });
});

describe('MagicLinkApi permissions', () => {
  test('the function may call exactly what the contract lists, on exactly those resources', () => {
    // Given / When
    const template = synth();

    // Then
    const fn = magicLinkFunction(template);
    expect(policyStatementsOfFunction(template, fn)).toEqual([
      { Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Effect: 'Allow', Resource: getAtt(fn.properties.LoggingConfig.LogGroup.Ref) },
      { Action: 'cognito-idp:AdminGetUser', Effect: 'Allow', Resource: getAtt(logicalIdOf(template, 'AWS::Cognito::UserPool')) },
      {
        Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
        Effect: 'Allow',
        Resource: [getAtt(logicalIdOf(template, 'AWS::DynamoDB::Table')), { Ref: 'AWS::NoValue' }],
      },
      { Action: 'kms:Sign', Effect: 'Allow', Resource: getAtt(logicalIdOf(template, 'AWS::KMS::Key')) },
      { Action: 'ses:SendEmail', Effect: 'Allow', Resource: sesArn('identity/example.com') },
    ]);
  });

  test('no statement of the function has a wildcard resource or action', () => {
    // Given / When
    const template = synth({ email: { ...EMAIL, configurationSetName: 'links' } });

    // Then
    for (const statement of policyStatementsOfFunction(template, magicLinkFunction(template))) {
      expect(JSON.stringify(statement.Resource)).not.toMatch(/"\*"|:\*"/);
      expect(JSON.stringify(statement.Action)).not.toContain('*');
    }
  });

  test('ses:SendEmail covers the configuration set when one is set', () => {
    // Given / When
    const template = synth({ email: { ...EMAIL, sesIdentity: 'links@example.com', configurationSetName: 'links' } });

    // Then
    const ses = policyStatementsOfFunction(template, magicLinkFunction(template)).find((s) => s.Action === 'ses:SendEmail');
    expect(JSON.stringify(ses.Resource)).toMatch(/:identity\/links@example.com".*:configuration-set\/links"/);
  });

  test('the verify trigger gains kms:GetPublicKey on the signing key and nothing else', () => {
    // Given
    const withoutLinks = fixture();
    const withLinks = fixture();

    // When
    magicLinkApi(withLinks);

    // Then
    const before = Template.fromStack(withoutLinks.stack);
    const after = Template.fromStack(withLinks.stack);
    const verifyBefore = policyStatementsOfFunction(before, triggerFunction(before, 'VerifyAuthChallengeResponse'));
    const verifyAfter = policyStatementsOfFunction(after, triggerFunction(after, 'VerifyAuthChallengeResponse'));
    expect(verifyAfter).toEqual([
      ...verifyBefore,
      { Action: 'kms:GetPublicKey', Effect: 'Allow', Resource: getAtt(logicalIdOf(after, 'AWS::KMS::Key')) },
    ]);
  });

  test.each(['DefineAuthChallenge', 'CreateAuthChallenge'])('the %s trigger gains no permission', (trigger) => {
    // Given
    const withoutLinks = fixture();
    const withLinks = fixture();

    // When
    magicLinkApi(withLinks);

    // Then
    const before = Template.fromStack(withoutLinks.stack);
    const after = Template.fromStack(withLinks.stack);
    expect(policyStatementsOfFunction(after, triggerFunction(after, trigger)))
      .toEqual(policyStatementsOfFunction(before, triggerFunction(before, trigger)));
  });
});

describe('MagicLinkApi triggers', () => {
  test('adds magic-link to METHODS of the create and verify triggers', () => {
    // Given / When
    const template = synth();

    // Then
    expect(triggerFunction(template, 'CreateAuthChallenge').properties.Environment.Variables.METHODS).toBe('email-otp,magic-link');
    expect(triggerFunction(template, 'VerifyAuthChallengeResponse').properties.Environment.Variables.METHODS).toBe('email-otp,magic-link');
  });

  test('tells the verify trigger the signing key and the define trigger nothing new', () => {
    // Given
    const withoutLinks = fixture();
    const withLinks = fixture();

    // When
    magicLinkApi(withLinks);

    // Then
    const before = Template.fromStack(withoutLinks.stack);
    const after = Template.fromStack(withLinks.stack);
    expect(triggerFunction(after, 'VerifyAuthChallengeResponse').properties.Environment.Variables.MAGIC_LINK_KEY_ID)
      .toEqual(getAtt(logicalIdOf(after, 'AWS::KMS::Key')));
    expect(triggerFunction(after, 'DefineAuthChallenge').properties.Environment)
      .toEqual(triggerFunction(before, 'DefineAuthChallenge').properties.Environment);
  });

  test('the triggers expose magic-link among their methods and the signing key', () => {
    // Given
    const f = fixture({ sms: { allowedCountryCallingCodes: ['1'] } });

    // When
    const api = magicLinkApi(f);

    // Then
    expect(f.triggers.methods).toEqual(['email-otp', 'sms-otp', 'magic-link']);
    expect(f.triggers.magicLinkSigningKey).toBe(api.signingKey);
  });

  test('enableMagicLinks a second time is an error', () => {
    // Given
    const f = fixture();
    magicLinkApi(f);

    // When / Then
    expect(() => f.triggers.enableMagicLinks(new kms.Key(f.stack, 'Other', {
      keySpec: kms.KeySpec.ECC_NIST_P256,
      keyUsage: kms.KeyUsage.SIGN_VERIFY,
    }))).toThrow(/Magic links are already enabled on TestStack\/Triggers/);
  });

  test('a second MagicLinkApi on the same triggers is an error', () => {
    // Given
    const f = fixture();
    magicLinkApi(f);

    // When / Then
    expect(() => new MagicLinkApi(f.stack, 'Second', { userPool: f.userPool, triggers: f.triggers, redirectUrls: REDIRECT_URLS, email: EMAIL }))
      .toThrow(/Magic links are already enabled/);
  });
});

describe('MagicLinkApi signing key', () => {
  test('creates an ECC_NIST_P256 SIGN_VERIFY key, deleted with a 7-day window when it leaves the stack', () => {
    // Given / When
    const template = synth();

    // Then
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.hasResource('AWS::KMS::Key', {
      Properties: Match.objectLike({
        KeySpec: 'ECC_NIST_P256',
        KeyUsage: 'SIGN_VERIFY',
        PendingWindowInDays: 7,
        EnableKeyRotation: Match.absent(),
        Description: Match.stringLikeRegexp('magic links'),
      }),
      DeletionPolicy: 'Delete',
    });
    template.resourceCountIs('AWS::KMS::Alias', 0);
  });

  test('uses the given key and creates none', () => {
    // Given
    const f = fixture();
    const key = kms.Key.fromKeyArn(f.stack, 'Imported', 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab');

    // When
    const api = magicLinkApi(f, { signingKey: key });

    // Then
    const template = Template.fromStack(f.stack);
    template.resourceCountIs('AWS::KMS::Key', 0);
    expect(api.signingKey).toBe(key);
    expect(magicLinkFunction(template).properties.Environment.Variables.KEY_ID).toBe(key.keyArn);
  });

  test('rejects a key of the app that cannot sign with ECDSA P-256', () => {
    // Given
    const f = fixture();
    const key = new kms.Key(f.stack, 'Symmetric', { enableKeyRotation: true });

    // When / Then
    expect(() => magicLinkApi(f, { signingKey: key }))
      .toThrow('signingKey must have key spec ECC_NIST_P256 and key usage SIGN_VERIFY (received: SYMMETRIC_DEFAULT, ENCRYPT_DECRYPT)');
  });
});

describe('MagicLinkApi WAF', () => {
  test('creates no web ACL without wafRateLimit', () => {
    // Given
    const f = fixture();

    // When
    const api = magicLinkApi(f);

    // Then
    const template = Template.fromStack(f.stack);
    template.resourceCountIs('AWS::WAFv2::WebACL', 0);
    template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 0);
    expect(api.webAclArn).toBeUndefined();
  });

  test('with wafRateLimit, a regional web ACL blocks a source IP above the limit per 5 minutes', () => {
    // Given / When
    const template = synth({ wafRateLimit: 300 });

    // Then
    template.hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'REGIONAL',
      DefaultAction: { Allow: {} },
      Rules: [Match.objectLike({
        Action: { Block: Match.objectLike({ CustomResponse: Match.objectLike({ ResponseCode: 429 }) }) },
        Statement: { RateBasedStatement: { Limit: 300, AggregateKeyType: 'IP', EvaluationWindowSec: 300 } },
      })],
    });
  });

  test('with wafRateLimit, the web ACL is associated with the stage and exposed', () => {
    // Given
    const f = fixture();

    // When
    const api = magicLinkApi(f, { wafRateLimit: 300 });

    // Then
    const template = Template.fromStack(f.stack);
    const webAclId = logicalIdOf(template, 'AWS::WAFv2::WebACL');
    const association = Object.values(template.findResources('AWS::WAFv2::WebACLAssociation'))[0] as any;
    expect(association.Properties.WebACLArn).toEqual(getAtt(webAclId));
    expect(JSON.stringify(association.Properties.ResourceArn))
      .toMatch(new RegExp(`/restapis/".*${logicalIdOf(template, 'AWS::ApiGateway::RestApi')}.*/stages/".*${logicalIdOf(template, 'AWS::ApiGateway::Stage')}`));
    expect(f.stack.resolve(api.webAclArn)).toEqual(getAtt(webAclId));
  });
});

describe('MagicLinkApi validation', () => {
  test.each([
    ['http on a public host', 'http://app.example.com/cb', /redirectUrls\[0\] must be an https URL, or an http URL on 127.0.0.1, \[::1\] or localhost \(received: 'http:\/\/app.example.com\/cb'\)/],
    ['another scheme', 'myapp://callback', /redirectUrls\[0\] must be an https URL/],
    ['a query string', 'https://app.example.com/cb?next=/', /redirectUrls\[0\] must not have a query string: a request names the page exactly \(received: 'https:\/\/app.example.com\/cb\?next=\/'\)/],
    ['an empty query string', 'https://app.example.com/cb?', /redirectUrls\[0\] must not have a query string/],
    ['a fragment', 'https://app.example.com/cb#x', /redirectUrls\[0\] must not have a fragment: the link carries its token there \(received: 'https:\/\/app.example.com\/cb#x'\)/],
    ['credentials', 'https://user:pw@app.example.com/cb', /redirectUrls\[0\] must not contain a user name or password/],
    ['a relative URL', '/sign-in', /redirectUrls\[0\] must be an absolute URL/],
    ['a comma', 'https://app.example.com/a,b', /redirectUrls\[0\] must not contain whitespace, commas or backslashes/],
    ['more than 2048 characters', `https://app.example.com/${'a'.repeat(2030)}`, /redirectUrls\[0\] must be at most 2048 characters/],
  ])('rejects a redirect URL with %s', (_name, url, message) => {
    expect(construct({ redirectUrls: [url] })).toThrow(message);
  });

  test('names the position of the bad redirect URL', () => {
    expect(construct({ redirectUrls: ['https://app.example.com/cb', 'http://evil.example/'] })).toThrow(/redirectUrls\[1\]/);
  });

  test('rejects an empty redirectUrls', () => {
    expect(construct({ redirectUrls: [] })).toThrow(/redirectUrls must list at least one URL.*\(received: \[\]\)/);
  });

  test.each([
    'https://app.example.com/',
    'http://127.0.0.1/demo/',
    'http://127.0.0.1:8080/demo/',
    'http://[::1]/cb',
    'http://localhost:3000/cb',
  ])('accepts the redirect URL %s', (url) => {
    expect(construct({ redirectUrls: [url] })).not.toThrow();
  });

  test.each([
    ['a path', 'https://app.example.com/app', /allowedOrigins\[0\] must be an origin/],
    ['a trailing slash', 'https://app.example.com/', /allowedOrigins\[0\] must be an origin/],
    ['http on a public host', 'http://app.example.com', /allowedOrigins\[0\] must be an https origin/],
    ['a wildcard', '*', /allowedOrigins\[0\] must be an absolute URL/],
  ])('rejects an allowed origin with %s', (_name, origin, message) => {
    expect(construct({ allowedOrigins: [origin] })).toThrow(message);
  });

  test('rejects an empty allowedOrigins', () => {
    expect(construct({ allowedOrigins: [] })).toThrow(/allowedOrigins must list at least one origin/);
  });

  test.each([
    ['59 seconds', Duration.seconds(59)],
    ['1 hour 1 minute', Duration.minutes(61)],
  ])('rejects a linkLifetime of %s', (received, linkLifetime) => {
    expect(construct({ linkLifetime })).toThrow(`linkLifetime must be between 1 and 60 minutes (received: ${received})`);
  });

  test.each([1, 60])('accepts a linkLifetime of %d minutes', (minutes) => {
    expect(construct({ linkLifetime: Duration.minutes(minutes) })).not.toThrow();
  });

  test('rejects an email.textBody without {link}', () => {
    expect(construct({ email: { ...EMAIL, textBody: 'Your code is {code}' } }))
      .toThrow("email.textBody must contain the placeholder {link} (received: 'Your code is {code}')");
  });

  test('rejects an email.htmlBody without {link}', () => {
    expect(construct({ email: { ...EMAIL, htmlBody: '<p>Sign in</p>' } })).toThrow(/email.htmlBody must contain the placeholder \{link\}/);
  });

  test('rejects a malformed email.fromAddress', () => {
    expect(construct({ email: { fromAddress: 'not an address' } })).toThrow(/email.fromAddress must be an email address/);
  });

  test.each([0, 1001, 2.5])('rejects a maxRequestsPerIpPerMinute of %d', (value) => {
    expect(construct({ maxRequestsPerIpPerMinute: value })).toThrow(/maxRequestsPerIpPerMinute must be (an integer )?between 1 and 1000/);
  });

  test.each([9, 2_000_000_001])('rejects a wafRateLimit of %d', (value) => {
    expect(construct({ wafRateLimit: value })).toThrow(`wafRateLimit must be between 10 and 2000000000 (received: ${value})`);
  });

  test.each([
    [{ rateLimit: 0 }, /throttling.rateLimit must be between 1 and 10000/],
    [{ burstLimit: 5001 }, /throttling.burstLimit must be between 1 and 5000/],
  ])('rejects throttling %j', (throttling, message) => {
    expect(construct({ throttling })).toThrow(message);
  });

  test('rejects a function timeout above API Gateway\'s 29 seconds', () => {
    expect(construct({ functionOptions: { timeout: Duration.seconds(30) } }))
      .toThrow('functionOptions.timeout must be between 1 and 29 seconds (received: 30 seconds)');
  });

  test('rejects an unknown logLevel', () => {
    expect(construct({ logLevel: 'verbose' })).toThrow(/logLevel must be one of 'debug', 'info', 'warn', 'error' \(received: 'verbose'\)/);
  });

  test('skips unresolved tokens and derives the origin from a literal scheme prefix', () => {
    // Given
    const f = fixture();
    const host = Token.asString({ Ref: 'Host' });

    // When
    magicLinkApi(f, { redirectUrls: [`https://${host}/sign-in`] });

    // Then
    const variables = magicLinkFunction(Template.fromStack(f.stack)).properties.Environment.Variables;
    expect(variables.REDIRECT_URIS).toEqual({ 'Fn::Join': ['', ['https://', { Ref: 'Host' }, '/sign-in']] });
    expect(variables.ALLOWED_ORIGINS).toEqual({ 'Fn::Join': ['', ['https://', { Ref: 'Host' }]] });
  });

  test('needs allowedOrigins when a redirect URL token has no literal scheme', () => {
    expect(construct({ redirectUrls: [Token.asString({ Ref: 'Url' })] }))
      .toThrow(/allowedOrigins must be set when redirectUrls\[0\] is a token/);
  });
});

describe('MagicLinkApi autoSignUp on POST /magic-link', () => {
  const autoSignUp = (f: Fixture, overrides: Overrides = {}) => magicLinkApi(f, { autoSignUp: true, ...overrides });

  test('tells the function to create unknown users, and nothing about usernames: Cognito generates them', () => {
    // Given
    const without = synth();
    const f = fixture();

    // When
    autoSignUp(f);

    // Then
    const template = Template.fromStack(f.stack);
    expect(magicLinkFunction(template).properties.Environment.Variables).toEqual({
      ...magicLinkFunction(without).properties.Environment.Variables,
      AUTO_SIGN_UP: 'true',
    });
  });

  test('with usernameAttributes: true, as by default, the function gets the same environment and no GENERATE_USERNAMES', () => {
    // Given
    const byDefault = fixture();
    const explicit = fixture();

    // When
    autoSignUp(byDefault);
    autoSignUp(explicit, { usernameAttributes: true });

    // Then
    const variables = magicLinkFunction(Template.fromStack(explicit.stack)).properties.Environment.Variables;
    expect(variables).toEqual(magicLinkFunction(Template.fromStack(byDefault.stack)).properties.Environment.Variables);
    expect(variables).not.toHaveProperty('GENERATE_USERNAMES');
  });

  test('lets the function also create users and set their unusable password, and nothing more', () => {
    // Given
    const without = synth();
    const f = fixture();

    // When
    autoSignUp(f);

    // Then
    const template = Template.fromStack(f.stack);
    const expected = policyStatementsOfFunction(without, magicLinkFunction(without)).map((statement) => statement.Action === 'cognito-idp:AdminGetUser'
      ? { ...statement, Action: ['cognito-idp:AdminGetUser', 'cognito-idp:AdminCreateUser', 'cognito-idp:AdminSetUserPassword'] }
      : statement);
    expect(policyStatementsOfFunction(template, magicLinkFunction(template))).toEqual(expected);
  });

  test('enables auto sign-up on the triggers: the verify function may mark the new user\'s address verified', () => {
    // Given
    const f = fixture();

    // When
    autoSignUp(f);

    // Then
    const template = Template.fromStack(f.stack);
    const verify = triggerFunction(template, 'VerifyAuthChallengeResponse');
    expect(verify.properties.Environment.Variables.AUTO_SIGN_UP).toBe('true');
    expect(policyStatementsOfFunction(template, verify)).toContainEqual({
      Action: 'cognito-idp:AdminUpdateUserAttributes',
      Effect: 'Allow',
      Resource: getAtt(logicalIdOf(template, 'AWS::Cognito::UserPool')),
    });
  });

  test('without autoSignUp, the verify function is not told about auto sign-up', () => {
    // Given / When
    const template = synth();

    // Then
    expect(triggerFunction(template, 'VerifyAuthChallengeResponse').properties.Environment.Variables.AUTO_SIGN_UP).toBeUndefined();
  });
});

describe('MagicLinkApi autoSignUp validation', () => {
  test('autoSignUp with usernameAttributes: false (a pool with sign-in aliases) is an error naming both props and why', () => {
    expect(construct({ autoSignUp: true, usernameAttributes: false })).toThrow(
      'autoSignUp requires usernameAttributes: true (a user pool whose users sign in with email or phone number as username attributes), '
      + 'received usernameAttributes: false. With sign-in aliases, Cognito resolves an email address or phone number only once it is verified, '
      + 'so a user created unverified by auto sign-up could not be found by its identifier (AdminGetUser by alias fails, so every request would create another user) '
      + 'and could not start a sign-in with it (InitiateAuth and magic-link redemption by email fail). '
      + 'Use signInAliases: { email: true } and/or { phone: true } without username or preferredUsername, or turn autoSignUp off');
  });

  test('the usernameAttributes error comes before the userPoolClient one', () => {
    expect(construct({ autoSignUp: true, usernameAttributes: false, userPoolClient: undefined }))
      .toThrow(/^autoSignUp requires usernameAttributes: true/);
  });

  test('usernameAttributes: false without autoSignUp is accepted: only auto sign-up creates users', () => {
    expect(construct({ usernameAttributes: false })).not.toThrow();
    expect(construct({ autoSignUp: false, usernameAttributes: false, attributeUpdates: true })).not.toThrow();
  });

  test('autoSignUp without userPoolClient is an error naming the prop', () => {
    expect(construct({ autoSignUp: true, userPoolClient: undefined }))
      .toThrow(/^userPoolClient must be set when autoSignUp is true: POST \/sign-in starts sign-ins with that app client/);
  });

  test('autoSignUp with a client that has a secret is an error', () => {
    // Given
    const f = fixture({}, { authFlows: { custom: true }, generateSecret: true });

    // When / Then
    expect(() => magicLinkApi(f, { autoSignUp: true }))
      .toThrow(/userPoolClient must not have a client secret when autoSignUp is true.*\(received: TestStack\/Pool\/Client with generateSecret: true\)/);
  });

  test('autoSignUp with a client without the custom auth flow is an error', () => {
    // Given
    const f = fixture({}, { authFlows: { userSrp: true } });

    // When / Then
    expect(() => magicLinkApi(f, { autoSignUp: true }))
      .toThrow(/userPoolClient must allow the custom auth flow \(authFlows: \{ custom: true \}\) when autoSignUp is true \(received: TestStack\/Pool\/Client with \["ALLOW_USER_SRP_AUTH","ALLOW_REFRESH_TOKEN_AUTH"\]\)/);
  });

  test('autoSignUp accepts an imported client as it is', () => {
    // Given
    const f = fixture();
    const userPoolClient = cognito.UserPoolClient.fromUserPoolClientId(f.stack, 'Imported', 'abc123');

    // When / Then
    expect(() => magicLinkApi(f, { autoSignUp: true, userPoolClient })).not.toThrow();
  });

  test('attributeUpdates alone needs no userPoolClient', () => {
    expect(construct({ attributeUpdates: true })).not.toThrow();
  });
});
