import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = new URL('../', import.meta.url);

/**
 * Bundles dist/index.js for browsers as an app's bundler would (ESM, minified, tree-shaken), in
 * memory, and gzips it at level 9: the figure the budget in size-budget.json limits.
 */
export async function measureBundle() {
  const result = await build({
    entryPoints: [new URL('dist/index.js', root).pathname],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0].contents;
  const { maxMinGzipBytes } = JSON.parse(await readFile(new URL('size-budget.json', root), 'utf8'));
  return {
    bytes: code.length,
    gzip: gzipSync(code, { level: 9 }).length,
    budget: maxMinGzipBytes,
    inputs: Object.keys(result.metafile.inputs),
  };
}
