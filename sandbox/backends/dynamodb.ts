import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import type { TableModel } from '../model';
import { sendAwsJsonError } from './aws-json';
import type { FaultInjectable, LocalBackend } from './backend';
import { interceptRequests } from './intercept-requests';
import { OperationGate } from './operation-gate';
import { closeServer, listenLocal, localUrl } from '../net/listen';

export interface LocalDynamoDb extends LocalBackend, FaultInjectable {}

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
  interceptRequests(server, (req, res, serve) => {
    const target = req.headers['x-amz-target'];
    if (typeof target !== 'string') return serve();
    const fault = gate.enter(target.slice(target.indexOf('.') + 1));
    if (!fault) return serve();
    req.resume();
    sendAwsJsonError(res, '1.0', fault.status ?? 400, fault.code, fault.message);
  });

  return {
    endpoint,
    stop: () => closeServer(server),
    calls: () => gate.calls(),
    failNext: (operation, error, times) => gate.failNext(operation, error, times),
  };
}

async function createTables(endpoint: string, tables: readonly TableModel[]): Promise<void> {
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'sandbox', secretAccessKey: 'sandbox' },
  });
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
