import { randomUUID } from 'node:crypto';
import {
  isMessage,
  registerUser,
  startTestServer,
  type TestServer,
  TestSocket,
} from '@ephemeral-chat/testkit';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// `/metrics` on a real server: absent without METRICS_TOKEN, guarded with it, Prometheus text that
// moves with traffic and never names a user, a room or a text.

const METRICS_TOKEN = 'metrics-token-for-tests-0123456789abcdef';

/** `name{labels} value` lines of the exposition format, keyed by `name{labels}`. */
function parsePrometheus(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  const sample =
    /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*",?)*\})? (\S+)$/;
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('# HELP ') || line.startsWith('# TYPE ')) continue;
    const m = sample.exec(line);
    if (!m) throw new Error(`not a Prometheus sample line: ${line}`);
    const raw = m[3] ?? '';
    const value = Number(raw);
    // Prometheus reads values with Go's ParseFloat: NaN in any case (prom-client writes `Nan`).
    if (Number.isNaN(value) && raw.toLowerCase() !== 'nan')
      throw new Error(`bad value in: ${line}`);
    samples.set(`${m[1]}${m[2] ?? ''}`, value);
  }
  return samples;
}

async function scrape(server: TestServer, authorization?: string) {
  const res = await fetch(`${server.url}/metrics`, {
    headers: authorization === undefined ? {} : { Authorization: authorization },
  });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

describe('/metrics without METRICS_TOKEN', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('answers 404, as if it did not exist', async () => {
    const res = await scrape(server, `Bearer ${METRICS_TOKEN}`);
    expect(res.status).toBe(404);
    expect(JSON.parse(res.text).error.code).toBe('not_found');
  });
});

describe.each([
  { name: 'MemoryEngine', redis: false },
  { name: 'RedisEngine', redis: true },
])('/metrics with METRICS_TOKEN on $name', ({ redis }) => {
  let server: TestServer;
  const sockets: TestSocket[] = [];
  const metrics = async () => {
    const res = await scrape(server, `Bearer ${METRICS_TOKEN}`);
    expect(res.status).toBe(200);
    expect(res.type).toMatch(/^text\/plain; version=0\.0\.4/);
    return { text: res.text, samples: parsePrometheus(res.text) };
  };

  beforeAll(async () => {
    server = await startTestServer({ redis, env: { METRICS_TOKEN } });
  });
  afterAll(async () => {
    await Promise.all(sockets.map((s) => s.close()));
    await server.close();
  });

  it('refuses a missing or wrong token with 401 admin_token_invalid', async () => {
    for (const auth of [
      undefined,
      'Bearer x',
      `Bearer ${METRICS_TOKEN}x`,
      `Bearer ${METRICS_TOKEN.slice(1)}`,
      `Basic ${METRICS_TOKEN}`,
      METRICS_TOKEN,
    ]) {
      const res = await scrape(server, auth);
      expect(res.status).toBe(401);
      expect(JSON.parse(res.text).error.code).toBe('admin_token_invalid');
      expect(res.text).not.toContain('ec_');
    }
  });

  it('refuses every other Authorization header (fuzzed), never serving the metrics', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ maxLength: 80 }),
          fc.string({ maxLength: 80 }).map((s) => `Bearer ${s}`),
          fc
            .nat({ max: METRICS_TOKEN.length - 1 })
            .map((n) => `Bearer ${METRICS_TOKEN.slice(0, n)}`),
        ),
        async (raw) => {
          // fetch refuses header values with control characters or non-Latin-1: not a request.
          const auth = raw.replace(/[^\x20-\x7e]/g, '');
          fc.pre(/^\s*Bearer\s+(\S+)\s*$/i.exec(auth)?.[1] !== METRICS_TOKEN);
          const res = await scrape(server, auth);
          expect(res.status).toBe(401);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('serves Prometheus text whose counters move with a register, auth, send and delivery, naming no user, room or text', async () => {
    const before = (await metrics()).samples;
    const alice = await registerUser(server, 'metra');
    const bob = await registerUser(server, 'metrb');
    const a = await TestSocket.authed(server.url, alice.token);
    const b = await TestSocket.authed(server.url, bob.token);
    sockets.push(a, b);
    const opened = await a.request({ type: 'open', username: bob.username });
    if (opened.type !== 'opened') throw new Error(JSON.stringify(opened));
    const text = `secret words ${randomUUID()}`;
    const gotIt = b.next(isMessage(opened.room));
    const ack = await a.request({
      type: 'send',
      room: opened.room,
      text,
      clientMsgId: randomUUID(),
    });
    expect(ack.type).toBe('ack');
    await gotIt;
    const bad = await a.request({
      type: 'send',
      room: 'no-such-room',
      text: 'x',
      clientMsgId: 'c1',
    });
    expect(bad.type).toBe('error');

    const { text: out, samples } = await metrics();
    const grew = (key: string, by = 1) =>
      expect((samples.get(key) ?? 0) - (before.get(key) ?? 0), key).toBeGreaterThanOrEqual(by);
    grew('ec_auth_total{result="ok"}', 2);
    grew('ec_frames_total{type="auth",result="ok"}', 2);
    grew('ec_frames_total{type="open",result="ok"}');
    grew('ec_frames_total{type="send",result="ok"}');
    // A frame its schema refuses has no trusted type: counted as `invalid`, by error code.
    if (bad.type !== 'error') throw new Error(JSON.stringify(bad));
    grew(`ec_frames_total{type="invalid",result="${bad.error.code}"}`);
    grew('ec_sends_total');
    // welcome ×2, opened, ack, the message to bob (and alice's other copies), the error.
    grew('ec_deliveries_total', 5);
    grew('ec_delivery_latency_ms_count');
    expect(samples.get('ec_connections{state="authenticated"}')).toBeGreaterThanOrEqual(2);
    expect(samples.get('ec_connections{state="open"}')).toBeGreaterThanOrEqual(2);
    const redisTimed = [...samples.keys()].filter((k) =>
      k.startsWith('ec_redis_command_duration_ms_count{command="'),
    );
    if (redis) expect(redisTimed.length).toBeGreaterThan(0);
    else expect(redisTimed).toEqual([]);
    // Event-loop delay and GC come from prom-client's default metrics (GC only once one ran).
    expect(out).toContain('# TYPE nodejs_eventloop_lag_p99_seconds gauge');
    expect(out).toContain('# TYPE nodejs_gc_duration_seconds histogram');

    for (const secret of [alice.id, bob.id, alice.username, bob.username, opened.room, text]) {
      expect(out.toLowerCase()).not.toContain(secret.toLowerCase());
    }
  });
});
