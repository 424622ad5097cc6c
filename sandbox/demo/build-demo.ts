import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'esbuild';

/** The demo page and its bundled script, as served at /demo/ and /demo/demo.js. */
export interface DemoAssets {
  readonly html: string;
  readonly script: string;
}

let assets: Promise<DemoAssets> | undefined;

/** Reads page.html and bundles demo-client.ts with Amplify for the browser, once per process. */
export function buildDemoAssets(): Promise<DemoAssets> {
  assets ??= bundle().catch((err: unknown) => {
    assets = undefined; // a failed build is retried by the next caller rather than cached
    throw err;
  });
  return assets;
}

async function bundle(): Promise<DemoAssets> {
  const [html, result] = await Promise.all([
    readFile(join(__dirname, 'page.html'), 'utf8'),
    build({
      entryPoints: [join(__dirname, 'demo-client.ts')],
      bundle: true,
      write: false,
      platform: 'browser',
      format: 'iife',
      target: 'es2020',
      minify: true,
      legalComments: 'none',
      logLevel: 'silent',
    }),
  ]);
  return { html, script: result.outputFiles[0].text };
}
