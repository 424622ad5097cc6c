/**
 * Structured JSON logging with levels. Callers pass only non-secret fields: codes, hashes of codes,
 * destinations and answers are never given to the logger, so no level can print them.
 */
const LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LEVELS)[number];

export type LogFields = Record<string, string | number | boolean | undefined>;

export type Logger = Record<LogLevel, (message: string, fields?: LogFields) => void>;

export function isLogLevel(value: string): value is LogLevel {
  return (LEVELS as readonly string[]).includes(value);
}

export function createLogger(level: LogLevel, write: (line: string) => void = (line) => console.log(line)): Logger {
  const threshold = LEVELS.indexOf(level);
  return Object.fromEntries(LEVELS.map((at, rank) => [at, (message: string, fields?: LogFields) => {
    if (rank >= threshold) write(JSON.stringify({ level: at, message, ...fields }));
  }])) as Logger;
}

/** A short, non-reversible reference to an identifier's key, for correlating log lines. */
export function keyRef(key: string): string {
  return key.slice(0, 12);
}

/** What failed, for a log line: the error's name, never its message (which may hold an address). */
export function errorName(error: unknown): string {
  return (error as Error).name ?? 'Error';
}
