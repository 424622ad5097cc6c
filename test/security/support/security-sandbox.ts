import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { OutboxMessage } from '../../../sandbox/backends/outbox';
import type { Sandbox } from '../../../sandbox/start';
import { cognitoClient, startExampleSandbox, type ExampleSandboxOptions } from '../../e2e/support/example-sandbox';

/** The handlers' most verbose log level: every security test runs at it, so every line they can write is scanned. */
export const MOST_VERBOSE_LOG_LEVEL = 'debug';

/** What a security test file works with; filled in by `useSecuritySandbox`'s beforeAll. */
export interface SecurityContext {
  sandbox: Sandbox;
  cognito: CognitoIdentityProviderClient;
  /** Every line any function logged, prefixed with the function's name. */
  readonly logs: string[];
  /**
   * Remembers values that must never be logged (tokens, sessions, a code the test made up...). Codes and links
   * from the outbox, and every address something was sent to, are collected without being kept.
   */
  keepSecret(...values: (string | undefined)[]): void;
}

/**
 * Starts the example app's sandbox (real handler bundles) for the test file at the most verbose log level, and
 * stops it after. Before stopping, it fails the file if any function log line holds a code or link that was sent,
 * an address a message went to, or a secret the tests kept (case 18: no secret in any log line).
 *
 * `functionEnvironment` may change limits (e.g. `SEND_COOLDOWN_SECONDS`), never the log level.
 */
export function useSecuritySandbox(options: ExampleSandboxOptions = {}): SecurityContext {
  const kept = new Set<string>();
  const context = {
    logs: [] as string[],
    keepSecret: (...values: (string | undefined)[]) => values.forEach((value) => value && kept.add(value)),
  } as SecurityContext;
  beforeAll(async () => {
    context.sandbox = await startExampleSandbox({
      ...options,
      onLog: (functionName, line) => context.logs.push(`${functionName} ${line}`),
      functionEnvironment: { ...options.functionEnvironment, LOG_LEVEL: MOST_VERBOSE_LOG_LEVEL },
    });
    context.cognito = cognitoClient(context.sandbox);
  }, 120_000);
  afterAll(async () => {
    try {
      if (context.sandbox) expectNoSecretInLogs(context.logs, [...secretsIn(context.sandbox.outbox()), ...kept]);
    } finally {
      context.cognito?.destroy();
      await context.sandbox?.stop();
    }
  });
  return context;
}

/** Every code and link token in the messages, and every address they went to. */
export function secretsIn(outbox: readonly OutboxMessage[]): string[] {
  return outbox.flatMap((message) => [
    ...message.to,
    ...[...(message.text ?? '').matchAll(/\b\d{6,10}\b/g)].map(([code]) => code),
    ...[...(message.text ?? '').matchAll(/#([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)/g)].map(([, token]) => token),
  ]);
}

/** Fails with the offending lines (secrets masked) unless no line holds a secret. */
export function expectNoSecretInLogs(logs: readonly string[], secrets: readonly string[]): void {
  const distinct = [...new Set(secrets)].filter((secret) => secret.length >= 6);
  const leaks = logs.filter((line) => distinct.some((secret) => line.includes(secret)));
  const masked = leaks.map((line) => distinct.reduce((text, secret) => text.split(secret).join('<secret>'), line));
  expect(masked).toEqual([]);
}
