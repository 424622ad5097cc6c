import { CfnTemplate } from '../../sandbox/assembly/cloud-assembly';
import { localClientId, localKeyId, localUserPoolId } from '../../sandbox/assembly/local-ids';
import { UnsupportedIntrinsicError } from '../../sandbox/assembly/resolve-intrinsics';
import { StackScope } from '../../sandbox/assembly/stack-scope';

const TEMPLATE: CfnTemplate = {
  Parameters: {
    Stage: { Type: 'String', Default: 'dev' },
    Origins: { Type: 'CommaDelimitedList', Default: 'https://a.example,https://b.example' },
    BootstrapVersion: { Type: 'AWS::SSM::Parameter::Value<String>', Default: '/cdk-bootstrap/hnb659fds/version' },
  },
  Resources: {
    Table: { Type: 'AWS::DynamoDB::Table', Properties: {} },
    NamedTable: { Type: 'AWS::DynamoDB::Table', Properties: { TableName: { 'Fn::Sub': '${AWS::StackName}-state' } } },
    Key: { Type: 'AWS::KMS::Key', Properties: {} },
    Pool: { Type: 'AWS::Cognito::UserPool', Properties: {} },
    Client: { Type: 'AWS::Cognito::UserPoolClient', Properties: { UserPoolId: { Ref: 'Pool' } } },
    Fn: { Type: 'AWS::Lambda::Function', Properties: {} },
    Topic: { Type: 'AWS::SNS::Topic', Properties: {} },
  },
};

const scope = new StackScope({ stackName: 'App', region: 'eu-west-1', template: TEMPLATE }, 'eu-west-1', '000000000000');
const resolve = (value: unknown) => scope.resolve(value, 'Fn');

describe('Ref', () => {
  test('resolves each resource to its local name or ID', () => {
    expect(resolve({ Ref: 'Table' })).toBe('App-Table');
    expect(resolve({ Ref: 'NamedTable' })).toBe('App-state');
    expect(resolve({ Ref: 'Key' })).toBe(localKeyId('App', 'Key'));
    expect(resolve({ Ref: 'Pool' })).toBe(localUserPoolId('eu-west-1', 'App', 'Pool'));
    expect(resolve({ Ref: 'Client' })).toBe(localClientId('App', 'Client'));
    expect(resolve({ Ref: 'Fn' })).toBe('App-Fn');
  });

  test('resolves pseudo parameters to the sandbox\'s region and account', () => {
    expect(resolve(['AWS::Region', 'AWS::AccountId', 'AWS::Partition', 'AWS::URLSuffix', 'AWS::StackName'].map((name) => ({ Ref: name }))))
      .toEqual(['eu-west-1', '000000000000', 'aws', 'amazonaws.com', 'App']);
  });

  test('resolves parameters to their defaults', () => {
    expect(resolve({ Ref: 'Stage' })).toBe('dev');
    expect(resolve({ Ref: 'Origins' })).toEqual(['https://a.example', 'https://b.example']);
  });

  test('AWS::NoValue removes the property', () => {
    expect(resolve({ A: 'a', B: { Ref: 'AWS::NoValue' } })).toEqual({ A: 'a' });
  });
});

test('Fn::GetAtt resolves ARNs in the sandbox account, and the pool\'s provider name and URL', () => {
  // Given
  const poolId = localUserPoolId('eu-west-1', 'App', 'Pool');

  // Then
  expect(resolve({ 'Fn::GetAtt': ['Table', 'Arn'] })).toBe('arn:aws:dynamodb:eu-west-1:000000000000:table/App-Table');
  expect(resolve({ 'Fn::GetAtt': ['Key', 'Arn'] })).toBe(`arn:aws:kms:eu-west-1:000000000000:key/${localKeyId('App', 'Key')}`);
  expect(resolve({ 'Fn::GetAtt': ['Pool', 'Arn'] })).toBe(`arn:aws:cognito-idp:eu-west-1:000000000000:userpool/${poolId}`);
  expect(resolve({ 'Fn::GetAtt': 'Fn.Arn' })).toBe('arn:aws:lambda:eu-west-1:000000000000:function:App-Fn');
  expect(resolve({ 'Fn::GetAtt': ['Pool', 'ProviderName'] })).toBe(`cognito-idp.eu-west-1.amazonaws.com/${poolId}`);
  expect(resolve({ 'Fn::GetAtt': ['Pool', 'ProviderURL'] })).toBe(`https://cognito-idp.eu-west-1.amazonaws.com/${poolId}`);
});

test('Fn::Join, Fn::Select and Fn::Split compose', () => {
  // Given
  const value = {
    'Fn::Join': ['', [
      'arn:', { Ref: 'AWS::Partition' }, ':x:',
      { 'Fn::Select': [1, { 'Fn::Split': [',', 'a,b,c'] }] }, ':',
      { 'Fn::Select': ['0', { Ref: 'Origins' }] },
    ]],
  };

  // Then
  expect(resolve(value)).toBe('arn:aws:x:b:https://a.example');
});

test('Fn::Sub resolves references, attributes, its own variables and escapes', () => {
  // Given
  const value = { 'Fn::Sub': ['${Table}|${Table.Arn}|${AWS::Region}|${Suffix}|${!Literal}', { Suffix: { Ref: 'Stage' } }] };

  // Then
  expect(resolve(value)).toBe('App-Table|arn:aws:dynamodb:eu-west-1:000000000000:table/App-Table|eu-west-1|dev|${Literal}');
  expect(resolve({ 'Fn::Sub': 'https://${AWS::URLSuffix}/${Stage}' })).toBe('https://amazonaws.com/dev');
});

describe('what the sandbox cannot resolve is an error naming the stack, the resource and the function', () => {
  test.each([
    [{ 'Fn::ImportValue': 'SharedTableName' }, /Stack App, resource Fn: Fn::ImportValue is not supported by the sandbox/],
    [{ 'Fn::If': ['IsProd', 'a', 'b'] }, /Stack App, resource Fn: Fn::If is not supported/],
    [{ Ref: 'Topic' }, /Stack App, resource Fn: Ref to AWS::SNS::Topic Topic is not supported/],
    [{ Ref: 'Missing' }, /Ref to Missing \(not a resource of the stack\)/],
    [{ Ref: 'BootstrapVersion' }, /Ref to BootstrapVersion/],
    [{ 'Fn::GetAtt': ['Table', 'StreamArn'] }, /Fn::GetAtt StreamArn of AWS::DynamoDB::Table Table is not supported/],
    [{ 'Fn::Sub': '${Topic.TopicName}' }, /Fn::GetAtt TopicName of AWS::SNS::Topic Topic/],
  ])('%j', (value, message) => {
    expect(() => resolve(value)).toThrow(UnsupportedIntrinsicError);
    expect(() => resolve(value)).toThrow(message);
  });
});
