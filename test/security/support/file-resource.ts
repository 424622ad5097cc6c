/**
 * Something a whole test file shares (a client, a browser): opened in a beforeAll, closed in an afterAll. The object
 * returned stands in for it from the start, so the file can hold it in a `const`: reading a property reads the
 * resource's (methods bound to it); before the beforeAll has run, any use throws.
 */
export function useFileResource<T extends object>(
  open: () => T | Promise<T>,
  close: (resource: T) => unknown,
  timeoutMs?: number,
): T {
  let resource: T | undefined;
  beforeAll(async () => {
    resource = await open();
  }, timeoutMs);
  afterAll(async () => {
    if (resource) await close(resource);
  });
  return new Proxy({} as T, {
    get(_, property) {
      if (!resource) throw new Error(`Used before its beforeAll has run (reading ${String(property)})`);
      const value: unknown = Reflect.get(resource, property);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(resource) : value;
    },
  });
}
