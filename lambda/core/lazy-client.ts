/**
 * The configuration of every SDK client of the handlers: at most one retry (of a throttling error or a 5xx).
 * The SDK's own default (3 or 4 attempts, with backoffs of up to seconds) could keep a trigger past Cognito's
 * 5 seconds, and get a function stopped by its timeout between storing a code and sending or withdrawing it.
 */
export const CLIENT_CONFIG = { maxAttempts: 2 };

/** An AWS SDK v3 module and one client of it, loaded on the first call and kept for the container's life. */
export type LazyClient<Sdk, Client> = () => Promise<{ readonly sdk: Sdk; readonly client: Client }>;

/**
 * Defers loading the SDK module `name` to the first call, so a function loads only the clients of the
 * channels it uses, when it first uses them (cold starts pay for none of them).
 */
export function lazyClient<Sdk, Client>(name: string, create: (sdk: Sdk) => Client): LazyClient<Sdk, Client> {
  let loaded: ReturnType<LazyClient<Sdk, Client>> | undefined;
  return () => (loaded ??= importSdk<Sdk>(name).then((sdk) => ({ sdk, client: create(sdk) })));
}

/**
 * The Lambda runtime's copy of an `@aws-sdk/*` module (never bundled). Imported by a name that is not a
 * literal, so the bundle needs no ESM interop helper for it.
 */
export function importSdk<Sdk>(name: string): Promise<Sdk> {
  return import(name);
}
