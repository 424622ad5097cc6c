// CloudFormation accepts booleans and numbers as strings too ("true", "300"); these read either form.

export function asBoolean(value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  return value === true || value === 'true';
}

export function asNumber(value: unknown, fallback: number): number {
  return value === undefined ? fallback : Number(value);
}

/** A list of strings; absent is empty. */
export function asStrings(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : [];
}
