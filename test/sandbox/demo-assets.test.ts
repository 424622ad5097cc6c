import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildDemoAssets } from '../../sandbox/demo/build-demo';

// Measured with aws-amplify 6.22.1 and esbuild 0.28: 152 kB minified, 44 kB gzipped. The budget leaves
// room for Amplify patch releases and the magic-link code, and catches a second copy of Amplify or the AWS SDK.
const SCRIPT_BUDGET_BYTES = 200_000;
const SCRIPT_BUDGET_GZIP_BYTES = 60_000;

// The only absolute URLs in the bundle: links in Amplify's error messages. Service endpoints are built
// from the region (`https://cognito-idp.<region>.amazonaws.com`) unless overridden, which the demo always does.
const DOCUMENTATION_HOSTS = ['aws-amplify.github.io', 'docs.amplify.aws', 'github.com'];

let html: string;
let script: string;
beforeAll(async () => {
  ({ html, script } = await buildDemoAssets());
}, 60_000);

/** The opening tag of the element with this id, or undefined. */
function tagWithId(id: string): string | undefined {
  return [...html.matchAll(/<[a-z][a-z0-9]*\b[^>]*>/g)].map((match) => match[0]).find((tag) => tag.includes(` id="${id}"`));
}

/** Each place `text` occurs in the script, with a little context: short failure messages for a 150 kB string. */
function occurrences(text: string): string[] {
  const found: string[] = [];
  for (let at = script.indexOf(text); at !== -1; at = script.indexOf(text, at + 1)) {
    found.push(script.slice(Math.max(0, at - 40), at + text.length + 40));
  }
  return found;
}

describe('the demo page', () => {
  test.each([
    'identifier-form', 'identifier', 'continue', 'methods', 'code-form', 'code', 'submit-code',
    'restart-methods', 'restart-code', 'claims', 'sign-out', 'status', 'error',
    'email-link', 'link-heading', 'link-email', 'link-continue', 'link-cancel',
    'sign-up-option', 'auto-sign-up', 'attributes', 'attribute-form', 'attribute-value', 'given-name', 'family-name',
    'send-attribute-code', 'attribute-code-form', 'attribute-code', 'attribute-target', 'verify-attribute', 'cancel-attribute',
  ])('has #%s, with the same data-testid', (id) => {
    expect(tagWithId(id)).toContain(` data-testid="${id}"`);
  });

  test('ids are unique', () => {
    const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((match) => match[1]);
    expect(ids.length).toBeGreaterThan(10);
    expect(new Set(ids).size).toBe(ids.length);
  });

  test('every input has a label', () => {
    const inputs = [...html.matchAll(/<input id="([^"]+)"/g)].map((match) => match[1]);
    expect(inputs).toEqual(['identifier', 'auto-sign-up', 'code', 'attribute-value', 'given-name', 'family-name', 'attribute-code']);
    for (const id of inputs) expect(html).toContain(`<label id="${id}-label" for="${id}">`);
  });

  test('status and errors are announced to screen readers; the error box starts hidden', () => {
    expect(tagWithId('status')).toMatch(/ role="status" aria-live="polite"/);
    expect(tagWithId('error')).toMatch(/ role="alert".* hidden>$/);
  });

  test('only the loading view is shown before the script runs', () => {
    const views = [...html.matchAll(/<section data-view="([a-z-]+)"[^>]*>/g)];
    expect(views.map((match) => match[1])).toEqual(['loading', 'identifier', 'link', 'methods', 'code', 'signed-in']);
    expect(views.filter((match) => !match[0].endsWith(' hidden>')).map((match) => match[1])).toEqual(['loading']);
  });

  test('loads nothing from elsewhere: only its own script, relative to /demo/', () => {
    expect([...html.matchAll(/<script\b[^>]*>/g)].map((match) => match[0])).toEqual(['<script src="demo.js" defer>']);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(html).not.toMatch(/@import|url\(/);
  });
});

describe('the demo script', () => {
  test(`stays under ${SCRIPT_BUDGET_BYTES} bytes (${SCRIPT_BUDGET_GZIP_BYTES} gzipped)`, () => {
    expect(script.length).toBeGreaterThan(50_000); // Amplify is in it, not left as an import
    expect(Buffer.byteLength(script)).toBeLessThan(SCRIPT_BUDGET_BYTES);
    expect(gzipSync(script).length).toBeLessThan(SCRIPT_BUDGET_GZIP_BYTES);
  });

  test('is one self-contained IIFE with no imports or requires left', () => {
    expect(script.slice(0, 19)).toBe('"use strict";(()=>{');
    expect(script.trimEnd().slice(-5)).toBe('})();');
    for (const leftover of ['require(', 'import(', 'sourceMappingURL']) expect(occurrences(leftover)).toEqual([]);
  });

  test('evaluates no strings as code and writes no raw HTML', () => {
    for (const construct of ['eval(', 'Function(', 'document.write', 'innerHTML', 'outerHTML', 'insertAdjacentHTML']) {
      expect(occurrences(construct)).toEqual([]);
    }
  });

  test('names no host besides documentation links, and opens no other channel', () => {
    const hosts = new Set([...script.matchAll(/https?:\/\/([a-z0-9.-]+)/gi)].map((match) => match[1]));
    expect([...hosts].sort()).toEqual(DOCUMENTATION_HOSTS);
    for (const channel of ['WebSocket', 'sendBeacon', 'EventSource', 'XMLHttpRequest']) expect(occurrences(channel)).toEqual([]);
  });

  test('the link button starts hidden: it shows only when the app has a magic-link API for this page', () => {
    expect(tagWithId('email-link')).toMatch(/ type="button" hidden>$/);
  });

  test('the sign-up option and the attribute change start hidden: they show only when the API has their routes', () => {
    expect(tagWithId('sign-up-option')).toMatch(/ hidden>$/);
    expect(tagWithId('auto-sign-up')).toMatch(/ type="checkbox" checked>$/);
    expect(tagWithId('attributes')).toMatch(/ hidden>$/);
    expect(tagWithId('attribute-code-form')).toMatch(/ hidden>$/);
  });

  test('the page code never logs, so neither the code nor the tokens reach the console', () => {
    const source = readFileSync(join(__dirname, '../../sandbox/demo/demo-client.ts'), 'utf8');
    expect(source).toContain('confirmSignIn');
    expect(source).not.toMatch(/\bconsole\./);
  });

  test('is built once per process', async () => {
    const again = await buildDemoAssets();
    expect(again.script).toBe(script);
    expect(await buildDemoAssets()).toBe(again);
  });
});
