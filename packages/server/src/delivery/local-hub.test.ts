import { closeCodes } from '@ephemeral-chat/protocol';
import { describe, expect, it } from 'vitest';
import type { ConnectionData, Socket } from '../ws/connection.js';
import { end, LocalHub } from './local-hub.js';

/** A stand-in for a uWS socket that records what reaches the wire, write by write. */
function fakeSocket(options: { buffered?: number } = {}) {
  const writes: string[][] = [];
  const closed: { code: number; reason: string }[] = [];
  let corked: string[] | undefined;
  let sent = 0;
  const data = { closed: false, outbox: undefined } as unknown as ConnectionData;
  const ws = {
    getUserData: () => data,
    cork(fn: () => void) {
      corked = [];
      fn();
      writes.push(corked);
      corked = undefined;
    },
    send(frame: string) {
      if (!corked) throw new Error('send outside cork');
      corked.push(frame);
      sent += frame.length;
      return 1;
    },
    // A client that does not read: what is sent stays buffered.
    getBufferedAmount: () => (options.buffered === undefined ? 0 : options.buffered + sent),
    end(code: number, reason: string) {
      closed.push({ code, reason });
    },
  } as unknown as Socket;
  return { ws, data, writes, closed };
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('LocalHub', () => {
  it("writes each socket's frames of one turn together, in order, after the turn", async () => {
    const hub = new LocalHub(1024);
    const [a, b] = [fakeSocket(), fakeSocket()];
    hub.add('alice', a.ws);
    hub.add('bob', b.ws);
    hub.send(a.ws, 'ack 1');
    hub.deliverToUser('bob', 'message 1');
    hub.deliverToUser('alice', 'message 1');
    hub.send(a.ws, 'ack 2');
    expect(a.writes).toEqual([]);
    await nextTurn();
    expect(a.writes).toEqual([['ack 1', 'message 1', 'ack 2']]);
    expect(b.writes).toEqual([['message 1']]);

    hub.send(a.ws, 'later');
    await nextTurn();
    expect(a.writes).toEqual([['ack 1', 'message 1', 'ack 2'], ['later']]);
  });

  it('never touches a socket that closed before the flush', async () => {
    const hub = new LocalHub(1024);
    const a = fakeSocket();
    hub.send(a.ws, 'lost with the socket');
    a.data.closed = true;
    await nextTurn();
    expect(a.writes).toEqual([]);
  });

  it('closes a socket past the backpressure limit as a slow consumer, instead of dropping frames', async () => {
    const hub = new LocalHub(1024);
    const slow = fakeSocket({ buffered: 1020 });
    hub.send(slow.ws, 'one');
    hub.send(slow.ws, 'two');
    await nextTurn();
    expect(slow.closed).toEqual([{ code: closeCodes.slow_consumer.code, reason: 'slow consumer' }]);
    // Closed before the frame that would pass the limit, so the close frame itself fits.
    expect(slow.writes).toEqual([['one']]);
    hub.send(slow.ws, 'after');
    await nextTurn();
    expect(slow.writes).toEqual([['one']]);
  });

  it('sends one frame of any size on an empty buffer', async () => {
    const hub = new LocalHub(1024);
    const a = fakeSocket();
    hub.send(a.ws, 'x'.repeat(2000));
    await nextTurn();
    expect(a.closed).toEqual([]);
    expect(a.writes).toEqual([['x'.repeat(2000)]]);
  });

  it('writes a queue of one turn at once when it passes the limit, in order', async () => {
    const hub = new LocalHub(1024);
    const a = fakeSocket();
    for (let i = 0; i < 5; i++) hub.send(a.ws, `${i}`.repeat(300));
    expect(a.writes).toEqual([['0', '1', '2', '3'].map((c) => c.repeat(300))]);
    await nextTurn();
    expect(a.writes).toEqual([['0', '1', '2', '3'].map((c) => c.repeat(300)), ['4'.repeat(300)]]);
    expect(a.closed).toEqual([]);
  });

  it('closes a socket whose early-written queue meets a full buffer', async () => {
    const hub = new LocalHub(1024);
    const slow = fakeSocket({ buffered: 900 });
    for (let i = 0; i < 5; i++) hub.send(slow.ws, 'y'.repeat(300));
    expect(slow.closed).toEqual([{ code: closeCodes.slow_consumer.code, reason: 'slow consumer' }]);
    expect(slow.writes).toEqual([[]]);
  });

  it('end() writes the frames still queued (the error that explains a close) before closing', async () => {
    const hub = new LocalHub(1024);
    const a = fakeSocket();
    hub.send(a.ws, 'error: too many bad frames');
    end(a.ws, closeCodes.protocol_violation.code, 'too many bad frames');
    expect(a.writes).toEqual([['error: too many bad frames']]);
    expect(a.closed).toEqual([
      { code: closeCodes.protocol_violation.code, reason: 'too many bad frames' },
    ]);
    await nextTurn();
    expect(a.writes).toHaveLength(1);
  });
});
