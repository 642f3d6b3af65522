import { randomUUID } from 'node:crypto';
import type { Message } from '@ephemeral-chat/protocol';
import {
  isMessage,
  registerAt as register,
  registerUser,
  startTestServer,
  type TestServer,
  TestSocket,
} from '@ephemeral-chat/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changed, groupReply } from './helpers/groups.js';
import { scrapeSamples, until } from './helpers/prometheus.js';
import { useTwoNodes } from './helpers/two-nodes.js';

// The lag histograms on real servers: pub/sub lag on the node a message reaches through Redis,
// and the sampled expiry lag of a 10 s message (a burnt or unsent one is dropped, not observed).

const METRICS_TOKEN = 'metrics-token-for-tests-0123456789abcdef';
const auth = { Authorization: `Bearer ${METRICS_TOKEN}` };

async function send(s: TestSocket, frame: Record<string, unknown>): Promise<Message> {
  const reply = await s.request({
    type: 'send',
    text: 'secret',
    clientMsgId: randomUUID(),
    ...frame,
  });
  if (reply.type !== 'ack') throw new Error(JSON.stringify(reply));
  return reply.message;
}

async function openRoom(s: TestSocket, username: string): Promise<string> {
  const reply = await s.request({ type: 'open', username });
  if (reply.type !== 'opened') throw new Error(JSON.stringify(reply));
  return reply.room;
}

describe('ec_pubsub_lag_ms across two nodes', () => {
  const nodes = useTwoNodes({ METRICS_TOKEN, REGISTER_MAX_PER_IP: '1000' });

  it('is observed on the receiving node for a direct message from the other node, and for a group send', async () => {
    const [alice, bob] = await Promise.all([
      register(nodes.a.url, 'lagalice'),
      register(nodes.b.url, 'lagbob'),
    ]);
    const a = await nodes.authed(nodes.a, alice.token);
    const b = await nodes.authed(nodes.b, bob.token);
    const scrapeB = () => scrapeSamples(`${nodes.b.url}/metrics`, auth);
    const before = await scrapeB();
    const count = (s: Map<string, number>, kind: string) =>
      (s.get(`ec_pubsub_lag_ms_count{kind="${kind}"}`) ?? 0) -
      (before.get(`ec_pubsub_lag_ms_count{kind="${kind}"}`) ?? 0);

    const room = await openRoom(a, bob.username);
    const got = b.next(isMessage(room));
    await send(a, { room });
    await got;
    const direct = await scrapeB();
    expect(count(direct, 'direct')).toBeGreaterThanOrEqual(1);
    const sum = direct.get('ec_pubsub_lag_ms_sum{kind="direct"}') ?? Number.NaN;
    expect(sum).toBeGreaterThanOrEqual(0);

    const group = await groupReply(a, {
      type: 'group.create',
      name: 'Lag',
      usernames: [bob.username],
    });
    await changed(b, group.room);
    const inGroup = b.next(isMessage(group.room));
    await send(a, { room: group.room });
    await inGroup;
    expect(count(await scrapeB(), 'group')).toBeGreaterThanOrEqual(1);
  });
});

describe('ec_expiry_lag_ms on RedisEngine', () => {
  let server: TestServer;
  const sockets: TestSocket[] = [];
  beforeAll(async () => {
    server = await startTestServer({ redis: true, env: { METRICS_TOKEN } });
  });
  afterAll(async () => {
    await Promise.all(sockets.map((s) => s.close()));
    await server.close();
  });

  it('observes a 10 s message once its key is gone, and drops a burnt and an unsent one', async () => {
    const alice = await registerUser(server, 'expa');
    const bob = await registerUser(server, 'expb');
    const a = await TestSocket.authed(server.url, alice.token);
    const b = await TestSocket.authed(server.url, bob.token);
    sockets.push(a, b);
    const room = await openRoom(a, bob.username);
    const scrape = () => scrapeSamples(`${server.url}/metrics`, auth);
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

    // At most one message a second is sampled: space the three out.
    const plain = await send(a, { room, ttl: 10_000 });
    await sleep(1100);
    const burnt = await send(a, { room, ttl: 10_000, burn: 5_000 });
    const read = await b.request({ type: 'read', room, seq: burnt.seq });
    expect(read.type).toBe('read');
    await sleep(1100);
    const unsent = await send(a, { room, ttl: 10_000 });
    expect((await a.request({ type: 'unsend', room, seq: unsent.seq })).type).toBe('unsent');

    const after = await until(
      scrape,
      (s) =>
        (s.get('ec_expiry_lag_ms_count') ?? 0) >= 1 &&
        (s.get('ec_expiry_samples_dropped_total') ?? 0) >= 2,
      plain.expiresAt - Date.now() + 8_000,
      'the expiry sample and the two dropped ones',
    );
    // The burnt and unsent messages expire by their TTL after the plain one: wait past them too.
    await sleep(Math.max(0, unsent.expiresAt + 1_000 - Date.now()));
    const last = await scrape();
    expect(last.get('ec_expiry_lag_ms_count')).toBe(1);
    expect(last.get('ec_expiry_samples_dropped_total')).toBe(2);
    expect(last.get('ec_expiry_overdue_total')).toBe(0);
    expect(after.get('ec_expiry_lag_ms_sum')).toBeGreaterThanOrEqual(0);
    expect(after.get('ec_expiry_lag_ms_sum')).toBeLessThan(60_000);
  }, 25_000);
});
