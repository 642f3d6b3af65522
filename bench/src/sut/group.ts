import type { ConnectResult, GroupRunResult, GroupRunSpec } from '../load/commands.js';
import { WorkerPool } from '../load/pool.js';
import { Histogram } from '../stats/histogram.js';
import { type GroupShare, placeGroup, rateShare } from './group-placement.js';
import { sourceAddress } from './pairs.js';
import type { Sut } from './sut.js';

/** A group of a system's users, connected across its nodes and ready to send. */
export interface ConnectedGroup {
  pool: WorkerPool;
  room: string;
  shares: GroupShare[];
  size: number;
  /** From `group.create` sent to every member's connection receiving the group (ms). */
  joinMs: number;
}

/** How long the nodes get, once every member knows it joined, to settle their subscriptions. */
const SETTLE_MS = 300;

/**
 * Connects `size` users spread over the system's nodes, has member 0 create the group with the
 * others, and waits until every member's connection receives the group's messages.
 */
export async function connectGroup(
  sut: Sut,
  size: number,
  senders: number,
  workers: number,
): Promise<ConnectedGroup> {
  const users = await sut.users(size);
  const shares = placeGroup(
    users,
    sut.servers.map((s) => s.url),
    workers,
    senders,
  );
  const pool = await WorkerPool.start(workers);
  try {
    const connected = await pool.all<ConnectResult>((w) => ({
      op: 'connect',
      dialect: sut.dialect,
      users: shares[w]?.users ?? [],
      localAddress: sourceAddress(w),
      concurrency: 32,
    }));
    const failed = connected.find((c) => c.failed > 0);
    if (failed) throw new Error(`${failed.failed} connections failed: ${failed.firstError}`);
    const t0 = performance.now();
    const room = await pool.call<string>(0, {
      op: 'group.create',
      creator: 0,
      name: 'bench',
      members: users.slice(1),
    });
    await pool.all({ op: 'group.join', room });
    const joinMs = performance.now() - t0;
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    return { pool, room, shares, size: users.length, joinMs };
  } catch (err) {
    await pool.close();
    throw err;
  }
}

export interface GroupFigures {
  /** Acknowledged sends per second, and message frames received by all members per second. */
  messageRate: number;
  rate: number;
  /** Of `rate`, those received on the node other than the sender's. */
  crossRate: number;
  /** Send → receipt on the other node. */
  p50: number;
  p99: number;
  p999: number;
  max: number;
  /** Send → receipt on the sender's node (its own echo included). */
  sameNodeP99: number;
  sent: number;
  acked: number;
  refused: number;
  skipped: number;
  closed: number;
  /** Acked messages × members − message frames received, over the whole run (< 0: extra frames). */
  missing: number;
  generatorCores: number;
  generatorLoopP99: number;
}

type RunTimings = Omit<GroupRunSpec, 'room' | 'senders' | 'nodes'>;

/** Runs the group on every worker at once (the rate split by senders) and adds the figures up. */
export async function runGroupOnAll(
  group: ConnectedGroup,
  spec: RunTimings,
): Promise<GroupFigures> {
  const results = await group.pool.all<GroupRunResult>((w) => {
    const share = group.shares[w] ?? { users: [], nodes: [], senders: [] };
    return {
      op: 'group.run',
      ...spec,
      ratePerSec: rateShare(share, group.shares, spec.ratePerSec),
      room: group.room,
      senders: share.senders,
      nodes: share.nodes,
    };
  });
  return groupFigures(results, group.size);
}

/** Adds up what every worker counted in one group run of `size` members. */
export function groupFigures(results: readonly GroupRunResult[], size: number): GroupFigures {
  const cross = new Histogram();
  const same = new Histogram();
  for (const r of results) {
    cross.merge(r.latency);
    same.merge(r.sameNodeLatency);
  }
  const sum = (f: (r: GroupRunResult) => number) => results.reduce((s, r) => s + f(r), 0);
  const seconds = Math.max(...results.map((r) => r.seconds));
  return {
    messageRate: sum((r) => r.acked) / seconds,
    rate: sum((r) => r.delivered) / seconds,
    crossRate: sum((r) => r.crossDelivered) / seconds,
    p50: cross.quantile(0.5),
    p99: cross.quantile(0.99),
    p999: cross.quantile(0.999),
    max: cross.max,
    sameNodeP99: same.quantile(0.99),
    sent: sum((r) => r.sent),
    acked: sum((r) => r.acked),
    refused: sum((r) => r.refused),
    skipped: sum((r) => r.skipped),
    closed: sum((r) => r.closed),
    missing: sum((r) => r.ackedTotal) * size - sum((r) => r.receivedTotal),
    generatorCores: sum((r) => r.cores),
    generatorLoopP99: Math.max(...results.map((r) => r.loopDelayP99)),
  };
}
