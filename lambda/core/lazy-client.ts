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
