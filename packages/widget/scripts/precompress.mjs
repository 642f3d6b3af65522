// Compresses the script-tag bundle and its source map at build time (brotli 11, gzip -9) into
// `<file>.br` and `<file>.gz`, which the server sends by Accept-Encoding instead of compressing,
// and records the bundle's SRI hash and content-hashed URL in dist/ephemeral-chat.sri.json.
// Prints the script tag to paste. Usage: node scripts/precompress.mjs [dist folder]
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const dist = process.argv[2] ?? fileURLToPath(new URL('../dist/', import.meta.url));
const bundleName = 'ephemeral-chat.min.js';

function compress(data) {
  const br = brotliCompressSync(data, {
    params: {
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
    },
  });
  return { br, gzip: gzipSync(data, { level: 9 }) };
}

/** The same two values as the server's `digestOf` (packages/server/src/http/static/digest.ts). */
function digestOf(data) {
  const sha384 = createHash('sha384').update(data).digest();
  return {
    integrity: `sha384-${sha384.toString('base64')}`,
    hash: sha384.toString('hex').slice(0, 16),
  };
}

const sizes = {};
for (const name of [bundleName, `${bundleName}.map`]) {
  const file = join(dist, name);
  const data = await readFile(file);
  const { br, gzip } = compress(data);
  await writeFile(`${file}.br`, br);
  await writeFile(`${file}.gz`, gzip);
  sizes[name] = { bytes: data.length, br: br.length, gzip: gzip.length };
}

const bundle = await readFile(join(dist, bundleName));
const { integrity, hash } = digestOf(bundle);
const manifest = {
  $comment:
    'The script-tag bundle of this build: the server serves it at `path` (immutable) and at /ephemeral-chat.js.',
  file: bundleName,
  path: `/ephemeral-chat.${hash}.js`,
  integrity,
  ...sizes[bundleName],
};
await writeFile(join(dist, 'ephemeral-chat.sri.json'), `${JSON.stringify(manifest, null, 2)}\n`);

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const s = sizes[bundleName];
console.log(
  `@ephemeral-chat/widget ${manifest.path}: ${kb(s.bytes)}, ${kb(s.br)} br, ${kb(s.gzip)} gzip (compressed at build time)`,
);
console.log('Script tag for this build (your chat server in place of chat.example.com):');
console.log(
  `  <script src="https://chat.example.com${manifest.path}" integrity="${integrity}" crossorigin="anonymous" defer></script>`,
);
