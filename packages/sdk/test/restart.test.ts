import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { ChatMessage, ConnectionState } from '../src/index.js';
import { startChatServer, until } from './helpers/chat-server.js';

/** A `ws` WebSocket that, while `gate.open` is false, dials a closed port instead. */
function gated(gate: { open: boolean }) {
  return class GatedWebSocket extends WebSocket {
    constructor(url: string) {
      super(gate.open ? url : 'ws://127.0.0.1:9/ws');
    }
  };
}

const key = (m: ChatMessage) => `${m.room}#${m.seq}`;

describe('reconnect after a server crash', () => {
  it('reconnects by itself; every acked unexpired message arrives exactly once and queued sends land once', async () => {
    await using server = await startChatServer();
    const gate = { open: true };
    const alice = await server.user('alice', { WebSocket: gated(gate) });
    const bob = await server.user('bob');
    const aliceChat = await alice.open(bob.user?.username ?? '');
    const bobChat = await bob.open(alice.user?.username ?? '');

    const aliceGot: ChatMessage[] = [];
    const bobGot: ChatMessage[] = [];
    alice.on('message', (m) => aliceGot.push(m));
    bob.on('message', (m) => bobGot.push(m));
    const aliceStates: ConnectionState[] = [];
    alice.on('state', (s) => aliceStates.push(s));

    const acked: ChatMessage[] = [];
    for (const text of ['b1', 'b2', 'b3']) acked.push(await bobChat.send(text));
    acked.push(await aliceChat.send('a1'));
    await until(() => aliceGot.length === 4 && bobGot.length === 4, 'live delivery');

    // Crash the server with a send of bob's possibly in flight; alice cannot come back yet.
    gate.open = false;
    const inFlight = bobChat.send('b-inflight');
    await server.kill();
    await until(() => alice.state === 'reconnecting' && bob.state === 'reconnecting', 'the drop');
    const aliceQueued = [aliceChat.send('a2'), aliceChat.send('a3')];
    const bobQueued = [bobChat.send('b4'), bobChat.send('b5')];

    await server.start();
    // Bob comes back first: his queued sends land and he sends more while alice is away.
    acked.push(...(await Promise.all([inFlight, ...bobQueued])));
    acked.push(await bobChat.send('b6'));
    expect(alice.state).toBe('reconnecting');

    gate.open = true;
    acked.push(...(await Promise.all(aliceQueued)));
    await until(() => alice.state === 'open', 'alice to reconnect', 15_000);
    expect(aliceStates).toEqual(['reconnecting', 'open']);

    const texts = ['b1', 'b2', 'b3', 'a1', 'b-inflight', 'b4', 'b5', 'b6', 'a2', 'a3'];
    expect(acked.map((m) => m.text).sort()).toEqual([...texts].sort());
    await until(() => aliceGot.length >= texts.length, 'alice to catch up');
    await until(() => bobGot.length >= texts.length, 'bob to catch up');
    await new Promise((r) => setTimeout(r, 300)); // room for any duplicate to show up

    for (const got of [aliceGot, bobGot]) {
      expect(new Set(got.map(key)).size).toBe(got.length);
      expect(got.map((m) => m.text).sort()).toEqual([...texts].sort());
    }
    expect(aliceChat.messages().map((m) => m.seq)).toEqual(bobChat.messages().map((m) => m.seq));
    expect(new Set(acked.map(key))).toEqual(new Set(aliceChat.messages().map(key)));

    // The server holds each message once: the retried sends were idempotent.
    const third = server.client({ tokenStore: alice.options.tokenStore });
    await third.connect();
    const stored = (await third.open(bob.user?.username ?? '')).messages().map((m) => m.text);
    expect(stored.sort()).toEqual([...texts].sort());
  }, 40_000);
});
