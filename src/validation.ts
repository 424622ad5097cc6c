import { Duration, Token } from 'aws-cdk-lib';

// Internal helpers: every bad prop is a synth-time error naming the prop, the value and the allowed range.

/** Throws unless `value` is an integer in [min, max]; unresolved tokens are not checked. */
export function validateIntegerRange(prop: string, value: number | undefined, min: number, max: number): void {
  if (value === undefined || Token.isUnresolved(value)) return;
  if (!Number.isInteger(value)) {
    throw new Error(`${prop} must be an integer between ${min} and ${max} (received: ${value})`);
  }
  if (value < min || value > max) {
    throw new Error(`${prop} must be between ${min} and ${max} (received: ${value})`);
  }
}

/** A unit in which a duration range is stated and reported. */
export type DurationUnit = 'seconds' | 'minutes' | 'hours';

const UNIT_SECONDS: Record<DurationUnit, number> = { seconds: 1, minutes: 60, hours: 3600 };

/** Throws unless `value` is a whole number of seconds in [min, max] (given in `unit`); unresolved tokens are not checked. */
export function validateDurationRange(
  prop: string,
  value: Duration | undefined,
  min: number,
  max: number,
  unit: DurationUnit,
): void {
  if (value === undefined || value.isUnresolved()) return;
  const millis = value.toMilliseconds({ integral: false });
  const inUnit = millis / 1000 / UNIT_SECONDS[unit];
  const received = value.toHumanString();
  if (millis % 1000 !== 0) {
    throw new Error(`${prop} must be a whole number of seconds (received: ${received})`);
  }
  if (inUnit < min || inUnit > max) {
    throw new Error(`${prop} must be between ${min} and ${max} ${unit} (received: ${received})`);
  }
}

/** Throws unless `value` is one of `allowed`; unresolved tokens are not checked. */
export function validateOneOf(prop: string, value: string | undefined, allowed: readonly string[]): void {
  if (value === undefined || Token.isUnresolved(value)) return;
  if (!allowed.includes(value)) {
    throw new Error(`${prop} must be one of ${allowed.map((a) => `'${a}'`).join(', ')} (received: '${value}')`);
  }
}

/** Throws unless `value` matches `pattern`; unresolved tokens are not checked. */
export function validatePattern(prop: string, value: string | undefined, pattern: RegExp, expected: string): void {
  if (value === undefined || Token.isUnresolved(value)) return;
  if (!pattern.test(value)) {
    throw new Error(`${prop} must be ${expected} (received: '${value}')`);
  }
}

/** Throws unless the template contains each placeholder; unresolved tokens are not checked. */
export function validatePlaceholders(prop: string, value: string | undefined, placeholders: readonly string[]): void {
  if (value === undefined || Token.isUnresolved(value)) return;
  for (const placeholder of placeholders) {
    if (!value.includes(placeholder)) {
      throw new Error(`${prop} must contain the placeholder ${placeholder} (received: '${value}')`);
    }
  }
}
