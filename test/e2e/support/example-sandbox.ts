import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AdminCreateUserCommand,
  CognitoIdentityProviderClient,
  type AttributeType,
} from '@aws-sdk/client-cognito-identity-provider';
import { App } from 'aws-cdk-lib';
import { PasswordlessExample, type PasswordlessExampleProps } from '../../../examples/passwordless-example';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../../sandbox/start';

export interface ExampleSandboxOptions extends Omit<SandboxOptions, 'app'> {
  /** Settings of the example stack, e.g. `{ autoSignUp: false }` for the behaviour without auto sign-up. */
  readonly example?: Omit<PasswordlessExampleProps, 'env'>;
}

/** Synthesizes the example app in-process (faster than running its command) and starts a sandbox on it. */
export async function startExampleSandbox({ example, ...options }: ExampleSandboxOptions = {}): Promise<Sandbox> {
  const outdir = mkdtempSync(join(tmpdir(), 'passwordless-e2e-'));
  const app = new App({ outdir });
  new PasswordlessExample(app, 'PasswordlessExample', { ...example, env: { region: 'us-east-1' } });
  app.synth();
  const logs = options.onLog ?? (() => undefined);
  const sandbox = await startSandbox({ ...options, app: outdir, onLog: logs });
  return {
    ...sandbox,
    stop: async () => {
      await sandbox.stop();
      rmSync(outdir, { recursive: true, force: true });
    },
  };
}

/** An SDK v3 client for the sandbox's Cognito endpoint; any credentials are accepted locally. */
export function cognitoClient(sandbox: Sandbox): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({
    region: sandbox.info.region,
    endpoint: sandbox.info.cognitoEndpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

let counter = 0;
/** A unique email address per call, so that send cooldowns of one test do not reach another. */
export function uniqueEmail(): string {
  return `user${Date.now().toString(36)}${(counter++).toString(36)}@example.com`;
}

/** A unique US phone number per call. */
export function uniquePhone(): string {
  return `+1555${String(Date.now() % 1_000_000).padStart(6, '0')}${counter++ % 10}`;
}

/** Creates a user with verified email and/or phone, as an admin would. Returns the username (a UUID). */
export async function seedUser(sandbox: Sandbox, contact: { email?: string; phone?: string }): Promise<string> {
  const attributes: AttributeType[] = [];
  if (contact.email) attributes.push({ Name: 'email', Value: contact.email }, { Name: 'email_verified', Value: 'true' });
  if (contact.phone) attributes.push({ Name: 'phone_number', Value: contact.phone }, { Name: 'phone_number_verified', Value: 'true' });
  const created = await cognitoClient(sandbox).send(new AdminCreateUserCommand({
    UserPoolId: sandbox.info.userPoolId,
    Username: contact.email ?? contact.phone,
    UserAttributes: attributes,
    MessageAction: 'SUPPRESS',
  }));
  return created.User!.Username!;
}

/** The code in the newest message to `to`, read from the outbox over HTTP as a client would. */
export async function latestCode(sandbox: Sandbox, to: string): Promise<string> {
  const response = await fetch(sandbox.info.outboxUrl);
  const messages = (await response.json()) as { to: string[]; text: string }[];
  const message = messages.filter((candidate) => candidate.to.includes(to)).pop();
  const code = message && /\b(\d{6})\b/.exec(message.text)?.[1];
  if (!code) throw new Error(`No code was sent to ${to}`);
  return code;
}

/** How many messages went to `to`. */
export async function messagesTo(sandbox: Sandbox, to: string): Promise<number> {
  const response = await fetch(sandbox.info.outboxUrl);
  const messages = (await response.json()) as { to: string[] }[];
  return messages.filter((candidate) => candidate.to.includes(to)).length;
}
