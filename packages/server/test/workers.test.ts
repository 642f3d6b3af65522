import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { closeCodes } from '@ephemeral-chat/protocol';
import {
  deleteKeys,
  freePort,
  goodPassword,
  isMessage,
  registerAt,
  requireRedis,
  TestSocket,
  testRedisUrl,
  uniquePrefix,
} from '@ephemeral-chat/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scrapeSamples } from './helpers/prometheus.js';

// WORKERS=2: the built server as an operator runs it (dist/main.js), one port served by two
// worker processes on one Redis, with the default SQLite file shared by both.

const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const METRICS_TOKEN = 'metrics-token-for-workers-0123456789abcdef';

interface LogLine {
  msg?: string;
  url?: string;
  workers?: number;
  worker?: number;
  pid?: number;
  role?: string;
  [key: string]: unknown;
}

/** The primary process, its JSON log lines (its own and its workers'), and its exit. */
class Primary {
  readonly lines: LogLine[] = [];
  readonly raw: string[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  #waiters: { match(l: LogLine): boolean; resolve(l: LogLine): void }[] = [];

  constructor(readonly child: ChildProcess) {
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (text) => {
      this.raw.push(text);
      let line: LogLine;
      try {
        line = JSON.parse(text) as LogLine;
      } catch {
        return;
      }
      this.lines.push(line);
      for (const w of [...this.#waiters]) {
        if (w.match(line)) {
          this.#waiters.splice(this.#waiters.indexOf(w), 1);
          w.resolve(line);
        }
      }
    });
    child.stderr?.on('data', (d: Buffer) => this.raw.push(String(d)));
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
  }

  /** The first log line (seen or future) that matches; fails with the log after `ms`. */
  waitFor(match: (l: LogLine) => boolean, what: string, ms = 20_000): Promise<LogLine> {
    const seen = this.lines.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no log line "${what}" within ${ms} ms:\n${this.raw.join('\n')}`)),
        ms,
      );
      this.#waiters.push({
        match,
        resolve: (l) => {
          clearTimeout(timer);
          resolve(l);
        },
      });
      void this.exited.then(({ code }) =>
        reject(new Error(`server exited (${code}) before "${what}":\n${this.raw.join('\n')}`)),
      );
    });
  }

  /** Worker pids from the `worker ready`/`worker restarted` lines, latest per worker. */
  workerPids(): Map<number, number> {
    const pids = new Map<number, number>();
    for (const l of this.lines) {
      if ((l.msg === 'worker ready' || l.msg === 'worker restarted') && l.worker && l.pid)
        pids.set(l.worker, l.pid);
    }
    return pids;
  }

  async kill(): Promise<void> {
    const pids = [...this.workerPids().values()];
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGKILL');
      await this.exited;
    }
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
}

function startPrimary(env: Record<string, string | undefined>): Primary {
  const base: Record<string, string | undefined> = { ...process.env };
  for (const key of ['REDIS_URL', 'DATABASE_URL', 'PASSWORD_PEPPER', 'NODE_ID', 'WORKERS']) {
    delete base[key];
  }
  return new Primary(
    spawn(process.execPath, [main], {
      env: { ...base, HOST: '127.0.0.1', PORT: '0', LOG_FORMAT: 'json', LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** `name{labels}` → value of a Prometheus text body (the main port's /metrics, or `url` as is). */
function scrape(url: string): Promise<Map<string, number>> {
  return scrapeSamples(url.endsWith('/metrics') ? url : `${url}/metrics`, {
    Authorization: `Bearer ${METRICS_TOKEN}`,
    Connection: 'close',
  });
}

describe('WORKERS refused without the Redis engine', () => {
  it('exits 1 at start-up with a message naming REDIS_URL', async () => {
    const primary = startPrimary({ WORKERS: '2' });
    const { code } = await primary.exited;
    expect(code).toBe(1);
    expect(primary.raw.join('\n')).toMatch(
      /Invalid configuration:\n {2}- WORKERS: 2 workers need the Redis engine: set REDIS_URL=/,
    );
  });

  it('exits 1 on a WORKERS value that is not auto or 1–64', async () => {
    const primary = startPrimary({ WORKERS: '65' });
    expect((await primary.exited).code).toBe(1);
    expect(primary.raw.join('\n')).toMatch(/WORKERS: Use auto \(one per core\) or a whole number/);
  });
});

describe('WORKERS=2 on Redis', () => {
  let primary: Primary;
  let url: string;
  let metricsUrl: string;
  let dataDir: string;
  const prefix = uniquePrefix();
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    await requireRedis();
    dataDir = await mkdtemp(join(tmpdir(), 'ec-workers-'));
    const metricsPort = await freePort();
    metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
    primary = startPrimary({
      WORKERS: '2',
      REDIS_URL: testRedisUrl,
      REDIS_KEY_PREFIX: prefix,
      DATA_DIR: dataDir,
      BCRYPT_COST: '4',
      METRICS_TOKEN,
      METRICS_PORT: String(metricsPort),
      // Bare sockets stay open while the test counts where they landed.
      WS_AUTH_TIMEOUT_MS: '60000',
      REGISTER_MAX_PER_IP: '1000',
    });
    const ready = await primary.waitFor(
      (l) => l.role === 'primary' && l.workers === 2 && typeof l.url === 'string',
      'listening with 2 workers',
      30_000,
    );
    url = String(ready.url);
  }, 40_000);

  afterAll(async () => {
    await Promise.all(sockets.map((s) => s.close().catch(() => {})));
    await primary?.kill();
    await deleteKeys(prefix);
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('starts two workers, each a node of its own, and says so once with the port', () => {
    const ready = primary.lines.filter((l) => l.msg === 'worker ready');
    expect(ready.map((l) => l.worker).sort()).toEqual([1, 2]);
    const ids = ready.map((l) => String(l.nodeId));
    expect(ids[0]).not.toBe(ids[1]);
    expect(ids.every((id) => /-w[12]$/.test(id))).toBe(true);
    expect(new Set(ready.map((l) => l.port))).toEqual(new Set([Number(new URL(url).port)]));
    const listening = primary.lines.filter((l) => l.role === 'primary' && l.workers === 2);
    expect(listening).toHaveLength(1);
    expect(listening[0]?.msg).toContain(`listening on ${url} with 2 workers`);
  });

  it('registers users through both workers on the shared SQLite file, and they chat', async () => {
    // Concurrent registrations open several connections: both workers write the one file.
    const users = await Promise.all(Array.from({ length: 12 }, (_, i) => registerAt(url, `w${i}`)));
    const [alice, bob] = users;
    if (!alice || !bob) throw new Error('no users');
    const a = await TestSocket.authed(url, alice.token);
    const b = await TestSocket.authed(url, bob.token);
    sockets.push(a, b);
    const opened = await a.request({ type: 'open', username: bob.username });
    if (opened.type !== 'opened') throw new Error(JSON.stringify(opened));
    const ack = await a.request({
      type: 'send',
      room: opened.room,
      text: 'hello across workers',
      ttl: 60_000,
      clientMsgId: 'm1',
    });
    if (ack.type !== 'ack') throw new Error(JSON.stringify(ack));
    const live = await b.next(isMessage(opened.room));
    expect(live).toMatchObject({ type: 'message', message: ack.message });
    // One pepper for both (resolved by the primary): each worker verifies every password.
    const logins = await Promise.all(
      users.map((u) =>
        fetch(`${url}/api/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', Connection: 'close' },
          body: JSON.stringify({ username: u.username, password: goodPassword }),
        }).then((r) => r.status),
      ),
    );
    expect(logins).toEqual(users.map(() => 200));
  });

  it('spreads connections over both workers, and /metrics on either counts them all', async () => {
    const before = (await scrape(url)).get('ec_connections{state="open"}') ?? 0;
    const bare: TestSocket[] = [];
    let perWorker: number[] = [];
    // The kernel hashes each connection to a listening socket: a handful lands on both.
    while (bare.length < 200) {
      const batch = await Promise.all(Array.from({ length: 10 }, () => TestSocket.connect(url)));
      bare.push(...batch);
      sockets.push(...batch);
      const samples = await scrape(url);
      perWorker = [1, 2].map((w) => samples.get(`ec_worker_connections{worker="${w}"}`) ?? 0);
      if (perWorker.every((n) => n > 0)) {
        expect(samples.get('ec_connections{state="open"}')).toBe(before + bare.length);
        break;
      }
    }
    expect(
      perWorker.every((n) => n > 0),
      `connections per worker: ${perWorker}`,
    ).toBe(true);
    // Scrapes land on either worker, on PORT and on METRICS_PORT: each answers the merged totals.
    for (let i = 0; i < 4; i++) {
      for (const where of [url, metricsUrl]) {
        const samples = await scrape(where);
        expect(samples.get('ec_connections{state="open"}')).toBe(before + bare.length);
        expect(samples.get('ec_worker_connections{worker="1"}')).toBe(perWorker[0]);
      }
    }
    // A burst of concurrent scrapes on both ports: each answers the same totals (a scrape
    // landing on a worker while another's collection is in flight shares it).
    const burst = await Promise.all(
      Array.from({ length: 24 }, (_, i) => scrape(i % 2 === 0 ? url : metricsUrl)),
    );
    for (const samples of burst)
      expect(samples.get('ec_connections{state="open"}')).toBe(before + bare.length);
    await Promise.all(bare.map((s) => s.close()));
  });

  it('restarts a worker that dies, and serves on', async () => {
    const pids = primary.workerPids();
    const victim = pids.get(1);
    if (!victim) throw new Error('no pid for worker 1');
    process.kill(victim, 'SIGKILL');
    await primary.waitFor(
      (l) => l.msg === 'worker restarted' && l.worker === 1,
      'worker 1 restarted',
    );
    expect(
      primary.lines.some(
        (l) => l.role === 'primary' && /worker 1 exited \(signal SIGKILL\)/.test(String(l.msg)),
      ),
    ).toBe(true);
    const fresh = primary.workerPids().get(1);
    expect(fresh).not.toBe(victim);
    const carol = await registerAt(url, 'carol');
    const c = await TestSocket.authed(url, carol.token);
    sockets.push(c);
    expect((await scrape(url)).get('ec_connections{state="open"}')).toBeGreaterThan(0);
  }, 45_000);

  it('on SIGTERM closes every worker gracefully (going-away) and exits 0', async () => {
    const dave = await registerAt(url, 'dave');
    const clients = await Promise.all(
      Array.from({ length: 8 }, () => TestSocket.authed(url, dave.token)),
    );
    const pids = [...primary.workerPids().values()];
    expect(pids).toHaveLength(2);
    primary.child.kill('SIGTERM');
    const { code } = await primary.exited;
    expect(code).toBe(0);
    for (const client of clients) {
      expect((await client.closed).code).toBe(closeCodes.going_away.code);
    }
    expect(pids.filter(isAlive)).toEqual([]);
    const stopped = primary.lines.filter((l) => l.msg === 'ephemeral-chat stopped');
    expect(new Set(stopped.map((l) => l.worker))).toEqual(new Set([1, 2]));
  });
});

describe('WORKERS=2 when a worker keeps dying', () => {
  it('restarts it with a growing back-off, then gives up and exits non-zero', async () => {
    await requireRedis();
    const prefix = uniquePrefix();
    const dataDir = await mkdtemp(join(tmpdir(), 'ec-workers-'));
    const primary = startPrimary({
      WORKERS: '2',
      REDIS_URL: testRedisUrl,
      REDIS_KEY_PREFIX: prefix,
      DATA_DIR: dataDir,
      BCRYPT_COST: '4',
    });
    try {
      await primary.waitFor((l) => l.role === 'primary' && l.workers === 2, 'listening', 30_000);
      const delays: number[] = [];
      for (let crash = 1; crash <= 5; crash++) {
        const pid = primary.workerPids().get(2);
        if (!pid) throw new Error('no pid for worker 2');
        process.kill(pid, 'SIGKILL');
        if (crash === 5) break;
        const restarts = () => primary.lines.filter((l) => l.msg === 'worker restarted');
        const seen = restarts().length;
        await primary.waitFor(
          (l) => l.msg === 'worker restarted' && restarts().length > seen,
          `restart ${crash}`,
        );
        delays.push(
          Number(
            primary.lines.filter((l) => typeof l.restartInMs === 'number').at(-1)?.restartInMs,
          ),
        );
      }
      expect(delays).toEqual([250, 500, 1000, 2000]);
      expect((await primary.exited).code).toBe(1);
      expect(primary.raw.join('\n')).toMatch(/worker 2 died 5 times within 60 s: giving up/);
      // Worker 1 was stopped gracefully on the way out.
      expect(primary.lines.some((l) => l.worker === 1 && l.msg === 'ephemeral-chat stopped')).toBe(
        true,
      );
    } finally {
      await primary.kill();
      await deleteKeys(prefix);
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 90_000);
});
