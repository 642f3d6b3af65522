import { describe, expect, it } from 'vitest';
import type { Client, ClientEvents, UserRef } from '../src/load/clients/client.js';
import type { GroupRunSpec } from '../src/load/commands.js';
import { Connections } from '../src/load/connections.js';
import { runGroupTraffic } from '../src/load/group-traffic.js';
import { groupFigures } from '../src/sut/group.js';

const ROOM = 'g:00000000-0000-4000-8000-000000000000';
const user: UserRef = { id: 'u', username: 'u', token: 't', url: 'http://127.0.0.1' };

/**
 * Two generator "workers" (Connections) of two members each, nodes 0 and 1, on a fake group
 * server that acks a send a turn later and hands the message to every member's connection;
 * `drop(n)` says whether the n-th delivery (counted from 0) is lost.
 */
function fakeGroup(drop: (n: number) => boolean = () => false): Connections[] {
  const workers = [new Connections(), new Connections()];
  const members: ClientEvents[] = [];
  let deliveries = 0;
  for (const conns of workers) {
    for (let i = 0; i < 2; i++) {
      const events: ClientEvents = {
        onAck: (ok) => conns.sink.onAck(i, ok),
        onMessage: (id, f) => conns.sink.onMessage(i, id, f),
        onRead: (outcome) => conns.sink.onRead(i, outcome),
        onClose: (code) => conns.sink.onClose(i, code),
      };
      members.push(events);
      const client: Client = {
        connect: async () => {},
        open: async () => ROOM,
        createGroup: async () => ROOM,
        joinGroup: async () => {},
        send(_room, _text, _ttl, clientMsgId) {
          setImmediate(() => {
            events.onAck(true);
            const frame = Buffer.from(
              `{"type":"message","message":{"clientMsgId":"${clientMsgId}"}}`,
            );
            for (const m of members) if (!drop(deliveries++)) m.onMessage(clientMsgId, frame);
          });
        },
        read() {},
        history: async () => {},
        isOpen: true,
        close() {},
      };
      conns.clients.push(client);
      conns.users.push(user);
    }
  }
  return workers;
}

const spec = (sender: number): GroupRunSpec => ({
  mode: 'closed',
  window: 2,
  ratePerSec: 0,
  warmupMs: 20,
  durationMs: 150,
  ttlMs: 10_000,
  textLength: 8,
  room: ROOM,
  senders: [sender],
  nodes: [0, 1],
});

describe('group traffic', () => {
  it('counts a delivery at every member, half of them on the other node, and none missing', async () => {
    const [a, b] = fakeGroup();
    const results = await Promise.all([
      runGroupTraffic(a as Connections, spec(0)),
      runGroupTraffic(b as Connections, spec(1)),
    ]);
    const f = groupFigures(results, 4);
    expect(f.acked).toBeGreaterThan(0);
    expect(f.missing).toBe(0);
    expect(f.refused + f.closed + f.skipped).toBe(0);
    // Deliveries inside the window: about members × acked (the edges of the window differ).
    expect(Math.abs(f.rate / f.messageRate - 4)).toBeLessThan(0.5);
    expect(Math.abs(f.crossRate / f.rate - 0.5)).toBeLessThan(0.1);
    expect(f.p99).toBeGreaterThanOrEqual(0);
    expect(f.p99).toBeLessThan(1000);
  });

  it('reports deliveries that never arrived as missing', async () => {
    const [a, b] = fakeGroup((n) => n === 10 || n === 11);
    const results = await Promise.all([
      runGroupTraffic(a as Connections, spec(0)),
      runGroupTraffic(b as Connections, spec(1)),
    ]);
    expect(groupFigures(results, 4).missing).toBe(2);
  });
});
