import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@ephemeral-chat/testkit';
import { registerUsers } from '../setup/register-users.js';
import { faults, runSchedule, sleep } from './faults.js';
import { Ledger } from './ledger.js';
import { Nodes } from './nodes.js';
import type { SoakOptions } from './options.js';
import { RedisProcess } from './redis-process.js';
import type { SoakResult } from './report.js';
import { databaseUrl, dropSchema, soakSchemaName } from './schema.js';
import { SEND_DEADLINE_MS, SoakClient } from './soak-client.js';
import { StoredProbe } from './stored-probe.js';

/** After the load: no sends, no faults, so pub/sub and reconnects settle before the sweep. */
const QUIET_S = 10;
/** Time kept for the final sweep at the end of the run. */
const SWEEP_S = 5;

/**
 * One soak: a private redis-server, two nodes, the pairs sending while the faults run, then a
 * quiet period and a final sweep. Everything it started is stopped before it returns or throws.
 */
export async function runSoak(o: SoakOptions, signal: AbortSignal, log: (s: string) => void) {
  const dir = await mkdtemp(join(tmpdir(), 'ec-soak-'));
  const redis = new RedisProcess(await freePort(), dir);
  const schema = soakSchemaName();
  const nodes = new Nodes([await freePort(), await freePort()], {
    redisUrl: redis.url,
    prefix: `soak-${randomBytes(3).toString('hex')}:`,
    databaseUrl,
    schema,
    dataDir: dir,
  });
  const ledger = new Ledger();
  const probe = new StoredProbe(redis.url, nodes.settings.prefix, ledger);
  const clients: SoakClient[] = [];
  try {
    await redis.start();
    await nodes.startAll();
    const [home, other] = nodes.urls as [string, string];
    const users = await registerUsers(home, 2 * o.pairs);
    for (let k = 0; k < o.pairs; k++) {
      const a = users[2 * k];
      const b = users[2 * k + 1];
      if (!a || !b) throw new Error('registration returned too few users');
      clients.push(new SoakClient(`a${k}`, a, b, [home, other], ledger));
      clients.push(new SoakClient(`b${k}`, b, a, [other, home], ledger));
    }
    await Promise.all(clients.map((c) => c.start()));
    log(`${clients.length} clients connected; load for ${o.seconds - QUIET_S - SWEEP_S} s`);

    const startedAt = Date.now();
    probe.start();
    const timers = clients.map((c) => {
      const every = 1000 / o.rate;
      let t: NodeJS.Timeout | undefined;
      const phase = setTimeout(() => {
        t = setInterval(() => c.send(), every);
      }, Math.random() * every);
      return () => {
        clearTimeout(phase);
        clearInterval(t);
      };
    });
    const list = faults(redis, nodes, log);
    const loadS = o.seconds - QUIET_S - SWEEP_S;
    const [ran] = await Promise.all([
      runSchedule(list, loadS, startedAt, signal, log),
      abortable(sleep(loadS * 1000), signal),
    ]);
    for (const stop of timers) stop();
    if (signal.aborted) throw new Error('interrupted');
    log(`load stopped; quiet for ${QUIET_S} s, then the final sweep`);
    await abortable(sleep(Math.max(QUIET_S * 1000, SEND_DEADLINE_MS)), signal);
    await Promise.all(clients.map((c) => c.finalSweep(Date.now() + SWEEP_S * 1000)));
    await probe.poll(true);
    const result: SoakResult = {
      seconds: Math.round((Date.now() - startedAt) / 1000),
      nodes: nodes.urls.length,
      clients: clients.length,
      faults: ran.map((f) => f.name),
      faultsAtS: ran.map((f) => f.atS),
      summary: ledger.summary(startedAt),
    };
    return result;
  } finally {
    for (const c of clients) c.stop();
    probe.stop();
    await nodes.killAll();
    redis.resume(); // a stall interrupted by Ctrl-C leaves it stopped
    await redis.kill();
    await dropSchema(schema).catch((err: Error) => log(`could not drop ${schema}: ${err.message}`));
    await rm(dir, { recursive: true, force: true });
  }
}

function abortable(p: Promise<void>, signal: AbortSignal): Promise<void> {
  return Promise.race([
    p,
    new Promise<void>((resolve) =>
      signal.addEventListener('abort', () => resolve(), { once: true }),
    ),
  ]);
}
