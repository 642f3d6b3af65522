import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Message, ServerFrame } from '@ephemeral-chat/protocol';
import {
  type NodeProcess,
  type RedisCluster,
  registerAt,
  startNodeProcess,
  TestSocket,
  uniquePrefix,
} from '@ephemeral-chat/testkit';
import { Redis } from 'ioredis';

/** Two server processes on one Redis Cluster (`REDIS_CLUSTER`), sharing a SQLite directory. */
export interface ClusterNodes {
  readonly a: NodeProcess;
  readonly b: NodeProcess;
  [Symbol.asyncDispose](): Promise<void>;
}

export async function startClusterNodes(
  cluster: RedisCluster,
  env: Record<string, string> = {},
): Promise<ClusterNodes> {
  const dir = await mkdtemp(join(tmpdir(), 'ec-cluster-nodes-'));
  const shared = {
    REDIS_CLUSTER: cluster.seeds,
    REDIS_KEY_PREFIX: uniquePrefix(),
    DATA_DIR: dir,
    PASSWORD_PEPPER: 'a shared pepper of at least thirty-two characters',
    BCRYPT_COST: '4',
    // The load sends more per socket, and registers more users, than the defaults allow.
    WS_SEND_RATE: '1000000',
    WS_SEND_BURST: '1000000',
    WS_FRAME_RATE: '1000000',
    WS_FRAME_BURST: '1000000',
    REGISTER_MAX_PER_IP: '1000000',
    ...env,
  };
  const nodes: NodeProcess[] = [];
  const dispose = async () => {
    await Promise.all(nodes.map((n) => n.kill()));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    // One after the other: the first creates the SQLite schema.
    nodes.push(await startNodeProcess({ ...shared, NODE_ID: 'node-a' }));
    nodes.push(await startNodeProcess({ ...shared, NODE_ID: 'node-b' }));
  } catch (err) {
    await dispose();
    throw err;
  }
  const [a, b] = nodes as [NodeProcess, NodeProcess];
  return { a, b, [Symbol.asyncDispose]: dispose };
}

/** A 1:1 chat between a user on node a and one on node b, and the master serving its slot. */
export interface Pair {
  room: string;
  slot: number;
  /** Port of the master that served the room's slot when the pair was made. */
  master: number;
  a: TestSocket;
  b: TestSocket;
}

/** Slot → master port, from `CLUSTER SLOTS` of a live node. */
async function slotMasters(port: number): Promise<(slot: number) => number> {
  const r = new Redis(port, '127.0.0.1', { maxRetriesPerRequest: 0, retryStrategy: () => null });
  r.on('error', () => {});
  try {
    const ranges = (await r.call('CLUSTER', ['SLOTS'])) as [number, number, [string, number]][];
    return (slot) => ranges.find(([from, to]) => slot >= from && slot <= to)?.[2][1] ?? 0;
  } finally {
    r.disconnect();
  }
}

async function keySlot(port: number, key: string): Promise<number> {
  const r = new Redis(port, '127.0.0.1', { maxRetriesPerRequest: 0, retryStrategy: () => null });
  r.on('error', () => {});
  try {
    return Number(await r.call('CLUSTER', ['KEYSLOT', key]));
  } finally {
    r.disconnect();
  }
}

/**
 * Makes pairs until every master serves at least `perMaster` rooms (or `max` pairs are made): a
 * room's keys are `P{room}:…`, so its slot is that of its id.
 */
export async function makePairs(
  cluster: RedisCluster,
  nodes: ClusterNodes,
  perMaster: number,
  max = 60,
): Promise<Pair[]> {
  const masters = cluster.nodes.filter((n) => n.role === 'master').map((n) => n.port);
  const seed = masters[0] ?? 0;
  const masterOf = await slotMasters(seed);
  const pairs: Pair[] = [];
  const count = (m: number) => pairs.filter((p) => p.master === m).length;
  while (pairs.length < max && masters.some((m) => count(m) < perMaster)) {
    const [ua, ub] = await Promise.all([
      registerAt(nodes.a.url, 'ca'),
      registerAt(nodes.b.url, 'cb'),
    ]);
    const a = await TestSocket.authed(nodes.a.url, ua.token);
    const b = await TestSocket.authed(nodes.b.url, ub.token);
    const opened = await a.request({ type: 'open', username: ub.username });
    if (opened.type !== 'opened') throw new Error(`open failed: ${JSON.stringify(opened)}`);
    const slot = await keySlot(seed, opened.room);
    pairs.push({ room: opened.room, slot, master: masterOf(slot), a, b });
  }
  return pairs;
}

/** One send as the load generator saw it. */
export interface SendRecord {
  room: string;
  /** The message's text: unique, so it identifies the send in history. */
  text: string;
  sentAt: number;
  answeredAt: number;
  result: 'ack' | 'failed' | 'no-answer';
  /** The error code of a failed send. */
  code?: string;
  seq?: number;
}

/**
 * Both members of every pair send to each other, one send in flight per socket and `gapMs`
 * between sends, until `stop()`; every answer is recorded. Live deliveries are counted by text.
 */
export function runLoad(pairs: Pair[], gapMs: number) {
  const records: SendRecord[] = [];
  const delivered = new Set<string>();
  let stopped = false;
  let n = 0;
  const sender = async (socket: TestSocket, room: string, tag: string) => {
    while (!stopped) {
      const text = `${tag}-${n++}`;
      const sentAt = Date.now();
      let reply: ServerFrame | undefined;
      try {
        reply = await socket.request(
          { type: 'send', room, text, ttl: 300_000, clientMsgId: text },
          15_000,
        );
      } catch {
        reply = undefined;
      }
      const answeredAt = Date.now();
      // Only live message events are left in the buffer (the reply was taken out): count them.
      for (const f of socket.frames.splice(0))
        if (f.type === 'message') delivered.add(f.message.text);
      if (reply?.type === 'ack') {
        records.push({ room, text, sentAt, answeredAt, result: 'ack', seq: reply.message.seq });
      } else if (reply?.type === 'error') {
        records.push({ room, text, sentAt, answeredAt, result: 'failed', code: reply.error.code });
      } else {
        records.push({ room, text, sentAt, answeredAt, result: 'no-answer' });
      }
      if (socket.ws.readyState !== socket.ws.OPEN) return;
      await new Promise((r) => setTimeout(r, gapMs));
    }
  };
  const running = pairs.flatMap((p, i) => [
    sender(p.a, p.room, `p${i}a`),
    sender(p.b, p.room, `p${i}b`),
  ]);
  return {
    records,
    delivered,
    async stop() {
      stopped = true;
      await Promise.all(running);
      for (const p of pairs) {
        for (const s of [p.a, p.b]) {
          for (const f of s.frames.splice(0))
            if (f.type === 'message') delivered.add(f.message.text);
        }
      }
    },
  };
}

/** Every stored message of a room, paging `resume` from the start. */
export async function storedMessages(socket: TestSocket, room: string): Promise<Message[]> {
  const all: Message[] = [];
  let after = 0;
  for (let page = 0; page < 1000; page++) {
    const reply = await socket.request({ type: 'resume', room, after }, 15_000);
    if (reply.type !== 'resumed') throw new Error(`resume failed: ${JSON.stringify(reply)}`);
    all.push(...reply.messages);
    const last = reply.messages.at(-1);
    if (!reply.hasMore || !last) return all;
    after = last.seq;
  }
  throw new Error('resume did not end');
}

/** What was acked, failed and stored, compared: the figures of a kill-a-master run. */
export interface Audit {
  acked: number;
  failed: number;
  noAnswer: number;
  /** Acked sends not stored afterwards. */
  lost: SendRecord[];
  /** Sends answered failed that are stored anyway (must be none). */
  failedButStored: SendRecord[];
  /** Acked sends whose (room, seq) now holds another message: a seq handed out twice. */
  seqReused: SendRecord[];
  /** Acked sends never delivered live to the peer. */
  undelivered: number;
}

export async function audit(
  pairs: Pair[],
  records: SendRecord[],
  delivered: Set<string>,
): Promise<Audit> {
  const stored = new Map<string, Map<string, number>>();
  for (const p of pairs) {
    const messages = await storedMessages(p.a, p.room);
    stored.set(p.room, new Map(messages.map((m) => [m.text, m.seq])));
  }
  const seqText = new Map<string, string>();
  for (const [room, texts] of stored)
    for (const [text, seq] of texts) seqText.set(`${room}#${seq}`, text);
  const acked = records.filter((r) => r.result === 'ack');
  const failed = records.filter((r) => r.result === 'failed');
  return {
    acked: acked.length,
    failed: failed.length,
    noAnswer: records.filter((r) => r.result === 'no-answer').length,
    lost: acked.filter((r) => !stored.get(r.room)?.has(r.text)),
    failedButStored: failed.filter((r) => stored.get(r.room)?.has(r.text)),
    seqReused: acked.filter((r) => {
      const now = seqText.get(`${r.room}#${r.seq}`);
      return now !== undefined && now !== r.text;
    }),
    undelivered: acked.filter((r) => !delivered.has(r.text)).length,
  };
}

export async function closePairs(pairs: Pair[]): Promise<void> {
  await Promise.all(pairs.flatMap((p) => [p.a.close(), p.b.close()]));
}
