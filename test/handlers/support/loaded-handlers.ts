import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { Triggers } from './custom-auth-session';

export type ApiHandler = (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>;

/**
 * Sets `environment()` in process.env before the file's tests, then loads the handlers with `load`, as
 * Lambda loads a function after setting its environment. The result calls the loaded handlers.
 */
function loadedAfter<T>(environment: () => Record<string, string>, load: () => Promise<T>): () => T {
  let loaded: T | undefined;
  beforeAll(async () => {
    Object.assign(process.env, environment());
    loaded = await load();
  });
  return () => {
    if (!loaded) throw new Error('the handlers are loaded once the tests run');
    return loaded;
  };
}

/** The handler of an API function module, loaded with `environment()` set. */
export function loadedApiHandler(environment: () => Record<string, string>, load: () => Promise<{ handler: ApiHandler }>): ApiHandler {
  const module = loadedAfter(environment, load);
  return (event) => module().handler(event);
}

/** The define, create and verify trigger handlers, loaded with `environment()` set. */
export function loadedTriggers(environment: () => Record<string, string>): Triggers {
  const triggers = loadedAfter(environment, async (): Promise<Triggers> => ({
    define: (await import('../../../lambda/define-auth-challenge.lambda')).handler,
    create: (await import('../../../lambda/create-auth-challenge.lambda')).handler,
    verify: (await import('../../../lambda/verify-auth-challenge.lambda')).handler,
  }));
  return {
    define: (event) => triggers().define(event),
    create: (event) => triggers().create(event),
    verify: (event) => triggers().verify(event),
  };
}
