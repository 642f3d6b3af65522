import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineFactories } from '../../../test/helpers/engines.js';
import { roomTopic, userTopic } from '../../delivery/topics.js';
import type { Engine } from '../engine.js';

// The account-deletion part of the message seam's contract (purgeUser), on both engines.

describe.each(engineFactories)('Purge contract: %s', (_name, open) => {
  let engine: Engine;
  let dispose: () => Promise<void>;
  beforeAll(async () => {
    ({ engine, dispose } = await open());
  });
  afterAll(() => dispose());

  const t0 = Date.now();
  /** Three fresh ids (sorted), their three 1:1 rooms and a group room. */
  const world = () => {
    const id = randomUUID().slice(0, 8);
    const [u, v, w] = [`a${id}`, `b${id}`, `c${id}`];
    return {
      u,
      v,
      w,
      uv: `dm:${u}:${v}`,
      vw: `dm:${v}:${w}`,
      group: `g:${randomUUID()}`,
    };
  };
  const dm = (room: string, from: string, members: readonly [string, string], text = 'x') =>
    engine.messages
      .append({ room, members, from, text, ttl: 60_000, clientMsgId: randomUUID(), now: t0 })
      .then((r) => r.message);
  const inGroup = (room: string, from: string) =>
    engine.messages
      .append({
        room,
        group: true,
        from,
        text: 'g',
        ttl: 60_000,
        clientMsgId: randomUUID(),
        now: t0,
      })
      .then((r) => r.message);
  const seqs = async (room: string) =>
    (await engine.messages.readAfter(room, 0, 100, t0)).messages.map((m) => m.seq);

  it("removes the user's 1:1 rooms whole and their messages in groups, leaving everyone else's", async () => {
    const x = world();
    await dm(x.uv, x.u, [x.u, x.v]);
    await dm(x.uv, x.v, [x.u, x.v]);
    const kept = await dm(x.vw, x.v, [x.v, x.w]);
    await inGroup(x.group, x.u);
    const theirs = await inGroup(x.group, x.w);
    await inGroup(x.group, x.u);
    const result = await engine.messages.purgeUser(x.u, [x.group], t0);
    expect(result).toEqual({ rooms: 2, messages: 4 });
    expect(await seqs(x.uv)).toEqual([]);
    expect(await seqs(x.vw)).toEqual([kept.seq]);
    expect(await seqs(x.group)).toEqual([theirs.seq]);
    expect((await engine.messages.listChatRows(x.v, 10, t0)).map((r) => r.room)).toEqual([x.vw]);
    expect(await engine.messages.listChatRows(x.u, 10, t0)).toEqual([]);
  });

  it('publishes an unsent event (no text) per message: 1:1 to both members, group to the room', async () => {
    const x = world();
    const m1 = await dm(x.uv, x.v, [x.u, x.v], 'secret words');
    const g1 = await inGroup(x.group, x.u);
    const seen: string[] = [];
    const topics = [userTopic(x.u), userTopic(x.v), roomTopic(x.group)];
    for (const topic of topics)
      await engine.bus.subscribe(topic, (p) => seen.push(`${topic} ${p}`));
    await engine.messages.purgeUser(x.u, [x.group], t0);
    await new Promise((r) => setTimeout(r, 50));
    for (const topic of topics) await engine.bus.unsubscribe(topic);
    const unsent = (room: string, seq: number) => `{"type":"unsent","room":"${room}","seq":${seq}}`;
    expect(seen.sort()).toEqual(
      [
        `${userTopic(x.u)} ${unsent(x.uv, m1.seq)}`,
        `${userTopic(x.v)} ${unsent(x.uv, m1.seq)}`,
        `${roomTopic(x.group)} ${unsent(x.group, g1.seq)}`,
      ].sort(),
    );
  });

  it('is idempotent: a second purge finds nothing', async () => {
    const x = world();
    await dm(x.uv, x.u, [x.u, x.v]);
    await engine.messages.purgeUser(x.u, [], t0);
    expect(await engine.messages.purgeUser(x.u, [x.group], t0)).toEqual({ rooms: 1, messages: 0 });
  });
});
