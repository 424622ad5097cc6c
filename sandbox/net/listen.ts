import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The only address the sandbox binds: nothing is reachable from another machine. */
export const LOOPBACK = '127.0.0.1';

/** Listens on 127.0.0.1 at `port` (0: a free port chosen by the OS) and resolves to the bound port. */
export function listenLocal(server: Server, port = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, LOOPBACK, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Closes the server, dropping idle keep-alive connections so that it stops at once. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!server.listening) return resolve();
    server.close((err) => (err ? reject(err) : resolve()));
    server.closeAllConnections();
  });
}

/** `http://127.0.0.1:<port>`. */
export function localUrl(port: number): string {
  return `http://${LOOPBACK}:${port}`;
}
