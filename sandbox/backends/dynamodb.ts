import { randomUUID } from 'node:crypto';
import { type AttributeValue, CreateTableCommand, DescribeTableCommand, DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import type { TableModel } from '../model';
import { sendAwsJsonError } from './aws-json';
import type { FaultInjectable, LocalBackend } from './backend';
import { interceptRequests } from './intercept-requests';
import { OperationGate } from './operation-gate';
import { closeServer, listenLocal, localUrl } from '../net/listen';

export interface LocalDynamoDb extends LocalBackend, FaultInjectable {
  /** Every item of a table, read past the gate: neither counted in `calls()` nor failed by `failNext`. */
  items(tableName: string): Promise<Record<string, AttributeValue>[]>;
}

/** Marks the sandbox's own reads (`items`), which the gate lets through uncounted; the value is per backend. */
const INSPECTION_HEADER = 'x-sandbox-inspection';

/**
 * Starts an in-memory DynamoDB (dynalite) on 127.0.0.1 holding the app's tables, all ACTIVE.
 * Dynalite has no Time to Live: expired items stay until deleted, which the handlers tolerate since they check expiry themselves.
 */
export async function startDynamoDb(tables: readonly TableModel[]): Promise<LocalDynamoDb> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const endpoint = localUrl(await listenLocal(server));
  try {
    await createTables(endpoint, tables);
  } catch (error) {
    await closeServer(server);
    throw error;
  }

  // Installed after the tables exist, so that setup calls are not counted as the app's.
  const gate = new OperationGate();
  const inspection = randomUUID();
  interceptRequests(server, (req, res, serve) => {
    const target = req.headers['x-amz-target'];
    if (typeof target !== 'string' || req.headers[INSPECTION_HEADER] === inspection) return serve();
    const fault = gate.enter(target.slice(target.indexOf('.') + 1));
    if (!fault) return serve();
    req.resume();
    sendAwsJsonError(res, '1.0', fault.status ?? 400, fault.code, fault.message);
  });

  return {
    endpoint,
    stop: () => closeServer(server),
    calls: () => gate.calls(),
    failNext: (operation, error, times, after) => gate.failNext(operation, error, times, after),
    items: (tableName) => scanAll(endpoint, tableName, inspection),
  };
}

function localClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'sandbox', secretAccessKey: 'sandbox' } });
}

async function scanAll(endpoint: string, tableName: string, inspection: string): Promise<Record<string, AttributeValue>[]> {
  const client = localClient(endpoint);
  client.middlewareStack.add((next) => async (args) => {
    (args.request as { headers: Record<string, string> }).headers[INSPECTION_HEADER] = inspection;
    return next(args);
  }, { step: 'build', name: 'sandboxInspection' });
  try {
    const items: Record<string, AttributeValue>[] = [];
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await client.send(new ScanCommand({ TableName: tableName, ConsistentRead: true, ExclusiveStartKey: start }));
      items.push(...page.Items ?? []);
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  } finally {
    client.destroy();
  }
}

async function createTables(endpoint: string, tables: readonly TableModel[]): Promise<void> {
  const client = localClient(endpoint);
  try {
    for (const table of tables) {
      const keyNames = new Set(table.keySchema.map((key) => key.AttributeName));
      await client.send(new CreateTableCommand({
        TableName: table.name,
        KeySchema: table.keySchema,
        // Definitions for index keys are dropped: the model has no indexes, and DynamoDB rejects unused definitions.
        AttributeDefinitions: table.attributeDefinitions.filter((definition) => keyNames.has(definition.AttributeName)),
        BillingMode: 'PAY_PER_REQUEST',
      }));
      await waitUntilActive(client, table.name);
    }
  } finally {
    client.destroy();
  }
}

async function waitUntilActive(client: DynamoDBClient, tableName: string): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.TableStatus === 'ACTIVE') return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`Local table ${tableName} did not become ACTIVE`);
}
