import { execFile } from 'node:child_process';
import { cp, lstat, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startTestServer, type TestServer } from '@ephemeral-chat/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const repo = fileURLToPath(new URL('../', import.meta.url));
const packages = ['protocol', 'sdk', 'widget'].map((p) => `@ephemeral-chat/${p}`);

/** What `npm pack --json` says of one tarball. */
interface Packed {
  name: string;
  filename: string;
  files: { path: string }[];
}

interface Manifest {
  name: string;
  main?: string;
  types?: string;
  exports: Record<string, string | Record<string, string>>;
  dependencies?: Record<string, string>;
}

/**
 * The environment for a child npm: none of the `npm_*` variables that `npm test` exports (one of
 * them is the repository's prefix), so npm works on the directory it is given and nothing else.
 */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.toLowerCase().startsWith('npm_')),
  );
}

async function npm(args: string[], cwd: string): Promise<string> {
  const { stdout } = await run('npm', args, { cwd, env: cleanEnv(), timeout: 60_000 });
  return stdout;
}

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

/** Where Node would find package `name` from `dir`: the nearest `node_modules` up the tree. */
async function locate(name: string, dir: string): Promise<string> {
  for (let d = dir; ; d = dirname(d)) {
    const candidate = join(d, 'node_modules', name);
    if (await exists(join(candidate, 'package.json'))) return candidate;
    if (dirname(d) === d) throw new Error(`${name} is not installed in the repository`);
  }
}

/**
 * Copies the third-party packages `deps` need (and theirs, transitively) from the repository's
 * own install into `project/node_modules`: what a registry would serve, so the install that
 * follows runs offline. Only what the tarballs declare is copied, so an undeclared import fails.
 */
async function seedThirdParty(deps: Record<string, string>, project: string): Promise<string[]> {
  const seeded: string[] = [];
  const queue = Object.keys(deps).map((name) => ({ name, from: repo }));
  for (let next = queue.shift(); next; next = queue.shift()) {
    const { name, from } = next;
    if (name.startsWith('@ephemeral-chat/') || seeded.includes(name)) continue;
    const source = await locate(name, from);
    await cp(source, join(project, 'node_modules', name), { recursive: true });
    seeded.push(name);
    const manifest = JSON.parse(await readFile(join(source, 'package.json'), 'utf8')) as Manifest;
    for (const dep of Object.keys(manifest.dependencies ?? {})) {
      queue.push({ name: dep, from: source });
    }
  }
  return seeded;
}

/** Every file an `exports` entry (or `main`/`types`) points at. */
function targets(m: Manifest): string[] {
  const out = [m.main, m.types].filter((t): t is string => !!t);
  for (const value of Object.values(m.exports)) {
    out.push(...(typeof value === 'string' ? [value] : Object.values(value)));
  }
  return out.map((t) => posix.normalize(t));
}

/** An app of the kind the READMEs describe: ESM, the SDK from the tarball, `ws` on Node 20. */
const app = `
import { createClient, isChatError } from '@ephemeral-chat/sdk';
import WebSocket from 'ws';

const [url, suffix] = process.argv.slice(2);
const password = 'correct horse battery staple';
const alice = { username: 'alice_' + suffix, password };
const bob = { username: 'bob_' + suffix, password };

// Accounts are HTTP: no WebSocket needed, even on Node 20.
await createClient({ url }).register(alice);
const returning = createClient({ url });
try {
  await returning.register(alice);
} catch (err) {
  if (!isChatError(err, 'username_taken')) throw err;
  await returning.login(alice);
}
const me = await returning.me();

const a = createClient({ url, WebSocket });
const b = createClient({ url, WebSocket });
await a.login(alice);
await b.register(bob);
await Promise.all([a.connect(), b.connect()]);
const received = new Promise((resolve) => b.on('message', resolve));
const chat = await a.open(bob.username);
await chat.send('hello from a tarball', { ttl: 60_000 });
const m = await received;
const bobsChat = await b.open(alice.username);
console.log(JSON.stringify({
  me: me.user.username,
  text: m.text,
  sender: bobsChat.sender(m)?.username,
  peer: bobsChat.peer.username,
}));
a.disconnect();
b.disconnect();
`;

/** Every entry point, imported as ESM by Node. */
const imports = `
const protocol = await import('@ephemeral-chat/protocol');
const constants = await import('@ephemeral-chat/protocol/constants');
const sdk = await import('@ephemeral-chat/sdk');
const sdkConstants = await import('@ephemeral-chat/sdk/constants');
const storage = await import('@ephemeral-chat/sdk/local-storage');
const widget = await import('@ephemeral-chat/widget');
const { readFileSync } = await import('node:fs');
const standalone = readFileSync(new URL(import.meta.resolve('@ephemeral-chat/widget/standalone')));
console.log(JSON.stringify({
  parses: protocol.clientFrameSchema.safeParse({ type: 'ping', id: 1 }).success,
  maxLength: constants.limits.messageMaxLength,
  createClient: typeof sdk.createClient,
  ttlChoices: sdkConstants.ttlChoices.length,
  localStorageTokenStore: typeof storage.localStorageTokenStore,
  element: typeof widget.EphemeralChat,
  standaloneBytes: standalone.length,
}));
`;

/** A TypeScript app that uses each package's types, checked with the repository's compiler. */
const typed = `
import { clientFrameSchema, type ClientFrame } from '@ephemeral-chat/protocol';
import { limits } from '@ephemeral-chat/protocol/constants';
import { type ChatMessage, createClient, isChatError } from '@ephemeral-chat/sdk';
import { ttlChoices } from '@ephemeral-chat/sdk/constants';
import { localStorageTokenStore } from '@ephemeral-chat/sdk/local-storage';
import { defaultStrings, type EphemeralChat } from '@ephemeral-chat/widget';

export async function main(): Promise<string> {
  const client = createClient({ url: 'http://localhost:8080', tokenStore: localStorageTokenStore('k') });
  try {
    await client.register({ username: 'alice', password: 'correct horse battery staple' });
  } catch (err) {
    if (!isChatError(err, 'username_taken')) throw err;
    const code: 'username_taken' = err.code;
    console.log(code);
  }
  const chat = await client.open('bob');
  const name = (m: ChatMessage): string => chat.sender(m)?.username ?? m.from;
  const frame: ClientFrame | undefined = clientFrameSchema.safeParse({}).data;
  const element: EphemeralChat = document.createElement('ephemeral-chat');
  element.server = 'http://localhost:8080';
  return [name, frame, limits.messageMaxLength, ttlChoices[0]?.ttl, defaultStrings.send].join();
}
`;

describe('the npm packages, packed and installed into an empty project', () => {
  let work: string;
  let project: string;
  let packed: Packed[];
  let server: TestServer;

  beforeAll(async () => {
    for (const built of ['protocol/dist/index.js', 'sdk/dist/index.js', 'widget/dist/index.js']) {
      if (!(await exists(join(repo, 'packages', built)))) {
        throw new Error(`packages/${built} is missing: run \`npm run build\` first.`);
      }
    }
    // Outside the repository, so nothing resolves from its node_modules.
    work = await mkdtemp(join(tmpdir(), 'ec-pack-'));
    const tarballs = join(work, 'tarballs');
    project = join(work, 'app');
    await mkdir(tarballs);
    await mkdir(join(project, 'node_modules'), { recursive: true });
    const args = ['pack', ...packages.flatMap((p) => ['-w', p]), '--pack-destination', tarballs];
    packed = JSON.parse(await npm([...args, '--json', '--loglevel=error'], repo));
    const declared: Record<string, string> = { ws: '*' };
    for (const p of packed) {
      const manifest = JSON.parse(
        await readFile(join(repo, 'node_modules', p.name, 'package.json'), 'utf8'),
      ) as Manifest;
      Object.assign(declared, manifest.dependencies);
    }
    await seedThirdParty(declared, project);
    const ws = JSON.parse(await readFile(join(repo, 'node_modules/ws/package.json'), 'utf8'));
    const pkg = { name: 'app', private: true, type: 'module', dependencies: { ws: ws.version } };
    await writeFile(join(project, 'package.json'), JSON.stringify(pkg, null, 2));
    const files = packed.map((p) => join(tarballs, p.filename));
    await npm(
      ['install', ...files, '--offline', '--no-audit', '--no-fund', '--prefix', project],
      project,
    );
    server = await startTestServer();
  }, 180_000);

  afterAll(async () => {
    await server?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('packs README, package.json, every export target and every source its maps name; no tests or build info', async () => {
    expect(packed.map((p) => p.name)).toEqual(packages);
    for (const p of packed) {
      const files = new Set(p.files.map((f) => f.path));
      const manifest = JSON.parse(
        await readFile(join(project, 'node_modules', p.name, 'package.json'), 'utf8'),
      ) as Manifest;
      expect(files, p.name).toContain('README.md');
      expect(files, p.name).toContain('package.json');
      for (const target of targets(manifest))
        expect(files, `${p.name}: ${target}`).toContain(target);
      const stray = [...files].filter((f) => /\.test\.|tsbuildinfo|(^|\/)test\//.test(f));
      expect(stray, p.name).toEqual([]);
      // A map whose sources are missing makes bundlers warn and debuggers show nothing.
      for (const map of [...files].filter((f) => f.endsWith('.map'))) {
        const json = JSON.parse(
          await readFile(join(project, 'node_modules', p.name, map), 'utf8'),
        ) as { sources: string[]; sourcesContent?: unknown[] };
        if (json.sourcesContent) continue;
        for (const source of json.sources) {
          const path = posix.normalize(posix.join(posix.dirname(map), source));
          // A dist file whose source is gone is a stale build output: delete dist and rebuild.
          expect(files, `${p.name}: ${map} names ${source}, not packed`).toContain(path);
        }
      }
    }
  });

  it('installs offline from the tarballs, with lit and zod from what they declare', async () => {
    for (const name of [...packages, 'lit', 'zod']) {
      expect(await exists(join(project, 'node_modules', name, 'package.json')), name).toBe(true);
    }
    // Installed from the tarballs (copies with their `files` only), not linked to the workspace.
    for (const name of packages) {
      expect((await lstat(join(project, 'node_modules', name))).isSymbolicLink(), name).toBe(false);
    }
    expect(await exists(join(project, 'node_modules/@ephemeral-chat/sdk/test'))).toBe(false);
  });

  it('imports every entry point as ESM in Node', async () => {
    await writeFile(join(project, 'imports.js'), imports);
    const { stdout } = await run(process.execPath, ['imports.js'], {
      cwd: project,
      timeout: 30_000,
    });
    expect(JSON.parse(stdout)).toEqual({
      parses: true,
      maxLength: 4000,
      createClient: 'function',
      ttlChoices: 7,
      localStorageTokenStore: 'function',
      element: 'function',
      standaloneBytes: expect.any(Number),
    });
  });

  it("type-checks an app against the packages' own types", async () => {
    await writeFile(join(project, 'app.ts'), typed);
    const tsconfig = {
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        lib: ['ES2023', 'DOM'],
        types: [],
        strict: true,
        noEmit: true,
        // The packages' .d.ts are checked too: a type they import but do not ship fails here.
        skipLibCheck: false,
      },
      files: ['app.ts'],
    };
    await writeFile(join(project, 'tsconfig.json'), JSON.stringify(tsconfig));
    const tsc = join(repo, 'node_modules/typescript/bin/tsc');
    const result = await run(process.execPath, [tsc, '-p', project], {
      cwd: project,
      timeout: 90_000,
    }).catch((err: { stdout?: string }) => ({ stdout: `failed:\n${err.stdout}` }));
    expect(result.stdout).toBe('');
  }, 120_000);

  it('registers, signs in again and chats against a real server with the SDK from the tarball', async () => {
    await writeFile(join(project, 'app.js'), app);
    const suffix = String(process.pid);
    const { stdout } = await run(process.execPath, ['app.js', server.url, suffix], {
      cwd: project,
      timeout: 30_000,
    });
    expect(JSON.parse(stdout)).toEqual({
      me: `alice_${suffix}`,
      text: 'hello from a tarball',
      sender: `alice_${suffix}`,
      peer: `alice_${suffix}`,
    });
  }, 60_000);
});
