import { localClientId, localKeyId, localUserPoolId, partitionOf } from '../../sandbox/assembly/local-ids';

test('a user pool ID looks like Cognito\'s and is the same on every run', () => {
  // When
  const id = localUserPoolId('eu-west-1', 'Stack', 'Pool');

  // Then
  expect(id).toMatch(/^eu-west-1_[A-Za-z0-9]{9}$/);
  expect(localUserPoolId('eu-west-1', 'Stack', 'Pool')).toBe(id);
  expect(localUserPoolId('eu-west-1', 'Stack', 'OtherPool')).not.toBe(id);
});

test('a client ID is 26 lowercase alphanumerics, the same on every run', () => {
  // When
  const id = localClientId('Stack', 'Client');

  // Then
  expect(id).toMatch(/^[a-z0-9]{26}$/);
  expect(localClientId('Stack', 'Client')).toBe(id);
  expect(localClientId('OtherStack', 'Client')).not.toBe(id);
});

test('a key ID is a UUID, the same on every run', () => {
  // When
  const id = localKeyId('Stack', 'Key');

  // Then
  expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  expect(localKeyId('Stack', 'Key')).toBe(id);
});

test('the partition follows the region', () => {
  expect([partitionOf('us-east-1'), partitionOf('cn-north-1'), partitionOf('us-gov-west-1')]).toEqual(['aws', 'aws-cn', 'aws-us-gov']);
});
