import { randomUUID } from 'node:crypto';
import { uniquePrefix } from '@ephemeral-chat/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshPair, type Pair } from '../../../test/helpers/engines.js';
import { connectClusterTestEngine } from '../../../test/helpers/redis-cluster-engine.js';
import { roomTopic, userTopic } from '../../delivery/topics.js';
import { keySlot } from '../redis/key-slot.js';
import { roomKeys } from '../redis/redis-keys.js';
import type { RedisEngine } from '../redis-engine.js';

/**
 * A node gathers the sends (and the read marks) of one event-loop turn across rooms; on a Redis
 * Cluster each script call may only touch one slot, so the batch is split per slot.
 */
describe('RedisEngine on a Redis Cluster: batches across slots', () => {
  let engine: RedisEngine;
  let peer: RedisEngine;
  const prefix = uniquePrefix();
  beforeAll(async () => {
    [engine, peer] = await Promise.all([
      connectClusterTestEngine(prefix),
      connectClusterTestEngine(prefix),
    ]);
  });
  afterAll(() => Promise.all([engine.close(), peer.close()]));

  /** At least `n` rooms on `n` different slots. */
  const roomsOnSlots = (n: number): Pair[] => {
    const bySlot = new Map<number, Pair>();
    while (bySlot.size < n) {
      const p = freshPair();
      bySlot.set(keySlot(roomKeys(prefix, p.room).seq), p);
    }
    return [...bySlot.values()];
  };
  const send = (p: Pair, now: number, text = 'hi') =>
    engine.messages.append({
      room: p.room,
      members: p.members,
      from: p.a,
      text,
      ttl: 60_000,
      clientMsgId: randomUUID(),
      now,
    });

  it('stores every send of one turn to rooms on different slots, each in its room', async () => {
    const rooms = roomsOnSlots(12);
    const now = Date.now();
    // Two sends per room, all in one turn: one batch, split into one call per slot.
    const results = await Promise.all(
      rooms.flatMap((p) => [send(p, now, 'one'), send(p, now, 'two')]),
    );
    expect(results.every((r) => !r.duplicate)).toBe(true);
    for (const [i, p] of rooms.entries()) {
      const [first, second] = [results[2 * i], results[2 * i + 1]];
      expect(first?.message.room).toBe(p.room);
      expect(second?.message.seq).toBe((first?.message.seq ?? 0) + 1);
      const page = await engine.messages.readAfter(p.room, 0, 10, now);
      expect(page.messages.map((m) => m.text)).toEqual(['one', 'two']);
      const chats = await engine.messages.listChats(p.b, 10, now);
      expect(chats.map((m) => m.room)).toEqual([p.room]);
    }
  });

  it("puts a group room's channel on the room's slot, so its scripts may SPUBLISH on it", () => {
    const room = `g:${randomUUID()}`;
    const channel = engine.bus.channel(roomTopic(room));
    expect(channel).toBe(`${prefix}{${room}}:room`);
    expect(keySlot(channel)).toBe(keySlot(roomKeys(prefix, room).seq));
  });

  it('answers a retry of every send of a cross-slot batch with its first copy', async () => {
    const rooms = roomsOnSlots(6);
    const now = Date.now();
    const inputs = rooms.map((p) => ({
      room: p.room,
      members: p.members,
      from: p.a,
      text: 'once',
      ttl: 60_000,
      clientMsgId: randomUUID(),
      now,
    }));
    const first = await Promise.all(inputs.map((i) => engine.messages.append(i)));
    const again = await Promise.all(inputs.map((i) => engine.messages.append(i)));
    expect(again.map((r) => r.duplicate)).toEqual(inputs.map(() => true));
    expect(again.map((r) => r.json)).toEqual(first.map((r) => r.json));
  });

  it('marks reads of one turn across slots, and tells the other node', async () => {
    const rooms = roomsOnSlots(8);
    const now = Date.now();
    const sent = await Promise.all(rooms.map((p) => send(p, now)));
    // The sender (a) is served by the other node: it hears each read there.
    const heard: string[] = [];
    await Promise.all(rooms.map((p) => peer.bus.subscribe(userTopic(p.a), (m) => heard.push(m))));
    const marks = await Promise.all(
      rooms.map((p, i) =>
        engine.messages.markRead(p.room, p.b, p.a, sent[i]?.message.seq ?? 0, now),
      ),
    );
    expect(marks.every((m) => m.moved)).toBe(true);
    for (const [i, p] of rooms.entries()) {
      const [state] = await engine.messages.readStates(p.a, [{ room: p.room, peer: p.b }], now);
      expect(state?.peerReadSeq).toBe(sent[i]?.message.seq);
    }
    await expect.poll(() => heard.length).toBe(rooms.length);
    for (const p of rooms) expect(heard.some((h) => h.includes(`"room":"${p.room}"`))).toBe(true);
  });

  it('fans a 1:1 message out to the node serving the recipient, once', async () => {
    const [p] = roomsOnSlots(1) as [Pair];
    const heard: string[] = [];
    await peer.bus.subscribe(userTopic(p.b), (m) => heard.push(m));
    const { message } = await send(p, Date.now(), 'over there');
    await expect.poll(() => heard.length).toBe(1);
    expect(heard[0]).toContain(`"seq":${message.seq}`);
    expect(heard[0]).toContain('over there');
  });
});
