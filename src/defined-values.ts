/** The properties of `options` whose value is not undefined, so that spreading them over defaults keeps the defaults. */
export function definedValues<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as Partial<T>;
}
