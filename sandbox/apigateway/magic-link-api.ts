import type { ApiModel, PoolModel } from '../model';

const LOOPBACK_HOSTS = ['127.0.0.1', '[::1]', 'localhost'];

/** The REST API the sandbox reports as `apiUrl`, and the redirect URIs its magic links may lead to. */
export interface MagicLinkApiInfo {
  readonly api?: ApiModel;
  /** The function's `REDIRECT_URIS`, loopback entries without a port given the sandbox's port. */
  readonly redirectUris: string[];
}

/**
 * The API whose function serves magic links for `pool` (its environment has `REDIRECT_URIS` and the pool's
 * `USER_POOL_ID`), else the first API of the app. A loopback allow-list entry matches any port (RFC 8252,
 * section 7.3), so an entry like `http://127.0.0.1/demo/` is reported on the sandbox's own port, where the
 * demo page answers; entries with a port, or on other hosts, are reported as they are.
 */
export function magicLinkApiInfo(apis: readonly ApiModel[], pool: PoolModel, port: number): MagicLinkApiInfo {
  const serving = apis.flatMap((api) => api.routes
    .filter((route) => route.function.environment.REDIRECT_URIS !== undefined && route.function.environment.USER_POOL_ID === pool.userPoolId)
    .map((route) => ({ api, environment: route.function.environment })));
  const chosen = serving[0];
  if (!chosen) return { api: apis[0], redirectUris: [] };
  const redirectUris = chosen.environment.REDIRECT_URIS.split(',').map((entry) => entry.trim()).filter(Boolean)
    .map((entry) => onSandboxPort(entry, port));
  return { api: chosen.api, redirectUris };
}

function onSandboxPort(entry: string, port: number): string {
  let url: URL;
  try {
    url = new URL(entry);
  } catch {
    return entry;
  }
  if (url.protocol !== 'http:' || !LOOPBACK_HOSTS.includes(url.hostname) || url.port !== '') return entry;
  url.port = String(port);
  return url.href;
}

/** Which optional routes of the magic-link API an app has, as the demo page needs to know. */
export interface MagicLinkApiRoutes {
  /** `POST /sign-in` (`autoSignUp`). */
  readonly signIn: boolean;
  /** `POST /attributes` and `POST /attributes/verify` (`attributeUpdates`), both. */
  readonly attributes: boolean;
}

/** The optional routes `api` has, read from its methods (`POST`, or `ANY`, on the resource path). */
export function magicLinkApiRoutes(api: ApiModel | undefined): MagicLinkApiRoutes {
  const has = (path: string) => (api?.routes ?? []).some((route) => route.path === path && ['POST', 'ANY'].includes(route.method));
  return { signIn: has('/sign-in'), attributes: has('/attributes') && has('/attributes/verify') };
}
