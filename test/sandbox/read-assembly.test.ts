import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, Duration, Fn, Stack, Stage } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import { DEFAULT_REGION, SANDBOX_ACCOUNT } from '../../sandbox/assembly/local-ids';
import { readAssembly } from '../../sandbox/assembly/read-assembly';
import type { AppModel, PoolModel } from '../../sandbox/model';
import { PasswordlessUserPool } from '../../src';
import { assetFunction, removeTempDirs, synthesizeStack, tempDir } from './support/temp-assembly';

afterAll(removeTempDirs);

function synthesizeExample(): string {
  return synthesizeStack((stack) => {
    new PasswordlessUserPool(stack, 'Auth', {
      email: { fromAddress: 'no-reply@example.com' },
      sms: { allowedCountryCallingCodes: ['1', '44'] },
    });
  }, 'PasswordlessExample', 'us-east-1');
}

describe('the example app (a PasswordlessUserPool)', () => {
  let app: AppModel;
  let pool: PoolModel;
  beforeAll(() => {
    app = readAssembly(synthesizeExample());
    pool = app.userPools[0];
  });

  test('has one pool in the sandbox account, configured like the template', () => {
    expect(app).toMatchObject({ region: 'us-east-1', account: SANDBOX_ACCOUNT, apis: [], keys: [] });
    expect(app.userPools).toHaveLength(1);
    expect(pool.userPoolId).toMatch(/^us-east-1_[A-Za-z0-9]{9}$/);
    expect(pool.arn).toBe(`arn:aws:cognito-idp:us-east-1:000000000000:userpool/${pool.userPoolId}`);
    expect(pool).toMatchObject({
      usernameAttributes: ['email', 'phone_number'],
      autoVerifiedAttributes: ['email', 'phone_number'],
      caseSensitiveUsernames: false,
      attributesRequireVerificationBeforeUpdate: ['email', 'phone_number'],
      allowAdminCreateUserOnly: true,
      customAttributes: [],
      usesOurTriggers: true,
    });
  });

  test('has the three challenge triggers, each runnable from its asset directory', () => {
    expect(Object.keys(pool.triggers).sort()).toEqual(['CreateAuthChallenge', 'DefineAuthChallenge', 'VerifyAuthChallengeResponse']);
    for (const fn of Object.values(pool.triggers)) {
      expect(path.isAbsolute(fn.codeDir)).toBe(true);
      expect(fs.existsSync(path.join(fn.codeDir, 'index.js'))).toBe(true);
      expect(fn).toMatchObject({ handler: 'index.handler', runtime: 'nodejs22.x', timeoutSeconds: 5, memoryMb: 256 });
      expect(fn.arn).toBe(`arn:aws:lambda:us-east-1:000000000000:function:${fn.name}`);
    }
  });

  test('resolves the verify function\'s TABLE_NAME to the table\'s local name', () => {
    expect(app.tables).toHaveLength(1);
    const [table] = app.tables;
    expect(table).toMatchObject({
      keySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      attributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      ttlAttribute: 'ttl',
    });
    expect(pool.triggers.VerifyAuthChallengeResponse!.environment).toMatchObject({ TABLE_NAME: table.name, CODE_LENGTH: '6', EMAIL_FROM: 'no-reply@example.com' });
  });

  test('has the client the construct creates, with its token validities in seconds', () => {
    expect(pool.clients).toHaveLength(1);
    expect(pool.clients[0].clientId).toMatch(/^[a-z0-9]{26}$/);
    expect(pool.clients[0]).toMatchObject({
      explicitAuthFlows: ['ALLOW_CUSTOM_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      preventUserExistenceErrors: true,
      authSessionValiditySeconds: 180,
      accessTokenValiditySeconds: 15 * 60,
      idTokenValiditySeconds: 15 * 60,
      refreshTokenValiditySeconds: 30 * 24 * 3600,
      enableTokenRevocation: true,
      hasSecret: false,
      callbackUrls: [],
    });
    expect(pool.clients[0].readAttributes).toContain('email_verified');
  });

  test('gives the same IDs on every read', () => {
    const again = readAssembly(synthesizeExample());
    expect(again.userPools[0].userPoolId).toBe(pool.userPoolId);
    expect(again.userPools[0].clients[0].clientId).toBe(pool.clients[0].clientId);
  });
});

test('a pool and client that set nothing get Cognito\'s defaults', () => {
  // Given
  const dir = synthesizeStack((stack) => {
    const pool = new cognito.CfnUserPool(stack, 'Pool', {});
    new cognito.CfnUserPoolClient(stack, 'Client', { userPoolId: pool.ref });
    new cognito.CfnUserPoolClient(stack, 'HoursClient', { userPoolId: pool.ref, accessTokenValidity: 2, refreshTokenValidity: 7 });
  });

  // When
  const [pool] = readAssembly(dir).userPools;

  // Then
  expect(pool).toMatchObject({
    caseSensitiveUsernames: true,
    allowAdminCreateUserOnly: false,
    usernameAttributes: [],
    aliasAttributes: [],
    triggers: {},
    usesOurTriggers: false,
  });
  expect(pool.clients.map((client) => client.name)).toEqual(['Client', 'HoursClient']);
  expect(pool.clients[0]).toMatchObject({
    explicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_CUSTOM_AUTH'],
    preventUserExistenceErrors: false,
    authSessionValiditySeconds: 180,
    accessTokenValiditySeconds: 3600,
    idTokenValiditySeconds: 3600,
    refreshTokenValiditySeconds: 30 * 86400,
    enableTokenRevocation: true,
    readAttributes: [],
    hasSecret: false,
  });
  expect(pool.clients[1]).toMatchObject({ accessTokenValiditySeconds: 2 * 3600, refreshTokenValiditySeconds: 7 * 86400 });
});

test('a pool\'s own triggers, custom attributes and clients; other pools\' clients stay with their pool', () => {
  // Given
  const dir = synthesizeStack((stack) => {
    const other = new cognito.UserPool(stack, 'Other');
    const otherClient = other.addClient('OtherClient', { generateSecret: true, oAuth: { callbackUrls: ['https://app.example/callback'] } });
    const preSignUp = assetFunction(stack, 'PreSignUp', 'exports.handler = async (event) => event;', {
      description: 'Pre sign-up',
      timeout: undefined,
      environment: { OTHER_POOL: other.userPoolId, OTHER_CLIENT: otherClient.userPoolClientId, ISSUER: other.userPoolProviderUrl },
    });
    new cognito.UserPool(stack, 'Pool', {
      customAttributes: { tenant: new cognito.StringAttribute({ mutable: true }) },
      lambdaTriggers: { preSignUp },
    });
  });

  // When
  const app = readAssembly(dir);
  const pool = app.userPools.find((candidate) => candidate.triggers.PreSignUp)!;
  const other = app.userPools.find((candidate) => candidate !== pool)!;

  // Then
  expect(pool.customAttributes).toEqual(['custom:tenant']);
  expect(pool.clients).toEqual([]);
  expect(pool.usesOurTriggers).toBe(false);
  const fn = pool.triggers.PreSignUp!;
  expect(fn).toMatchObject({ timeoutSeconds: 3, memoryMb: 128 });
  expect(fn.environment).toEqual({
    OTHER_POOL: other.userPoolId,
    OTHER_CLIENT: other.clients[0].clientId,
    ISSUER: `https://cognito-idp.eu-west-1.amazonaws.com/${other.userPoolId}`,
  });
  expect(other.clients[0]).toMatchObject({ hasSecret: true, callbackUrls: ['https://app.example/callback'] });
});

test('tables keep their TableName; keys get their spec and usage, with KMS defaults', () => {
  // Given
  const dir = synthesizeStack((stack) => {
    new dynamodb.Table(stack, 'Named', { tableName: 'sessions', partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
    new kms.Key(stack, 'Symmetric');
    new kms.Key(stack, 'Mac', { keySpec: kms.KeySpec.HMAC_256, keyUsage: kms.KeyUsage.GENERATE_VERIFY_MAC });
  });

  // When
  const app = readAssembly(dir);

  // Then
  expect(app.tables).toEqual([expect.objectContaining({ name: 'sessions', arn: 'arn:aws:dynamodb:eu-west-1:000000000000:table/sessions' })]);
  expect(app.tables[0].ttlAttribute).toBeUndefined();
  expect(app.keys.map(({ keySpec, keyUsage }) => [keySpec, keyUsage])).toEqual([
    ['SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT'],
    ['HMAC_256', 'GENERATE_VERIFY_MAC'],
  ]);
  for (const key of app.keys) {
    expect(key.keyId).toMatch(/^[0-9a-f-]{36}$/);
    expect(key.arn).toBe(`arn:aws:kms:eu-west-1:000000000000:key/${key.keyId}`);
  }
});

test('a trigger whose environment imports another stack\'s export is an error naming the stack, function and intrinsic', () => {
  // Given
  const dir = synthesizeStack((stack) => {
    const trigger = assetFunction(stack, 'Trigger', 'exports.handler = async (event) => event;', {
      environment: { TABLE_NAME: Fn.importValue('SharedTableName') },
    });
    new cognito.UserPool(stack, 'Pool', { lambdaTriggers: { preSignUp: trigger } });
  });

  // Then
  expect(() => readAssembly(dir)).toThrow(/Stack TestStack, resource Trigger[0-9A-F]{8}: Fn::ImportValue is not supported by the sandbox/);
});

test('a function the sandbox does not run may use what the sandbox cannot resolve', () => {
  // Given
  const dir = synthesizeStack((stack) => {
    assetFunction(stack, 'Unused', 'exports.handler = async () => null;', { environment: { SHARED: Fn.importValue('Shared') } });
    new cognito.UserPool(stack, 'Pool');
  });

  // Then
  expect(readAssembly(dir).userPools).toHaveLength(1);
});

test('stacks of stages are read; an environment-agnostic stack gets the default region', () => {
  // Given
  const outdir = tempDir('sandbox-assembly-');
  const app = new App({ outdir });
  new cognito.UserPool(new Stack(new Stage(app, 'Dev'), 'Auth'), 'Pool', { signInCaseSensitive: false });
  app.synth();

  // When
  const model = readAssembly(outdir);

  // Then
  expect(model.region).toBe(DEFAULT_REGION);
  expect(model.userPools).toHaveLength(1);
  expect(model.userPools[0].id).toMatch(/^Dev-Auth\/Pool/);
  expect(model.userPools[0].userPoolId).toMatch(new RegExp(`^${DEFAULT_REGION}_`));
});

test('a directory without a manifest is not a cloud assembly', () => {
  expect(() => readAssembly(tempDir())).toThrow(/is not a cloud assembly: it has no manifest.json/);
});

test('token validities set in minutes by the L2 client are converted to seconds', () => {
  // Given
  const dir = synthesizeStack((stack) => {
    new cognito.UserPool(stack, 'Pool').addClient('Client', {
      accessTokenValidity: Duration.minutes(10),
      idTokenValidity: Duration.minutes(20),
      refreshTokenValidity: Duration.hours(2),
      authSessionValidity: Duration.minutes(5),
    });
  });

  // Then
  expect(readAssembly(dir).userPools[0].clients[0]).toMatchObject({
    accessTokenValiditySeconds: 600, idTokenValiditySeconds: 1200, refreshTokenValiditySeconds: 7200, authSessionValiditySeconds: 300,
  });
});
