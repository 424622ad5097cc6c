import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The adversarial cases of the security requirements, numbered as there: each is a test of this folder. */
const CASES = 21;
const dir = __dirname;
const files = readdirSync(dir).filter((name) => name.endsWith('.test.ts') && name !== 'cases.test.ts');
const sources = files.map((name) => ({ name, text: readFileSync(join(dir, name), 'utf-8') }));

describe('the security suite', () => {
  it.each(Array.from({ length: CASES }, (_, index) => index + 1))('has a test for adversarial case %i', (number) => {
    const titled = sources.filter(({ text }) => new RegExp(`\\bit(?:\\.each\\([^)]*\\))?\\(\\s*['"\`]case ${number}:`).test(text));
    expect(titled.map(({ name }) => name)).not.toEqual([]);
  });

  it('runs every file on the sandbox at the most verbose log level, with its logs scanned for secrets', () => {
    expect(files.length).toBeGreaterThan(0);
    expect(sources.filter(({ text }) => !text.includes('useSecuritySandbox(')).map(({ name }) => name)).toEqual([]);
  });

  it('skips nothing', () => {
    expect(sources.filter(({ text }) => /\b(?:it|test|describe)\.(?:skip|todo|only)\b|\bx(?:it|describe)\(/.test(text)).map(({ name }) => name)).toEqual([]);
  });
});
