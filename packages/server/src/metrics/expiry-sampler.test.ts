import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AppendResult, MessageStore } from '../engine/messages/message-store.js';
import { type ExpiryProbe, ExpirySampler, sampleAppends } from './expiry-sampler.js';

// The sampler against a model store (a map of held messages) and fake timers: what it observes,
// drops and gives up on, and how it bounds itself.

const T0 = 1_700_000_000_000;

function setup(options: { maxPending?: number } = {}) {
  const held = new Map<string, number>();
  let fail = false;
  const probe: ExpiryProbe = {
    heldUntil: async (room, from, id) => {
      if (fail) throw new Error('store down');
      return held.get(`${room}/${from}/${id}`);
    },
  };
  const lags: { ms: number; overdue: boolean }[] = [];
  let dropped = 0;
  const sampler = new ExpirySampler(
    probe,
    {
      expiryLag: (ms, overdue) => lags.push({ ms, overdue }),
      expirySampleDropped: () => dropped++,
    },
    { now: Date.now, ...options },
  );
  const store = (id: string, expiresAt: number) => {
    held.set(`r/u/${id}`, expiresAt);
    sampler.offer(() => ({ room: 'r', from: 'u', clientMsgId: id, expiresAt }));
  };
  return {
    sampler,
    held,
    lags,
    store,
    dropped: () => dropped,
    failing: () => {
      fail = true;
    },
  };
}

describe('ExpirySampler', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(T0);
  });
  afterEach(() => vi.useRealTimers());

  it('observes the time from expiresAt to the first poll that finds the message gone', async () => {
    const s = setup();
    s.store('a', T0 + 10_000);
    // Polls at expiresAt + 0, 250, 500, …: still held at +500, gone by +750.
    await vi.advanceTimersByTimeAsync(10_000 + 600);
    expect(s.lags).toEqual([]);
    s.held.delete('r/u/a');
    await vi.advanceTimersByTimeAsync(250);
    expect(s.lags).toEqual([{ ms: 750, overdue: false }]);
    expect(s.sampler.pending).toBe(0);
  });

  it('drops a message gone or ending sooner before its expiresAt (burnt or unsent), observing nothing', async () => {
    const s = setup();
    s.store('burnt', T0 + 10_000);
    await vi.advanceTimersByTimeAsync(2000);
    s.store('unsent', T0 + 12_000);
    s.held.set('r/u/burnt', T0 + 7_000);
    s.held.delete('r/u/unsent');
    await vi.advanceTimersByTimeAsync(20_000);
    expect(s.lags).toEqual([]);
    expect(s.dropped()).toBe(2);
    expect(s.sampler.pending).toBe(0);
  });

  it('gives up 60 s after expiresAt, observing 60 s and counting it overdue', async () => {
    const s = setup();
    s.store('stuck', T0 + 10_000);
    await vi.advanceTimersByTimeAsync(10_000 + 60_000 + 250);
    expect(s.lags).toEqual([{ ms: 60_000, overdue: true }]);
    expect(s.sampler.pending).toBe(0);
  });

  it('takes at most one message a second and at most maxPending at once', async () => {
    const s = setup({ maxPending: 2 });
    s.store('a', T0 + 10_000);
    s.store('b', T0 + 10_000);
    expect(s.sampler.pending).toBe(1);
    await vi.advanceTimersByTimeAsync(1000);
    s.store('c', T0 + 30_000);
    await vi.advanceTimersByTimeAsync(1000);
    s.store('d', T0 + 30_000);
    expect(s.sampler.pending).toBe(2);
  });

  it('drops a sample when the store cannot answer', async () => {
    const s = setup();
    s.store('a', T0 + 10_000);
    s.failing();
    await vi.advanceTimersByTimeAsync(11_000);
    expect(s.dropped()).toBe(1);
    expect(s.lags).toEqual([]);
  });

  it('observes nothing once stopped, and leaves no timer behind', async () => {
    const s = setup();
    s.store('a', T0 + 10_000);
    s.sampler.stop();
    expect(vi.getTimerCount()).toBe(0);
    s.held.clear();
    await vi.advanceTimersByTimeAsync(20_000);
    expect(s.lags).toEqual([]);
    s.store('b', T0 + 40_000);
    expect(s.sampler.pending).toBe(0);
  });

  it('samples a newly stored message through append, never a retry’s duplicate, and passes results and failures through', async () => {
    const s = setup();
    const results: AppendResult[] = [];
    const store = {
      append: async (input: { clientMsgId: string }) => {
        if (input.clientMsgId === 'bad') throw new Error('unavailable');
        const r = results.shift();
        if (!r) throw new Error('no result');
        return r;
      },
    } as unknown as Pick<MessageStore, 'append'>;
    sampleAppends(store, s.sampler);
    const message = { room: 'r', from: 'u', clientMsgId: 'a', expiresAt: T0 + 10_000 };
    const result = (duplicate: boolean) => ({ message, json: '{}', duplicate }) as AppendResult;
    const append = (clientMsgId: string) =>
      store.append({ clientMsgId } as Parameters<MessageStore['append']>[0]);
    results.push(result(true));
    expect((await append('a')).duplicate).toBe(true);
    expect(s.sampler.pending).toBe(0);
    await expect(append('bad')).rejects.toThrow('unavailable');
    results.push(result(false));
    expect((await append('a')).duplicate).toBe(false);
    expect(s.sampler.pending).toBe(1);
  });
});
