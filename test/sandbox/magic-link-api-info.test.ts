import { functionModel } from './support/function-model';
import { magicLinkApiInfo, magicLinkApiRoutes } from '../../sandbox/apigateway/magic-link-api';
import type { ApiModel, PoolModel } from '../../sandbox/model';

// Which API the JSON line reports as apiUrl, and the redirect URIs it lists.

const POOL = { userPoolId: 'us-east-1_Pool00001' } as PoolModel;

function api(restApiId: string, environment: Record<string, string>): ApiModel {
  return {
    id: `TestStack/${restApiId}`,
    restApiId,
    stageName: 'prod',
    routes: [{ method: 'POST', path: '/magic-link', function: functionModel('/nowhere', { environment }), requestSchemas: {} }],
    corsOrigins: [],
    preflights: [],
    gatewayResponses: [],
  };
}

test('the API whose function serves magic links for the pool, with loopback entries without a port on the sandbox port', () => {
  // Given
  const other = api('otherapi01', {});
  const magic = api('magicapi01', {
    USER_POOL_ID: POOL.userPoolId,
    REDIRECT_URIS: 'http://127.0.0.1/demo/,https://app.example/signin,http://localhost:3000/cb,http://[::1]/x',
  });

  // When
  const info = magicLinkApiInfo([other, magic], POOL, 4321);

  // Then
  expect(info.api).toBe(magic);
  expect(info.redirectUris).toEqual([
    'http://127.0.0.1:4321/demo/',
    'https://app.example/signin',
    'http://localhost:3000/cb',
    'http://[::1]:4321/x',
  ]);
});

test('a magic-link function of another pool does not count; the first API is reported, with no redirect URIs', () => {
  const first = api('firstapi01', {});
  const elsewhere = api('elsewhere1', { USER_POOL_ID: 'us-east-1_Other0001', REDIRECT_URIS: 'https://x.example/' });

  expect(magicLinkApiInfo([first, elsewhere], POOL, 1)).toEqual({ api: first, redirectUris: [] });
});

test('no API: none reported', () => {
  expect(magicLinkApiInfo([], POOL, 1)).toEqual({ api: undefined, redirectUris: [] });
});

describe('the optional routes the demo page offers, read from the API', () => {
  function withRoutes(...routes: [method: string, path: string][]): ApiModel {
    const base = api('routesapi1', {});
    return { ...base, routes: routes.map(([method, path]) => ({ ...base.routes[0], method, path })) };
  }

  test('POST /sign-in, and POST /attributes with /attributes/verify', () => {
    const all = withRoutes(['POST', '/magic-link'], ['POST', '/sign-in'], ['POST', '/attributes'], ['POST', '/attributes/verify']);
    expect(magicLinkApiRoutes(all)).toEqual({ signIn: true, attributes: true });
  });

  test('an ANY method counts; another method does not', () => {
    expect(magicLinkApiRoutes(withRoutes(['ANY', '/sign-in']))).toEqual({ signIn: true, attributes: false });
    expect(magicLinkApiRoutes(withRoutes(['GET', '/sign-in']))).toEqual({ signIn: false, attributes: false });
  });

  test('attribute changes need both routes', () => {
    expect(magicLinkApiRoutes(withRoutes(['POST', '/attributes']))).toEqual({ signIn: false, attributes: false });
    expect(magicLinkApiRoutes(withRoutes(['POST', '/attributes/verify']))).toEqual({ signIn: false, attributes: false });
  });

  test('only /magic-link, or no API: neither', () => {
    expect(magicLinkApiRoutes(api('magiconly1', {}))).toEqual({ signIn: false, attributes: false });
    expect(magicLinkApiRoutes(undefined)).toEqual({ signIn: false, attributes: false });
  });
});
