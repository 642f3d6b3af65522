import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  brotliCompressSync,
  brotliDecompressSync,
  constants,
  gunzipSync,
  gzipSync,
} from 'node:zlib';
import { startTestServer, type TestServer } from '@ephemeral-chat/testkit';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RawResponse, rawRequest } from './helpers/raw-http.js';

const precompress = fileURLToPath(new URL('../../widget/scripts/precompress.mjs', import.meta.url));
/** Must never appear in an answer: it lives outside the served folders, or in a hidden file. */
const SECRET = 'secret-7f3a-not-for-the-web';

/** Compressible enough that brotli and gzip forms are kept, large enough to be a real test. */
const bundleSource = (tag: string) =>
  Array.from(
    { length: 400 },
    (_, i) => `customElements.define("x-${tag}-${i}",class extends HTMLElement{n=${i}});`,
  ).join('\n');

let root: string;
let server: TestServer;
let bundle: Buffer;
let manifest: { path: string; integrity: string; file: string };
/** demo/app.js ships a brotli form made at quality 1, which the server must serve as is. */
let appJsBrotli: Buffer;
let staleCss: Buffer;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'ec-delivery-'));
  const widgetDir = join(root, 'widget');
  const demoDir = join(root, 'demo');
  await Promise.all([mkdir(widgetDir), mkdir(demoDir)]);
  bundle = Buffer.from(bundleSource('a'));
  await writeFile(join(widgetDir, 'ephemeral-chat.min.js'), bundle);
  await writeFile(
    join(widgetDir, 'ephemeral-chat.min.js.map'),
    JSON.stringify({ v: bundleSource('m') }),
  );
  await writeFile(
    join(widgetDir, 'ephemeral-chat-locale-de.js'),
    'export default {"send":"Senden"};',
  );
  await writeFile(join(widgetDir, 'ephemeral-chat-locale-xx.txt'), SECRET);
  // The widget's real build step, on this folder.
  await promisify(execFile)(process.execPath, [precompress, widgetDir]);
  manifest = JSON.parse(await readFile(join(widgetDir, 'ephemeral-chat.sri.json'), 'utf8'));

  await writeFile(join(demoDir, 'index.html'), `<!doctype html>${'<p>demo</p>'.repeat(200)}`);
  const appJs = Buffer.from(bundleSource('app'));
  await writeFile(join(demoDir, 'app.js'), appJs);
  appJsBrotli = brotliCompressSync(appJs, { params: { [constants.BROTLI_PARAM_QUALITY]: 1 } });
  await writeFile(join(demoDir, 'app.js.br'), appJsBrotli);
  // A gzip form left over from an older file: it must never be served for the new one.
  staleCss = Buffer.from('body{margin:0}\n'.repeat(100));
  await writeFile(join(demoDir, 'stale.css'), staleCss);
  await writeFile(join(demoDir, 'stale.css.gz'), gzipSync('p{color:red}\n'.repeat(100)));
  await writeFile(join(demoDir, 'logo.png'), Buffer.alloc(2000, 7));
  // Sparse: over the 16 MiB cap without taking the disk space.
  await writeFile(join(demoDir, 'huge.txt'), '');
  await truncate(join(demoDir, 'huge.txt'), 17 << 20);
  await writeFile(join(demoDir, '.env'), SECRET);
  await writeFile(join(demoDir, 'notes.md'), SECRET);
  await writeFile(join(root, 'outside.txt'), SECRET);
  server = await startTestServer({ env: { WIDGET_DIR: widgetDir, DEMO_DIR: demoDir } });
});
afterAll(async () => {
  await server?.close();
  await rm(root, { recursive: true, force: true });
});

const get = (path: string, ...headers: string[]) =>
  rawRequest(server.port, [`GET ${path} HTTP/1.1`, ...headers]);
const header = (res: RawResponse, name: string) => res.headers.find(([k]) => k === name)?.[1];
const decoded = (res: RawResponse): Buffer => {
  const coding = header(res, 'content-encoding');
  if (coding === 'br') return brotliDecompressSync(res.body);
  if (coding === 'gzip') return gunzipSync(res.body);
  expect(coding).toBeUndefined();
  return res.body;
};

describe('the widget’s language modules', () => {
  it('serves each one beside the bundle, embeddable cross-origin (a module import uses CORS)', async () => {
    const res = await get('/ephemeral-chat-locale-de.js', 'Origin: https://customer.example');
    expect(res.status).toBe(200);
    expect(header(res, 'access-control-allow-origin')).toBe('*');
    expect(header(res, 'cross-origin-resource-policy')).toBe('cross-origin');
    expect(header(res, 'content-type')).toMatch(/javascript/);
    expect(header(res, 'etag')).toBeDefined();
    expect(decoded(res).toString()).toContain('Senden');
  });

  it('serves nothing else from the widget folder', async () => {
    for (const path of ['/ephemeral-chat-locale-xx.txt', '/ephemeral-chat-locale-fr.js']) {
      expect((await get(path)).status).toBe(404);
    }
  });
});

describe('content coding of static files', () => {
  it.each([
    ['gzip, deflate, br, zstd', 'br'],
    ['br', 'br'],
    ['gzip', 'gzip'],
    ['br;q=0, gzip', 'gzip'],
    ['identity', undefined],
    ['*;q=0', undefined],
    [undefined, undefined],
  ])('answers Accept-Encoding %j with %s, the same bytes once decoded', async (ae, coding) => {
    const res = await get(
      '/ephemeral-chat.js',
      ...(ae === undefined ? [] : [`Accept-Encoding: ${ae}`]),
    );
    expect(res.status).toBe(200);
    expect(header(res, 'content-encoding')).toBe(coding);
    expect(header(res, 'vary')).toBe('Accept-Encoding');
    expect(header(res, 'content-length')).toBe(String(res.body.length));
    expect(decoded(res).equals(bundle)).toBe(true);
    if (coding) expect(res.body.length).toBeLessThan(bundle.length / 3);
  });

  it('sends the compressed files the build wrote rather than compressing again', async () => {
    const built = await readFile(join(root, 'widget', 'ephemeral-chat.min.js.br'));
    expect((await get('/ephemeral-chat.js', 'Accept-Encoding: br')).body.equals(built)).toBe(true);
    // Quality 1 is not what the server would make: these are the file's bytes.
    expect((await get('/app.js', 'Accept-Encoding: br')).body.equals(appJsBrotli)).toBe(true);
  });

  it('never sends a compressed file that no longer matches its source', async () => {
    const res = await get('/stale.css', 'Accept-Encoding: gzip');
    expect(header(res, 'content-encoding')).toBe('gzip');
    expect(decoded(res).equals(staleCss)).toBe(true);
  });

  it('compresses the demo page too, and sends images as they are', async () => {
    const page = await get('/', 'Accept-Encoding: gzip, br');
    expect(header(page, 'content-encoding')).toBe('br');
    expect(header(page, 'vary')).toBe('Accept-Encoding, Origin');
    const png = await get('/logo.png', 'Accept-Encoding: gzip, br');
    expect(header(png, 'content-encoding')).toBeUndefined();
    expect(png.body.length).toBe(2000);
  });

  it('does not load a file over 16 MiB into memory', async () => {
    const res = await get('/huge.txt');
    expect(res.status).toBe(404);
    expect(res.body.toString()).toMatch(/too large/);
  });

  it('compresses the source map', async () => {
    const res = await get('/ephemeral-chat.min.js.map', 'Accept-Encoding: br');
    expect(header(res, 'content-encoding')).toBe('br');
    expect(JSON.parse(decoded(res).toString()).v).toContain('x-m-399');
  });
});

describe('validators and revalidation', () => {
  it('gives each coding a strong ETag of its own', async () => {
    const tags = await Promise.all(
      ['br', 'gzip', 'identity'].map(async (ae) =>
        header(await get('/ephemeral-chat.js', `Accept-Encoding: ${ae}`), 'etag'),
      ),
    );
    expect(new Set(tags).size).toBe(3);
    for (const tag of tags) expect(tag).toMatch(/^"[0-9a-f]{16}(\.br|\.gz)?"$/);
  });

  it.each(['/ephemeral-chat.js', '/', '/app.js', '/logo.png'])(
    'answers a matching If-None-Match on %s with 304, no body, and the 200’s caching headers',
    async (path) => {
      const first = await get(path, 'Accept-Encoding: br');
      const etag = header(first, 'etag') as string;
      for (const inm of [etag, `W/${etag}`, `"nope", ${etag}`, '*']) {
        const res = await get(path, 'Accept-Encoding: br', `If-None-Match: ${inm}`);
        expect(res.status).toBe(304);
        expect(res.body.length).toBe(0);
        expect(header(res, 'content-length')).toBeUndefined();
        for (const name of ['etag', 'cache-control', 'vary', 'cross-origin-resource-policy']) {
          expect(header(res, name)).toBe(header(first, name));
        }
      }
    },
  );

  it('answers 200 when the cached ETag is another coding’s or another version’s', async () => {
    const br = header(await get('/ephemeral-chat.js', 'Accept-Encoding: br'), 'etag');
    const res = await get('/ephemeral-chat.js', 'Accept-Encoding: gzip', `If-None-Match: ${br}`);
    expect(res.status).toBe(200);
    expect(header(res, 'content-encoding')).toBe('gzip');
    expect((await get('/', 'If-None-Match: "0000000000000000"')).status).toBe(200);
  });

  it('answers HEAD with the GET’s headers and length and no body, and 304 when it matches', async () => {
    const full = await get('/ephemeral-chat.js', 'Accept-Encoding: gzip');
    const head = await rawRequest(server.port, [
      'HEAD /ephemeral-chat.js HTTP/1.1',
      'Accept-Encoding: gzip',
    ]);
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    for (const name of ['etag', 'content-encoding', 'content-length', 'content-type', 'vary']) {
      expect(header(head, name)).toBe(header(full, name));
    }
    const etag = header(full, 'etag') as string;
    const cached = await rawRequest(server.port, [
      'HEAD /ephemeral-chat.js HTTP/1.1',
      'Accept-Encoding: gzip',
      `If-None-Match: ${etag}`,
    ]);
    expect(cached.status).toBe(304);
  });

  it('asks the stable URL to be revalidated within minutes and the demo on every load', async () => {
    expect(header(await get('/ephemeral-chat.js'), 'cache-control')).toBe('public, max-age=300');
    expect(header(await get('/'), 'cache-control')).toBe('no-cache');
  });
});

describe('the content-hashed URL', () => {
  it('serves the bundle at the path and integrity the build printed, immutable and embeddable', async () => {
    expect(manifest.path).toMatch(/^\/ephemeral-chat\.[0-9a-f]{16}\.js$/);
    const sri = `sha384-${createHash('sha384').update(bundle).digest('base64')}`;
    expect(manifest.integrity).toBe(sri);
    const res = await get(manifest.path, 'Accept-Encoding: gzip', 'Origin: https://any.example');
    expect(res.status).toBe(200);
    expect(header(res, 'cache-control')).toBe('public, max-age=31536000, immutable');
    expect(header(res, 'cross-origin-resource-policy')).toBe('cross-origin');
    expect(header(res, 'access-control-allow-origin')).toBe('*');
    expect(header(res, 'content-type')).toBe('text/javascript; charset=utf-8');
    expect(decoded(res).equals(bundle)).toBe(true);
  });

  it('answers 404 for any other hash', async () => {
    expect((await get('/ephemeral-chat.0000000000000000.js')).status).toBe(404);
    expect((await get(manifest.path.toUpperCase())).status).toBe(404);
  });
});

describe('paths outside the served files', () => {
  const attempts = [
    '/../outside.txt',
    '/..%2foutside.txt',
    '/%2e%2e/outside.txt',
    '/%2e%2e%2foutside.txt',
    '/demo/../../outside.txt',
    '/./.env',
    '/.env',
    '/%2eenv',
    '/notes.md',
    '/app.js.br',
    '/stale.css.gz',
    '//outside.txt',
    '/\\..\\outside.txt',
    '/ephemeral-chat.js/../../outside.txt',
    '/ephemeral-chat.min.js',
    '/ephemeral-chat.sri.json',
    '/index.html',
    '/app.js%00.png',
    `/${'../'.repeat(20)}etc/passwd`,
  ];

  it.each(attempts)('answers %s with 404 and nothing from the disk', async (path) => {
    const res = await get(path);
    expect(res.status).toBe(404);
    expect(res.body.toString('latin1')).not.toContain(SECRET);
  });

  it('holds for any path and any coding or validator headers (fuzzed)', async () => {
    const segment = fc.constantFrom(
      '..',
      '.',
      '',
      '%2e%2e',
      '%2E%2e',
      '%2f',
      '%5c',
      '\\',
      '%00',
      '.env',
      'outside.txt',
      'notes.md',
      'app.js',
      'app.js.br',
      'index.html',
      'ephemeral-chat.js',
      'demo',
      'widget',
    );
    const path = fc.array(segment, { minLength: 1, maxLength: 6 }).map((s) => `/${s.join('/')}`);
    const headerValue = fc.oneof(
      fc.constantFrom('br', 'gzip', 'identity', '*', 'br;q=0', 'gzip;q=1.0, br;q=0.9', '*;q=0', ''),
      fc.stringMatching(/^[ -~]{0,60}$/),
    );
    const known = new Map<string, Buffer | undefined>([
      ['/ephemeral-chat.js', bundle],
      ['/app.js', undefined],
      ['/index.html', undefined],
    ]);
    await fc.assert(
      fc.asyncProperty(path, headerValue, headerValue, async (p, ae, inm) => {
        const res = await get(p, `Accept-Encoding: ${ae}`, `If-None-Match: ${inm}`);
        expect([200, 304, 404]).toContain(res.status);
        expect(res.body.toString('latin1')).not.toContain(SECRET);
        if (res.status === 200) {
          const body = decoded(res);
          const expected = known.get(p);
          if (expected) expect(body.equals(expected)).toBe(true);
        }
      }),
      { numRuns: 150 },
    );
    expect((await get('/healthz')).status).toBe(200);
  });
});

describe('Cross-Origin-Resource-Policy', () => {
  it('lets any site probe /healthz, so a refused page learns it is refused, not that the server is down', async () => {
    const refused = await get('/healthz', 'Origin: https://not-allowed.example');
    expect(refused.status).toBe(200);
    expect(header(refused, 'cross-origin-resource-policy')).toBe('cross-origin');
    // Still no CORS grant: the refused page cannot read it, only see that it loaded.
    expect(header(refused, 'access-control-allow-origin')).toBeUndefined();
    const plain = await get('/healthz');
    expect(header(plain, 'cross-origin-resource-policy')).toBe('cross-origin');
  });

  it('keeps the API, /readyz and the demo same-site', async () => {
    for (const path of ['/api/session', '/readyz', '/']) {
      expect(header(await get(path), 'cross-origin-resource-policy')).toBe('same-site');
    }
    const api = await get('/api/session', 'Origin: https://not-allowed.example');
    expect(api.status).toBe(403);
  });
});

describe('a rebuilt bundle', () => {
  let own: TestServer;
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ec-rebuild-'));
    await writeFile(join(dir, 'ephemeral-chat.min.js'), bundleSource('v1'));
    own = await startTestServer({ env: { WIDGET_DIR: dir, DEMO_DIR: join(dir, 'none') } });
  });
  afterAll(async () => {
    await own?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('is served at the stable URL with a new ETag, and never at the old hashed URL', async () => {
    const url = (p: string) => `${own.url}${p}`;
    const v1 = await fetch(url('/ephemeral-chat.js'));
    const oldTag = v1.headers.get('etag') as string;
    const hashed = `/ephemeral-chat.${oldTag.slice(1, 17)}.js`;
    expect((await fetch(url(hashed))).status).toBe(200);
    // A different size, so the change is seen whatever the file system's mtime resolution.
    await writeFile(join(dir, 'ephemeral-chat.min.js'), `${bundleSource('v2')}//v2`);
    const v2 = await fetch(url('/ephemeral-chat.js'), { headers: { 'If-None-Match': oldTag } });
    expect(v2.status).toBe(200);
    expect(v2.headers.get('etag')).not.toBe(oldTag);
    expect(await v2.text()).toContain('x-v2-0');
    const stale = await fetch(url(hashed));
    expect(stale.status).toBe(404);
    expect(await stale.text()).not.toContain('x-v2-0');
  });
});
