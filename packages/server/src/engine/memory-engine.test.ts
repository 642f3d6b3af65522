import { describe, expect, it } from 'vitest';
import { MemoryEngine } from './memory-engine.js';
import { RECIPIENT_INDEX_EXTRA_MS, UNSEEN_KEEP_MS } from './messages/retention.js';

describe('MemoryEngine reclaiming', () => {
  it('sweeps away expired messages, rooms, user indexes and presence marks nobody reads, read state a week later', async () => {
    let clock = 1_000_000;
    const engine = new MemoryEngine({ now: () => clock, sweepIntervalMs: 5 });
    try {
      for (let i = 0; i < 50; i++) {
        await engine.messages.append({
          room: `dm:a:b${i}`,
          members: ['a', `b${i}`],
          from: 'a',
          text: 'bye soon',
          ttl: 300,
          clientMsgId: `c${i}`,
          now: clock,
        });
        await engine.presence.markOnline(`b${i}`, 'node-a', 300, clock);
      }
      expect(engine.sizes()).toMatchObject({ rooms: 50, messages: 50, userIndexes: 51 });
      expect(engine.sizes().presence).toBe(50);

      clock += 300;
      // Read state (unseen-expired counts) and the recipients' chat-list entries outlive the
      // messages by UNSEEN_KEEP_MS (a day more for the list), then go too.
      await expect
        .poll(() => engine.sizes())
        .toEqual({ rooms: 50, messages: 0, userIndexes: 50, presence: 0, sessions: 0 });
      clock += UNSEEN_KEEP_MS;
      await expect.poll(() => engine.sizes()).toMatchObject({ rooms: 0, userIndexes: 50 });
      clock += RECIPIENT_INDEX_EXTRA_MS - UNSEEN_KEEP_MS;
      await expect
        .poll(() => engine.sizes())
        .toEqual({ rooms: 0, messages: 0, userIndexes: 0, presence: 0, sessions: 0 });
    } finally {
      await engine.close();
    }
  });

  it('keeps what has not expired when it sweeps', async () => {
    let clock = 1_000_000;
    const engine = new MemoryEngine({ now: () => clock, sweepIntervalMs: 5 });
    try {
      const send = (ttl: number, id: string) =>
        engine.messages.append({
          room: 'dm:a:b',
          members: ['a', 'b'],
          from: 'a',
          text: 't',
          ttl,
          clientMsgId: id,
          now: clock,
        });
      await send(300, 'short');
      const { message } = await send(1_000, 'long');
      clock += 300;
      await expect.poll(() => engine.messages.indexSize('dm:a:b')).toBe(1);
      expect((await engine.messages.readAfter('dm:a:b', 0, 10, clock)).messages).toEqual([message]);
      // The swept id may be used again.
      expect((await send(300, 'short')).duplicate).toBe(false);
    } finally {
      await engine.close();
    }
  });
});
