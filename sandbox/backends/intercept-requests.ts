import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';

/** Decides about one request: answers it itself, or calls `serve` to let the server handle it. */
export type RequestFilter = (req: IncomingMessage, res: ServerResponse, serve: () => void) => void;

/** Puts `filter` in front of the request handling of a server we did not write (dynalite, aws-ses-v2-local). */
export function interceptRequests(server: Server, filter: RequestFilter): void {
  const handlers = server.listeners('request') as RequestListener[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) =>
    filter(req, res, () => handlers.forEach((handle) => handle.call(server, req, res))));
}
