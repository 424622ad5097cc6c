import { createServer } from 'node:http';
import { closeServer, listenLocal } from '../../../sandbox/net/listen';

/** Client settings for the local backends: a fixed region and dummy credentials, never real ones. */
export const LOCAL_CLIENT = {
  region: 'us-east-1',
  credentials: { accessKeyId: 'sandbox-test', secretAccessKey: 'sandbox-test' },
};

/** True when the endpoint's port can be bound again, i.e. the backend let it go. */
export async function portIsFree(endpoint: string): Promise<boolean> {
  const server = createServer();
  try {
    await listenLocal(server, Number(new URL(endpoint).port));
    return true;
  } catch {
    return false;
  } finally {
    await closeServer(server);
  }
}

/** Runs `body` with one environment variable set, restoring it afterwards. */
export async function withEnv<T>(name: string, value: string, body: () => Promise<T>): Promise<T> {
  const before = process.env[name];
  process.env[name] = value;
  try {
    return await body();
  } finally {
    if (before === undefined) delete process.env[name];
    else process.env[name] = before;
  }
}
