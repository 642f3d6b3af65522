import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineFactories } from '../../../test/helpers/engines.js';
import type { Engine } from '../engine.js';

const engines = engineFactories;

const user = () => `u${randomUUID().slice(0, 8)}`;
const roomOf = (x: string, y: string) => (x < y ? `dm:${x}:${y}` : `dm:${y}:${x}`);

describe.each(engines)('Chat list contract: %s', (_name, open) => {
  let engine: Engine;
  let dispose: () => Promise<void>;
  beforeAll(async () => {
    ({ engine, dispose } = await open());
  });
  afterAll(() => dispose());

  const t0 = Date.now();
  const send = (from: string, to: string, now: number, ttl = 60_000, text = 'hi') =>
    engine.messages
      .append({
        room: roomOf(from, to),
        members: [from, to],
        from,
        text,
        ttl,
        clientMsgId: randomUUID(),
        now,
      })
      .then((r) => r.message);

  it("lists each room's newest unexpired message, newest room first", async () => {
    const [me, bob, carol, dave] = [user(), user(), user(), user()];
    await send(me, bob, t0);
    const toCarol = await send(me, carol, t0 + 10);
    const fromBob = await send(bob, me, t0 + 20, 60_000, 'newest with bob');
    const fromDave = await send(dave, me, t0 + 5);
    expect(await engine.messages.listChats(me, 10, t0 + 30)).toEqual([fromBob, toCarol, fromDave]);
    expect(await engine.messages.listChats(bob, 10, t0 + 30)).toEqual([fromBob]);
  });

  it('returns at most limit chats, the newest ones', async () => {
    const me = user();
    const lasts = [];
    for (let i = 0; i < 4; i++) lasts.push(await send(me, user(), t0 + i));
    expect(await engine.messages.listChats(me, 2, t0 + 10)).toEqual([lasts[3], lasts[2]]);
  });

  it('orders chats written in the same millisecond by seq', async () => {
    const [me, bob] = [user(), user()];
    await send(me, bob, t0);
    const second = await send(bob, me, t0);
    expect(await engine.messages.listChats(me, 10, t0)).toEqual([second]);
  });

  it('leaves out rooms whose messages have all expired', async () => {
    const [me, bob, carol] = [user(), user(), user()];
    await send(me, bob, t0, 10_000);
    const kept = await send(me, carol, t0, 20_000);
    expect(await engine.messages.listChats(me, 10, t0 + 10_000)).toEqual([kept]);
    expect(await engine.messages.listChats(bob, 10, t0 + 10_000)).toEqual([]);
  });

  it('falls back to the newest message that has not expired', async () => {
    const [me, bob] = [user(), user()];
    const longLived = await send(me, bob, t0, 30_000);
    await send(bob, me, t0 + 1, 10_000);
    expect(await engine.messages.listChats(me, 10, t0 + 10_001)).toEqual([longLived]);
  });

  it('leaves out rooms the user is not a member of', async () => {
    const [me, bob, carol] = [user(), user(), user()];
    await send(bob, carol, t0);
    expect(await engine.messages.listChats(me, 10, t0)).toEqual([]);
  });
});
