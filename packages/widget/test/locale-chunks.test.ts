import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { languages } from '../src/locales/languages.js';

const dist = (file: string) => new URL(`../dist/${file}`, import.meta.url);
const chunks = languages.filter((l) => l !== 'en').map((l) => `ephemeral-chat-locale-${l}.js`);

// The script-tag bundle imports these by URL, beside itself: they must stand alone (an import of
// the npm build's shared code would pull bare `lit` specifiers into a page without a bundler).
describe('language chunks', () => {
  it.each(chunks)('%s is data alone, imported by both builds', async (file) => {
    const code = await readFile(dist(file), 'utf8');
    expect(code).not.toMatch(/\bimport\b|\bfrom\s*["']/);
    expect(code).toMatch(/export\s*\{\s*\w+ as default\s*\}/);
    console.log(
      `@ephemeral-chat/widget ${file}: ${gzipSync(code, { level: 9 }).length} B min+gzip`,
    );
    for (const build of ['index.js', 'ephemeral-chat.min.js']) {
      expect(await readFile(dist(build), 'utf8')).toContain(`import("./${file}")`);
    }
  });

  it('keeps every non-English text out of the script-tag bundle', async () => {
    const { default: de } = await import('../src/locales/de.js');
    const bundle = await readFile(dist('ephemeral-chat.min.js'), 'utf8');
    expect(bundle).not.toContain(de.noMessages);
  });
});
