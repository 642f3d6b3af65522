import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Dialect, UserRef } from '../load/clients/client.js';
import { registerUsers } from '../setup/register-users.js';
import { relayUsers, seedSocketIoUsers } from '../setup/synthetic-users.js';
import { newPepper, startOurs } from '../targets/ours.js';
import { startRelay, startSocketIo } from '../targets/peers.js';
import { type BenchRedis, openRedis } from '../targets/redis.js';
import { openRedisCluster } from '../targets/redis-cluster.js';
import type { RunningProcess } from '../targets/spawn-process.js';

export type SutKind = 'ours-redis' | 'ours-cluster' | 'ours-memory' | 'socketio' | 'relay';

export const sutLabel: Record<SutKind, string> = {
  'ours-redis': 'ours (Redis)',
  'ours-cluster': 'ours (Redis Cluster)',
  'ours-memory': 'ours (Memory)',
  socketio: 'Socket.IO 4',
  relay: 'uWS relay',
};

/** Ours with every delivered message marked read by its receiver (a `read` frame each). */
export type ReceiptsKind = 'ours-redis+receipts' | 'ours-memory+receipts';

/** A column of the throughput table: a system under test, or ours with read receipts. */
export type SystemKey = SutKind | ReceiptsKind;

export const systemLabel: Record<SystemKey, string> = {
  ...sutLabel,
  'ours-redis+receipts': 'ours (Redis) + reads',
  'ours-memory+receipts': 'ours (Memory) + reads',
};

const receiptsBase: Record<ReceiptsKind, SutKind> = {
  'ours-redis+receipts': 'ours-redis',
  'ours-memory+receipts': 'ours-memory',
};

const isReceipts = (key: SystemKey): key is ReceiptsKind => key in receiptsBase;

/** The system a column starts, and whether its receivers mark every message read. */
export function systemOf(key: SystemKey): { kind: SutKind; receipts: boolean } {
  return isReceipts(key)
    ? { kind: receiptsBase[key], receipts: true }
    : { kind: key, receipts: false };
}

/** A system under test: its server process(es), its Redis, and how to give it users. */
export interface Sut {
  readonly kind: SutKind;
  readonly label: string;
  readonly dialect: Dialect;
  readonly servers: RunningProcess[];
  readonly redis: BenchRedis | undefined;
  /** `count` users able to connect (to server 0; point `url` elsewhere for another node). */
  users(count: number): Promise<UserRef[]>;
  stop(): Promise<void>;
}

/** Starts a fresh system: new processes, a new Redis (or prefix), a new SQLite directory. */
export async function startSut(
  kind: SutKind,
  redisUrl: string | undefined,
  nodes = 1,
  /** Extra environment for ours (e.g. METRICS_TOKEN). */
  env?: Record<string, string>,
): Promise<Sut> {
  const redis =
    kind === 'ours-memory' || kind === 'relay'
      ? undefined
      : kind === 'ours-cluster'
        ? await openRedisCluster()
        : await openRedis(redisUrl);
  const dataDir = kind.startsWith('ours') ? await mkdtemp(join(tmpdir(), 'ec-bench-')) : undefined;
  const pepper = newPepper();
  const servers: RunningProcess[] = [];
  const stop = async () => {
    await Promise.allSettled(servers.map((s) => s.stop()));
    await redis?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  };
  try {
    // One after the other: the first node creates the shared SQLite schema.
    for (let i = 0; i < nodes; i++) {
      if (kind === 'socketio' && redis) servers.push(await startSocketIo(redis));
      else if (kind === 'relay') servers.push(await startRelay());
      else if (dataDir)
        servers.push(await startOurs({ redis, dataDir, pepper, ...(env ? { env } : {}) }));
    }
  } catch (err) {
    await stop();
    throw err;
  }
  const url = servers[0]?.url ?? '';
  return {
    kind,
    label: sutLabel[kind],
    dialect: kind === 'socketio' ? 'socketio' : kind === 'relay' ? 'relay' : 'ours',
    servers,
    redis,
    users(count) {
      if (kind === 'relay') return Promise.resolve(relayUsers(url, count));
      if (kind === 'socketio' && redis) return seedSocketIoUsers(redis, url, count);
      return registerUsers(url, count);
    },
    stop,
  };
}
