import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
let outDir = '';

describe('the production build', () => {
  beforeAll(async () => {
    outDir = await mkdtemp(join(tmpdir(), 'ec-framework-'));
    await build({ root, logLevel: 'silent', build: { outDir, emptyOutDir: true } });
  });
  afterAll(() => rm(outDir, { recursive: true, force: true }));

  it('is a page that loads one module script', async () => {
    const html = await readFile(join(outDir, 'index.html'), 'utf8');
    expect(html).toContain('<div id="root"></div>');
    expect(html).toMatch(/<script type="module" crossorigin src="\/assets\/index-[\w-]+\.js">/);
  });

  it('bundles the widget, which defines <ephemeral-chat>, with the React app', async () => {
    const assets = await readdir(join(outDir, 'assets'));
    const js = assets.filter((f) => f.endsWith('.js'));
    const code = (
      await Promise.all(js.map((f) => readFile(join(outDir, 'assets', f), 'utf8')))
    ).join('\n');
    // The widget's import is a side effect only: it must survive tree-shaking.
    expect(code).toMatch(/customElements\.define/);
    expect(code).toContain('ephemeral-chat');
    expect(code).toContain('onec-login');
  });
});
