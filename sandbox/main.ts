import { parseArgs } from 'node:util';
import { DEFAULT_APP, startSandbox } from './start';

const USAGE = `Usage: npm run sandbox -- [--app <cdk app command | cdk.out dir>] [--port <port>] [--stop-after <seconds>]

Runs the app's user pool locally: the real handler bundles, a Cognito-compatible endpoint, the app's
REST APIs (under /apis/<restApiId>/<stage>/) and local DynamoDB, SES, SNS and KMS, all on 127.0.0.1.
Prints one JSON line with the endpoints, then runs until Ctrl-C (SIGINT), SIGTERM or --stop-after.

  --app         default: ${DEFAULT_APP}
  --port        port of the Cognito endpoint, APIs, JWKS, outbox and demo page (default: a free port)
  --stop-after  stop by itself after this many seconds
`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'app': { type: 'string' },
      'port': { type: 'string' },
      'stop-after': { type: 'string' },
      'help': { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const port = values.port === undefined ? undefined : wholeNumber('--port', values.port, 65535);
  const stopAfter = values['stop-after'] === undefined ? undefined : wholeNumber('--stop-after', values['stop-after'], 7 * 24 * 3600);

  const sandbox = await startSandbox({ app: values.app, port });
  process.stdout.write(JSON.stringify(sandbox.info) + '\n');

  let stopping = false;
  const stop = (reason: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`sandbox: stopping (${reason})\n`);
    sandbox.stop().then(() => process.exit(0), () => process.exit(1));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  if (stopAfter !== undefined) setTimeout(() => stop(`--stop-after ${stopAfter}`), stopAfter * 1000).unref();
}

function wholeNumber(option: string, value: string, max: number): number {
  const number = Number(value);
  if (!/^\d+$/.test(value) || number > max) {
    throw new Error(`${option} must be a whole number from 0 to ${max} (received: ${value})`);
  }
  return number;
}

main().catch((error: unknown) => {
  process.stderr.write(`sandbox: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
