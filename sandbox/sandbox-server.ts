import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { APIS_PATH, type RestApiGateway } from './apigateway/rest-api-gateway';
import type { OutboxMessage } from './backends/outbox';
import type { CognitoService } from './cognito/cognito-service';
import { CORS_HEADERS, serveCognito } from './cognito/http-endpoint';
import { buildDemoAssets } from './demo/build-demo';

/** What the one HTTP server of the sandbox serves besides the Cognito API. */
export interface SandboxRoutes {
  readonly cognito: CognitoService;
  /**
   * Sees every Cognito API request (the operation named by `X-Amz-Target`) before it is served; a CognitoError it
   * throws is the answer instead.
   */
  readonly onCognitoCall?: (operation: string, request: IncomingMessage) => void;
  /** The app's REST APIs, under `/apis/<restApiId>/<stage>/`. */
  readonly apis?: RestApiGateway;
  /** Every email and SMS sent so far, oldest first. */
  outbox(): Promise<OutboxMessage[]>;
  /** The demo page's `config.json`. */
  demoConfig(): object;
}

/**
 * One server on 127.0.0.1: `POST /` is Cognito (AWS JSON 1.1), `GET /<poolId>/.well-known/jwks.json`
 * the pool's keys, `GET /outbox` the sent messages, `/demo/` the demo page, and `/apis/<restApiId>/<stage>/`
 * the app's REST APIs (with API Gateway's own CORS, errors and methods, not the sandbox's).
 */
export function createSandboxServer(routes: SandboxRoutes): Server {
  return createServer((request, response) => {
    route(routes, request, response).catch((error: unknown) => {
      process.stderr.write(`sandbox: ${error instanceof Error ? error.message : 'request failed'}\n`);
      if (!response.headersSent) sendJson(response, 500, { message: 'Internal error in the sandbox' });
      else response.destroy();
    });
  });
}

async function route(routes: SandboxRoutes, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const path = new URL(request.url ?? '/', 'http://sandbox').pathname;
  if (routes.apis && path.startsWith(APIS_PATH)) return routes.apis.serve(request, response);
  if (request.method === 'OPTIONS') {
    response.writeHead(204, CORS_HEADERS).end();
    return;
  }
  if (request.method === 'POST' && path === '/') return serveCognito(routes.cognito, request, response, routes.onCognitoCall);
  if (request.method !== 'GET' && request.method !== 'HEAD') return sendJson(response, 405, { message: 'Method not allowed' });

  const jwks = /^\/([^/]+)\/\.well-known\/jwks\.json$/.exec(path);
  if (jwks) {
    const pool = routes.cognito.pools.find((candidate) => candidate.model.userPoolId === jwks[1]);
    return pool ? sendJson(response, 200, pool.tokens.jwks()) : sendJson(response, 404, { message: 'No such user pool' });
  }
  if (path === '/outbox') return sendJson(response, 200, await routes.outbox());
  if (path === '/demo') {
    response.writeHead(301, { Location: '/demo/' }).end();
    return;
  }
  if (path === '/demo/config.json') return sendJson(response, 200, routes.demoConfig());
  if (path === '/demo/' || path === '/demo/demo.js') {
    const assets = await buildDemoAssets();
    const [type, body] = path === '/demo/' ? ['text/html; charset=utf-8', assets.html] : ['text/javascript; charset=utf-8', assets.script];
    response.writeHead(200, {
      'Content-Type': type,
      'Cache-Control': 'no-store',
      'Referrer-Policy': 'no-referrer',
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy':
        "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; img-src data:; connect-src 'self' http://127.0.0.1:*; base-uri 'none'; form-action 'none'",
    });
    response.end(request.method === 'HEAD' ? undefined : body);
    return;
  }
  sendJson(response, 404, { message: `Not found: ${path}` });
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { ...CORS_HEADERS, 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
  response.end(JSON.stringify(body, null, 2));
}
