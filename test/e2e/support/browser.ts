import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's chromium, the browser CI installs; playwright-core downloads none of its own. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * Launches headless Debian chromium for a test. Flags: no sandbox (we run as root in a container),
 * and nothing that talks to Google's servers on its own, so the tests see only their own traffic.
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`No browser at ${CHROMIUM_PATH}: install it with \`apt-get install -y chromium\` (as root), then run the tests again.`);
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
