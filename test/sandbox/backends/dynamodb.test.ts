import { DescribeTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { LOCAL_CLIENT, portIsFree, withEnv } from './local-aws';
import { startDynamoDb, type LocalDynamoDb } from '../../../sandbox/backends/dynamodb';
import type { TableModel } from '../../../sandbox/model';

const TABLE: TableModel = {
  id: 'Stack/StateTable',
  name: 'sandbox-state',
  arn: 'arn:aws:dynamodb:us-east-1:123456789012:table/sandbox-state',
  keySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
  attributeDefinitions: [
    { AttributeName: 'pk', AttributeType: 'S' },
    { AttributeName: 'sk', AttributeType: 'S' },
    { AttributeName: 'byEmail', AttributeType: 'S' },
  ],
  ttlAttribute: 'ttl',
};

let dynamodb: LocalDynamoDb;
let client: DynamoDBClient;

beforeEach(async () => {
  dynamodb = await startDynamoDb([TABLE]);
  client = new DynamoDBClient({ ...LOCAL_CLIENT, endpoint: dynamodb.endpoint, maxAttempts: 1 });
});

afterEach(async () => {
  client.destroy();
  await dynamodb.stop();
});

const item = { pk: { S: 'user#alice' }, sk: { S: 'state' }, attempts: { N: '0' } };

test('the tables of the model are ACTIVE with their key schema', async () => {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: TABLE.name }));
  expect(Table?.TableStatus).toBe('ACTIVE');
  expect(Table?.KeySchema).toEqual(TABLE.keySchema);
  expect(Table?.AttributeDefinitions?.map((d) => d.AttributeName).sort()).toEqual(['pk', 'sk']);
});

test('an item put is read back, and a failed condition is a ConditionalCheckFailedException', async () => {
  await client.send(new PutItemCommand({ TableName: TABLE.name, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }));
  const { Item } = await client.send(new GetItemCommand({ TableName: TABLE.name, Key: { pk: item.pk, sk: item.sk }, ConsistentRead: true }));
  expect(Item).toEqual(item);
  await expect(client.send(new PutItemCommand({ TableName: TABLE.name, Item: item, ConditionExpression: 'attribute_not_exists(pk)' })))
    .rejects.toMatchObject({ name: 'ConditionalCheckFailedException' });
});

test('calls are counted by operation, without the table setup', async () => {
  await client.send(new PutItemCommand({ TableName: TABLE.name, Item: item }));
  await client.send(new GetItemCommand({ TableName: TABLE.name, Key: { pk: item.pk, sk: item.sk } }));
  await client.send(new GetItemCommand({ TableName: TABLE.name, Key: { pk: item.pk, sk: item.sk } }));
  expect(dynamodb.calls()).toEqual({ PutItem: 1, GetItem: 2 });
});

test('an injected error reaches the SDK under its code, once', async () => {
  dynamodb.failNext('PutItem', { code: 'AccessDeniedException', message: 'not allowed here' });
  await expect(client.send(new PutItemCommand({ TableName: TABLE.name, Item: item })))
    .rejects.toMatchObject({ name: 'AccessDeniedException', message: 'not allowed here', $metadata: { httpStatusCode: 400 } });
  await expect(client.send(new PutItemCommand({ TableName: TABLE.name, Item: item }))).resolves.toBeDefined();
  expect(dynamodb.calls()).toEqual({ PutItem: 2 });
});

test('a throttled call is retried by the SDK, each attempt counted', async () => {
  const retrying = new DynamoDBClient({ ...LOCAL_CLIENT, endpoint: dynamodb.endpoint, maxAttempts: 2 });
  dynamodb.failNext('GetItem', { code: 'ThrottlingException', message: 'slow down' });
  try {
    await expect(retrying.send(new GetItemCommand({ TableName: TABLE.name, Key: { pk: item.pk, sk: item.sk } }))).resolves.toBeDefined();
  } finally {
    retrying.destroy();
  }
  expect(dynamodb.calls()).toEqual({ GetItem: 2 });
});

test('items() reads every item past the gate: not counted, and not failed by an injected error', async () => {
  const other = { ...item, sk: { S: 'other' } };
  await client.send(new PutItemCommand({ TableName: TABLE.name, Item: item }));
  await client.send(new PutItemCommand({ TableName: TABLE.name, Item: other }));
  dynamodb.failNext('Scan', { code: 'InternalServerError', message: 'down', status: 500 });

  const items = await dynamodb.items(TABLE.name);

  expect(items.map((found) => found.sk.S).sort()).toEqual(['other', 'state']);
  expect(dynamodb.calls()).toEqual({ PutItem: 2 });
  await expect(client.send(new ScanCommand({ TableName: TABLE.name }))).rejects.toMatchObject({ name: 'InternalServerError' });
});

test('a client finds the table through AWS_ENDPOINT_URL_DYNAMODB', async () => {
  await withEnv('AWS_ENDPOINT_URL_DYNAMODB', dynamodb.endpoint, async () => {
    const fromEnv = new DynamoDBClient(LOCAL_CLIENT);
    try {
      const { Table } = await fromEnv.send(new DescribeTableCommand({ TableName: TABLE.name }));
      expect(Table?.TableName).toBe(TABLE.name);
    } finally {
      fromEnv.destroy();
    }
  });
  expect(dynamodb.calls()).toEqual({ DescribeTable: 1 });
});

test('a table DynamoDB refuses fails the start', async () => {
  const noKey: TableModel = { ...TABLE, name: 'no-key', keySchema: [], attributeDefinitions: [] };
  await expect(startDynamoDb([noKey])).rejects.toMatchObject({ name: 'ValidationException' });
});

test('after stop the port is free', async () => {
  const other = await startDynamoDb([]);
  await other.stop();
  expect(await portIsFree(other.endpoint)).toBe(true);
});
