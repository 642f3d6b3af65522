import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';

const root = new URL('../', import.meta.url);

async function measure(file) {
  const code = await readFile(new URL(file, root));
  return { file, bytes: code.length, gzip: gzipSync(code, { level: 9 }).length };
}

/** Sizes of both builds (minified, and gzip -9 of that) and the standalone budget. */
export async function measureBundles() {
  const { standaloneMaxMinGzipBytes } = JSON.parse(
    await readFile(new URL('size-budget.json', root), 'utf8'),
  );
  return {
    npm: await measure('dist/index.js'),
    standalone: await measure('dist/ephemeral-chat.min.js'),
    budget: standaloneMaxMinGzipBytes,
  };
}
