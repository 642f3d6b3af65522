import { describe, expect, it } from 'vitest';
import type { Client, ClientEvents, UserRef } from '../src/load/clients/client.js';
import { seqOf } from '../src/load/clients/client.js';
import { READ_ID_BASE, readOutcomeOf } from '../src/load/clients/json-client.js';
import type { RunSpec } from '../src/load/commands.js';
import { Connections } from '../src/load/connections.js';
import { runTraffic } from '../src/load/traffic.js';
import { parseOptions, systemNames } from '../src/options.js';
import { rowMaker } from '../src/scenarios/rows.js';
import type { Measured } from '../src/scenarios/runs.js';
import { receiptsRate, throughputColumns } from '../src/scenarios/throughput.js';
import { type SystemKey, systemLabel, systemOf } from '../src/sut/sut.js';

const frame = (value: unknown) => Buffer.from(JSON.stringify(value));

describe('receipt frames, read without parsing', () => {
  it('reads the seq of a message event, not a "seq" inside its text', () => {
    const event = frame({
      type: 'message',
      message: { room: 'dm:a:b', seq: 1234567, from: 'a', text: '"seq":9', clientMsgId: '1-2' },
    });
    expect(seqOf(event)).toBe(1234567);
    expect(seqOf(frame({ type: 'message', message: { room: 'dm:a:b', seq: 0 } }))).toBe(0);
    expect(seqOf(frame({ type: 'ack', id: 3 }))).toBeUndefined();
    expect(seqOf(Buffer.from('{"seq":x}'))).toBeUndefined();
  });

  it('tells the reply to a read from a read event, and nothing else is either', () => {
    const reply = { type: 'read', id: READ_ID_BASE, room: 'dm:a:b', userId: 'b', seq: 4 };
    const event = { type: 'read', room: 'dm:a:b', userId: 'b', seq: 4 };
    expect(readOutcomeOf(frame(reply))).toBe('answered');
    expect(readOutcomeOf(frame(event))).toBe('event');
    expect(readOutcomeOf(frame({ type: 'resumed', id: 1, room: 'dm:a:b' }))).toBeUndefined();
    expect(readOutcomeOf(Buffer.from('{"type":"read"'))).toBeUndefined();
    expect(READ_ID_BASE + 2 ** 30 - 1).toBe(2 ** 31 - 1); // the protocol's largest id
  });
});

describe('receipts systems', () => {
  it('are named by --systems and run their engine with receipts', () => {
    const o = parseOptions(['throughput', '--systems=ours-redis,ours-redis+receipts'], '/tmp/r');
    expect(o.systems).toEqual(['ours-redis', 'ours-redis+receipts']);
    expect(() => parseOptions(['--systems=socketio+receipts'], '/tmp/r')).toThrow(/receipts/);
    for (const name of systemNames) expect(systemLabel[name as SystemKey]).toBeTruthy();
    expect(systemOf('ours-redis+receipts')).toEqual({ kind: 'ours-redis', receipts: true });
    expect(systemOf('ours-memory+receipts')).toEqual({ kind: 'ours-memory', receipts: true });
    expect(systemOf('socketio')).toEqual({ kind: 'socketio', receipts: false });
  });

  it('compare receipts with send-only in their own column, counting only reads answered', () => {
    const run = (rate: number, readRate: number) => ({ rate, readRate }) as Measured;
    const m: Partial<Record<SystemKey, Measured>> = {
      'ours-redis': run(10_000, 0),
      'ours-redis+receipts': run(7_000, 6_000),
    };
    const row = rowMaker(m, throughputColumns)('delivered', (x) => x.rate, String);
    expect(row.slice(0, 4)).toEqual(['delivered', '10000', '7000', '0.70×']);
    expect(row[5]).toBe('NaN'); // ours (Memory) + reads did not run
    expect(receiptsRate(run(7_000, 6_000))).toBe(6_000);
    expect(receiptsRate(run(7_000, 7_100))).toBe(7_000);
  });
});

/** Two clients of one room whose "server" acks, delivers and answers reads a turn later. */
function loopback(conns: Connections): void {
  const room = 'dm:0:1';
  const seq = { n: 0 };
  const later = (f: () => void) => setImmediate(f);
  const events = (i: number): ClientEvents => ({
    onAck: (ok) => conns.sink.onAck(i, ok),
    onMessage: (id, f) => conns.sink.onMessage(i, id, f),
    onRead: (outcome) => conns.sink.onRead(i, outcome),
    onClose: (code) => conns.sink.onClose(i, code),
  });
  const both = [events(0), events(1)];
  const client = (self: ClientEvents): Client => ({
    connect: async () => {},
    open: async () => room,
    send(_room, text, _ttl, clientMsgId) {
      later(() => {
        const event = frame({
          type: 'message',
          message: { room, seq: ++seq.n, from: 'x', text, clientMsgId },
        });
        self.onAck(true);
        for (const e of both) e.onMessage(clientMsgId, event);
      });
    },
    read() {
      later(() => {
        self.onRead('answered');
        for (const e of both) e.onRead('event');
      });
    },
    createGroup: async () => room,
    joinGroup: async () => {},
    history: async () => {},
    isOpen: true,
    close() {},
  });
  const user: UserRef = { id: 'u', username: 'u', token: 't', url: 'http://127.0.0.1' };
  conns.clients.push(client(both[0] as ClientEvents), client(both[1] as ClientEvents));
  conns.users.push(user, user);
}

describe('traffic with receipts', () => {
  const spec = (receipts: boolean): RunSpec => ({
    mode: 'closed',
    window: 2,
    ratePerSec: 0,
    warmupMs: 20,
    durationMs: 150,
    ttlMs: 10_000,
    textLength: 8,
    senders: 'both',
    receipts,
  });

  it('sends one read per message the peer gets, and counts replies and events as traffic', async () => {
    const conns = new Connections();
    loopback(conns);
    const r = await runTraffic(conns, [{ a: 0, b: 1, room: 'dm:0:1' }], spec(true));
    expect(r.delivered).toBeGreaterThan(0);
    expect(r.readsSent).toBe(r.delivered);
    expect(Math.abs(r.readsAnswered - r.readsSent)).toBeLessThanOrEqual(4);
    expect(Math.abs(r.readEvents - 2 * r.readsAnswered)).toBeLessThanOrEqual(8);
    expect(r.readsRefused).toBe(0);
  });

  it('sends no read without receipts', async () => {
    const conns = new Connections();
    loopback(conns);
    const r = await runTraffic(conns, [{ a: 0, b: 1, room: 'dm:0:1' }], spec(false));
    expect(r.delivered).toBeGreaterThan(0);
    expect(r.readsSent + r.readsAnswered + r.readEvents).toBe(0);
  });
});
