import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, normalize } from 'node:path';
import { promisify } from 'node:util';
import { type Chat, type ChatMessage, type Client, createClient } from '@ephemeral-chat/sdk';
import { goodPassword, newUsername } from '@ephemeral-chat/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  copyParts,
  dockerInstructions,
  envFileEntries,
  readRepoFile,
  repoRoot,
  serverEnvNames,
  yamlBlock,
  yamlEntries,
} from './helpers/deploy-files.js';
import {
  components,
  isRunning,
  type LocalDeployment,
  startLocalDeployment,
} from './helpers/local-deployment.js';
import { trackedWebSocket } from './helpers/tracked-websocket.js';

const run = promisify(execFile);

// `docker compose config` validates the compose file without a container engine, when the
// compose plugin is installed (it is not on this machine: the static checks below stand in).
const composePlugin = await run('docker', ['compose', 'version']).then(
  () => true,
  () => false,
);
if (!composePlugin) {
  console.log(
    'deploy/compose.yaml: no `docker compose` plugin here: `docker compose config` skipped',
  );
}

/** Waits for `done()`, polling; fails with what it waited for and the state so far. */
async function until(done: () => boolean, timeoutMs: number, what: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${what()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** One user of the chat through the balancer, with what it sent and received. */
interface Party {
  username: string;
  client: Client;
  /** The node behind each WebSocket it opened, in order. */
  servedBy: string[];
  chat?: Chat;
  /** The peer's messages, as the client emitted them (live or recovered on resume). */
  received: ChatMessage[];
  /** Its own sends the server acknowledged. */
  acked: ChatMessage[];
  failed: { text: string; error: unknown }[];
  /** Sends started. */
  started: number;
}

async function signUp(url: string, base: string): Promise<Party> {
  const { WebSocket, servedBy } = trackedWebSocket();
  const client = createClient({ url, WebSocket });
  const username = newUsername(base);
  await client.register({ username, password: goodPassword });
  const party: Party = {
    username,
    client,
    servedBy,
    received: [],
    acked: [],
    failed: [],
    started: 0,
  };
  client.on('message', (m) => {
    if (m.from !== client.user?.id) party.received.push(m);
  });
  await client.connect();
  return party;
}

interface Sender {
  /** Starts one more send now. */
  sendOne(): void;
  /** Stops sending; resolves once every send has settled. */
  stop(): Promise<void>;
}

/** Sends `<prefix>-<n>` every `everyMs` until stopped. */
function keepSending(party: Party, prefix: string, everyMs: number): Sender {
  const chat = party.chat;
  if (!chat) throw new Error('open the chat first');
  const settling: Promise<void>[] = [];
  let n = 0;
  const sendOne = () => {
    const text = `${prefix}-${n++}`;
    party.started += 1;
    settling.push(
      chat.send(text, { ttl: 600_000 }).then(
        (m) => void party.acked.push(m),
        (error: unknown) => void party.failed.push({ text, error }),
      ),
    );
  };
  const timer = setInterval(sendOne, everyMs);
  return {
    sendOne,
    async stop() {
      clearInterval(timer);
      await Promise.all(settling);
    },
  };
}

/** How many times each text occurs. */
function counts(messages: readonly ChatMessage[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of messages) out.set(m.text, (out.get(m.text) ?? 0) + 1);
  return out;
}

/** Every message of the room as the server holds it, read by a fresh client of `username`. */
async function serverHistory(url: string, username: string, peer: string): Promise<ChatMessage[]> {
  const { WebSocket } = trackedWebSocket();
  const client = createClient({ url, WebSocket });
  try {
    await client.login({ username, password: goodPassword });
    await client.connect();
    const chat = await client.open(peer);
    const all = [...chat.messages()];
    let more = chat.hasMore;
    while (more) {
      const before = Math.min(...all.map((m) => m.seq));
      const page = await chat.history({ before, limit: 100 });
      all.push(...page.messages);
      more = page.hasMore && page.messages.length > 0;
    }
    return all;
  } finally {
    client.disconnect();
  }
}

const last = (list: readonly string[]) => list[list.length - 1];

describe('deploy/local: two nodes behind HAProxy', () => {
  let deployment: LocalDeployment | undefined;
  const parties: Party[] = [];

  beforeAll(async () => {
    deployment = await startLocalDeployment({
      BCRYPT_COST: '4',
      REGISTER_MAX_PER_IP: '1000',
      WS_SEND_RATE: '100',
      WS_SEND_BURST: '100',
      LOG_LEVEL: 'warn',
    });
  }, 150_000);
  afterAll(async () => {
    for (const p of parties) p.client.disconnect();
    await deployment?.[Symbol.asyncDispose]();
  }, 60_000);

  it('starts with one command and says where it listens', () => {
    expect(deployment?.output).toMatch(/ephemeral-chat is up at http:\/\/localhost:\d+/);
  });

  it('a client whose node is killed mid-conversation goes on through the other node, losing nothing acknowledged', async () => {
    const url = deployment?.url ?? '';
    const alice = await signUp(url, 'alice');
    const bob = await signUp(url, 'bob');
    parties.push(alice, bob);
    // leastconn puts the second socket on the other node; reconnect bob until it is so.
    for (let i = 0; i < 6 && last(bob.servedBy) === last(alice.servedBy); i++) {
      bob.client.disconnect();
      await bob.client.connect();
    }
    const victim = last(alice.servedBy);
    expect(victim === 'node1' || victim === 'node2', `alice's node: ${victim}`).toBe(true);
    expect(last(bob.servedBy), 'alice and bob on different nodes').not.toBe(victim);
    alice.chat = await alice.client.open(bob.username);
    bob.chat = await bob.client.open(alice.username);

    const aliceSends = keepSending(alice, 'a', 40);
    const bobSends = keepSending(bob, 'b', 40);
    const progress = () =>
      `alice acked ${alice.acked.length} (failed ${alice.failed.length}), bob acked ` +
      `${bob.acked.length} (failed ${bob.failed.length}), alice's nodes ${alice.servedBy}, ` +
      `state ${alice.client.state}`;
    await until(() => alice.acked.length >= 15 && bob.acked.length >= 15, 30_000, progress);

    // The crash: SIGKILL to alice's node while both keep sending, right after five more sends
    // of hers have left (in the socket, in the node, or stored with the ack not yet out).
    const victimPid = await deployment?.pid(victim as 'node1' | 'node2');
    if (!victimPid) throw new Error(`no pid for ${victim}`);
    for (let i = 0; i < 5; i++) aliceSends.sendOne();
    await new Promise((r) => setImmediate(r));
    process.kill(victimPid, 'SIGKILL');
    const killedAt = Date.now();
    const before = { alice: alice.acked.length, bob: bob.acked.length };
    const inFlight = alice.started - alice.acked.length - alice.failed.length;
    await until(
      () => alice.servedBy.length > 1 && alice.client.state === 'open',
      30_000,
      () => `alice did not reconnect through HAProxy: ${progress()}`,
    );
    // Printed, not asserted: the machine is shared and noisy.
    const backAfterMs = Date.now() - killedAt;
    await until(
      () => alice.acked.length >= before.alice + 15 && bob.acked.length >= before.bob + 15,
      30_000,
      () => `sends after the kill: ${progress()}`,
    );
    await Promise.all([aliceSends.stop(), bobSends.stop()]);

    // Alice resumed on the surviving node only; every send settled, none failed.
    expect(
      alice.servedBy.slice(1).every((node) => node !== victim),
      `${alice.servedBy}`,
    ).toBe(true);
    expect(alice.failed.map((f) => f.text)).toEqual([]);
    expect(bob.failed.map((f) => f.text)).toEqual([]);

    // Every acknowledged message reaches its receiver, once: bob's live ones from alice (whose
    // node died under some of them), alice's recovered ones from bob (sent while she was away).
    for (const [sender, receiver] of [
      [alice, bob],
      [bob, alice],
    ] as const) {
      const sent = sender.acked.map((m) => m.text);
      await until(
        () => sent.every((t) => receiver.received.some((m) => m.text === t)),
        20_000,
        () => {
          const got = new Set(receiver.received.map((m) => m.text));
          return `${receiver.username} misses ${sent.filter((t) => !got.has(t)).join(', ')}`;
        },
      );
      const got = counts(receiver.received);
      expect(
        [...got].filter(([, n]) => n > 1),
        'delivered twice',
      ).toEqual([]);
      expect([...got.keys()].sort(), 'delivered but never acknowledged').toEqual(sent.sort());
    }

    // The server holds each acknowledged message exactly once, under one seq each.
    const history = await serverHistory(url, bob.username, alice.username);
    const held = counts(history);
    const acked = [...alice.acked, ...bob.acked].map((m) => m.text);
    expect(
      [...held].filter(([, n]) => n > 1),
      'stored twice',
    ).toEqual([]);
    expect([...held.keys()].sort()).toEqual(acked.sort());
    expect(new Set(history.map((m) => m.seq)).size).toBe(history.length);
    console.log(
      `deploy e2e: killed ${victim}; alice ${alice.acked.length} acked (${before.alice} before ` +
        `the kill, ${inFlight} in flight), bob ${bob.acked.length} (${before.bob}); lost 0, ` +
        `duplicated 0; alice back on the other node after ${backAfterMs} ms; alice's ` +
        `sockets: ${alice.servedBy.join(' → ')}`,
    );
  }, 120_000);

  it('down.sh stops every process up.sh started', async () => {
    for (const p of parties) p.client.disconnect();
    const d = deployment;
    if (!d) throw new Error('not started');
    const pids = await Promise.all(components.map((name) => d.pid(name)));
    const output = await d.down();
    for (const [i, pid] of pids.entries()) {
      expect(isRunning(pid), `${components[i]} (pid ${pid}) still runs:\n${output}`).toBe(false);
    }
  }, 60_000);
});

describe('deploy/Dockerfile', () => {
  const steps = dockerInstructions(readRepoFile('deploy/Dockerfile'));
  const runtime = Math.max(...steps.map((s) => s.stage));
  const final = steps.filter((s) => s.stage === runtime);

  it('builds in one stage and runs in another, both on node:20-bookworm-slim', () => {
    const froms = steps.filter((s) => s.op === 'FROM').map((s) => s.args);
    expect(froms).toEqual(['node:20-bookworm-slim AS build', 'node:20-bookworm-slim']);
    const build = steps.filter((s) => s.stage === 0 && s.op === 'RUN').map((s) => s.args);
    expect(build.join('\n')).toMatch(/g\+\+/);
    expect(build.join('\n')).toMatch(/npm ci/);
    expect(build.join('\n')).toMatch(/npm run build && npm prune --omit=dev/);
  });

  it('copies into the build stage only files that exist, and every workspace manifest', () => {
    const copies = steps
      .filter((s) => s.op === 'COPY' && s.stage === 0)
      .map((s) => copyParts(s.args));
    for (const { sources } of copies) {
      for (const source of sources) expect(existsSync(join(repoRoot, source)), source).toBe(true);
    }
    const copied = new Set(copies.flatMap((c) => c.sources));
    const { workspaces } = JSON.parse(readRepoFile('package.json')) as { workspaces: string[] };
    for (const w of workspaces) expect(copied.has(`${w}/package.json`), w).toBe(true);
  });

  it('takes into the runtime stage only what the build stage has or produces', () => {
    const rootBuild = (JSON.parse(readRepoFile('package.json')) as { scripts: { build: string } })
      .scripts.build;
    const copies = final.filter((s) => s.op === 'COPY').map((s) => copyParts(s.args));
    expect(copies.every((c) => c.from === 'build')).toBe(true);
    for (const { sources } of copies) {
      for (const source of sources) {
        const path = source.replace(/^\/app\//, '');
        const built = /^(.+)\/dist$/.exec(path)?.[1];
        // A dist folder is built by the root build script (tsc -b <package>, the widget bundle).
        const ok =
          path === 'node_modules' ||
          existsSync(join(repoRoot, path)) ||
          (built !== undefined && rootBuild.includes(built));
        expect(ok, source).toBe(true);
      }
    }
  });

  it('takes every file the server reads beside its code into the runtime stage', () => {
    // What lands where: a source copied into `dir/` becomes `dir/<its name>`.
    const taken = final
      .filter((s) => s.op === 'COPY')
      .flatMap((s) => {
        const { sources, dest } = copyParts(s.args);
        return sources.map((src) => (dest.endsWith('/') ? join(dest, basename(src)) : dest));
      });
    // `new URL('<relative>', import.meta.url)` in the server's source, as resolved from dist.
    const dir = join(repoRoot, 'packages/server/src');
    const sources = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter(
      (f) => f.endsWith('.ts') && !f.endsWith('.test.ts'),
    );
    const read: string[] = [];
    for (const file of sources) {
      const text = readFileSync(join(dir, file), 'utf8');
      for (const [, rel = ''] of text.matchAll(/new URL\('([^']+)', import\.meta\.url\)/g)) {
        const built = join('packages/server/dist', dirname(file), rel.replace(/\.ts$/, '.js'));
        read.push(normalize(built));
      }
    }
    expect(read.length).toBeGreaterThan(0);
    for (const path of read) {
      expect(
        taken.some((dest) => path === dest || path.startsWith(`${dest}/`)),
        `${path} is read at run time but not copied`,
      ).toBe(true);
    }
  });

  it('runs the built server as the unprivileged node user, with a health check', () => {
    const users = final.filter((s) => s.op === 'USER').map((s) => s.args);
    expect(users).toEqual(['node']);
    const cmdAt = final.findIndex((s) => s.op === 'CMD');
    expect(final.findIndex((s) => s.op === 'USER')).toBeLessThan(cmdAt);
    const cmd = JSON.parse(final[cmdAt]?.args ?? '[]') as string[];
    expect(cmd).toEqual(['node', '--max-semi-space-size=64', 'packages/server/dist/main.js']);
    // tsc compiles packages/server/src into dist: main.ts is what main.js is built from.
    const tsconfig = readRepoFile('packages/server/tsconfig.json');
    expect(tsconfig).toMatch(/"rootDir": "src", "outDir": "dist"/);
    expect(existsSync(join(repoRoot, 'packages/server/src/main.ts'))).toBe(true);
    const health = final.find((s) => s.op === 'HEALTHCHECK')?.args ?? '';
    expect(health).toMatch(/CMD \["node", "-e", ".*\/healthz/);
    expect(health).not.toMatch(/curl|wget/);
    expect(final.find((s) => s.op === 'EXPOSE')?.args).toBe('8080');
    expect(final.find((s) => s.op === 'ENV')?.args).toMatch(/PORT=8080/);
  });

  it('keeps node_modules, builds and local state out of the build context', () => {
    const ignored = readRepoFile('.dockerignore').split('\n');
    for (const entry of ['**/node_modules', '**/dist', '.git', 'deploy/local/.state']) {
      expect(ignored, entry).toContain(entry);
    }
  });
});

describe('deploy/compose.yaml', () => {
  const compose = readRepoFile('deploy/compose.yaml');
  const known = serverEnvNames();
  const nodeEnv = (node: string) =>
    new Map([
      ...yamlEntries(yamlBlock(compose, ['x-node-env'])),
      ...yamlEntries(yamlBlock(compose, ['services', node, 'environment'])),
    ]);

  it('runs Redis, PostgreSQL, two nodes and HAProxy', () => {
    const services = [...yamlEntries(yamlBlock(compose, ['services'])).keys()];
    expect(services).toEqual(
      expect.arrayContaining(['redis', 'postgres', 'node1', 'node2', 'haproxy']),
    );
  });

  it('gives the nodes only variables the server knows, pointing at the services', () => {
    expect(known.size).toBeGreaterThan(30);
    for (const node of ['node1', 'node2']) {
      const env = nodeEnv(node);
      env.delete('<<');
      for (const name of env.keys()) expect(known.has(name), `${node}: ${name}`).toBe(true);
      expect(env.get('REDIS_URL')).toBe('redis://redis:6379');
      expect(env.get('DATABASE_URL')).toMatch(
        /^postgres:\/\/ephemeral:.*@postgres:5432\/ephemeral$/,
      );
      expect(env.get('TRUST_PROXY')).toBe('true');
      expect(env.get('NODE_ID')).toBe(node);
    }
    // The env file reaches both nodes; what only compose reads is named in it.
    const example = envFileEntries(readRepoFile('deploy/.env.example'));
    for (const name of example.keys()) {
      if (name === 'POSTGRES_PASSWORD' || name === 'EC_LB_PORT') continue;
      expect(known.has(name), `.env.example: ${name}`).toBe(true);
    }
    expect(example.get('PASSWORD_PEPPER')?.length).toBeGreaterThanOrEqual(32);
  });

  it('runs Redis with AOF and hz 100, and waits for healthy stores and nodes', () => {
    const conf = readRepoFile('deploy/redis.conf');
    for (const line of ['appendonly yes', 'appendfsync everysec', 'hz 100']) {
      expect(conf.split('\n'), line).toContain(line);
    }
    expect(compose).toMatch(/- \.\/redis\.conf:\/usr\/local\/etc\/redis\/redis\.conf:ro/);
    for (const service of ['redis', 'postgres']) {
      expect(yamlBlock(compose, ['services', service, 'healthcheck']).length).toBeGreaterThan(0);
    }
    const anchor = yamlBlock(compose, ['x-node', 'depends_on']).join('\n');
    expect(anchor).toMatch(/redis:\s+condition: service_healthy/);
    expect(anchor).toMatch(/postgres:\s+condition: service_healthy/);
    const lb = yamlBlock(compose, ['services', 'haproxy', 'depends_on']).join('\n');
    expect(lb).toMatch(/node1:\s+condition: service_healthy\s+node2:\s+condition: service_healthy/);
  });

  it("hands HAProxy a configuration it accepts, with the nodes' addresses", async () => {
    const env = yamlEntries(yamlBlock(compose, ['services', 'haproxy', 'environment']));
    expect(env.get('EC_NODE1')).toBe('node1:8080');
    expect(env.get('EC_NODE2')).toBe('node2:8080');
    // The container resolves node1/node2; here, the same file is checked with local addresses.
    const checked = await run('haproxy', ['-c', '-f', join(repoRoot, 'deploy/haproxy.cfg')], {
      env: {
        ...process.env,
        EC_LB_BIND: ':8080',
        EC_NODE1: '127.0.0.1:8081',
        EC_NODE2: '127.0.0.1:8082',
      },
    }).catch((err: Error) => {
      throw new Error(
        `haproxy -c failed (is haproxy installed? apt-get install haproxy): ${err.message}`,
      );
    });
    expect(checked.stdout + checked.stderr).toMatch(/Configuration file is valid/);
  });

  it.skipIf(!composePlugin)('passes `docker compose config` (client-side, offline)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ec-compose-'));
    try {
      for (const f of ['compose.yaml', 'redis.conf', 'haproxy.cfg']) {
        await copyFile(join(repoRoot, 'deploy', f), join(dir, f));
      }
      await copyFile(join(repoRoot, 'deploy/.env.example'), join(dir, '.env'));
      await run('docker', ['compose', '-f', join(dir, 'compose.yaml'), 'config', '--quiet']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
