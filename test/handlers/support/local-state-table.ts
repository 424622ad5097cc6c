import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { LocalDynamoDb, startLocalDynamoDb } from './local-dynamodb';
import { createStateStore, StateStore } from '../../../lambda/core/state-store';

export const TABLE = 'passwordless-state';

/** The state table on dynalite, for the tests of one file. */
export interface LocalStateTable {
  /** The local DynamoDB; there once the file's tests run. */
  readonly db: LocalDynamoDb;
  /** Every operation of the state store, on the table. */
  readonly store: StateStore;
  /** The raw item under `key` (e.g. an identifierKey), read consistently. */
  item(key: string): ReturnType<typeof readItem>;
}

async function readItem(db: LocalDynamoDb, key: string) {
  const out = await db.client.send(new GetItemCommand({ TableName: TABLE, Key: { pk: { S: key } }, ConsistentRead: true }));
  return out.Item;
}

/** Starts a local DynamoDB with the state table before the file's tests, and closes it after them. */
export function localStateTable(): LocalStateTable {
  let db: LocalDynamoDb | undefined;
  beforeAll(async () => {
    db = await startLocalDynamoDb();
    await db.createTable(TABLE);
  });
  afterAll(async () => {
    await db?.close();
  });
  const started = (): LocalDynamoDb => {
    if (!db) throw new Error('the local state table is there once the tests run');
    return db;
  };
  return {
    get db() {
      return started();
    },
    store: createStateStore(TABLE, async () => started().client),
    item: (key) => readItem(started(), key),
  };
}
