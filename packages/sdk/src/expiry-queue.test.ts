import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Clock } from './clock.js';
import { ExpiryQueue } from './expiry-queue.js';

describe('ExpiryQueue', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_000_000 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('fires thousands of entries at their instants, in order, with one pending timer', () => {
    const clock = new Clock();
    const queue = new ExpiryQueue(clock);
    const start = Date.now();
    const fired: { at: number; firedAt: number }[] = [];
    // 5000 entries in scrambled order over 50 s.
    for (let i = 0; i < 5000; i++) {
      const at = start + 10 + ((i * 7919) % 50_000);
      queue.add(at, () => fired.push({ at, firedAt: Date.now() }));
    }
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(25_000);
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(25_100);
    expect(fired).toHaveLength(5000);
    expect(vi.getTimerCount()).toBe(0);
    for (const f of fired) expect(f.firedAt).toBe(f.at);
    expect(fired.map((f) => f.at)).toEqual([...fired.map((f) => f.at)].sort((a, b) => a - b));
  });

  it('re-arms for an entry earlier than the one it waits for', () => {
    const queue = new ExpiryQueue(new Clock());
    const order: string[] = [];
    queue.add(Date.now() + 10_000, () => order.push('late'));
    queue.add(Date.now() + 1000, () => order.push('early'));
    vi.advanceTimersByTime(1000);
    expect(order).toEqual(['early']);
    vi.advanceTimersByTime(9000);
    expect(order).toEqual(['early', 'late']);
  });

  it('runs on server time: a server 5 s ahead fires 5 s earlier by the local clock', () => {
    const clock = new Clock();
    const now = Date.now();
    clock.sample(now, now, now + 5000);
    const queue = new ExpiryQueue(clock);
    let fired = false;
    queue.add(clock.now() + 10_000, () => {
      fired = true;
    });
    vi.advanceTimersByTime(9999);
    expect(fired).toBe(false);
    vi.advanceTimersByTime(1);
    expect(fired).toBe(true);
  });

  it('fires at once an entry already due, and accepts entries added while firing', () => {
    const queue = new ExpiryQueue(new Clock());
    const seen: number[] = [];
    queue.add(Date.now() - 1, () => {
      seen.push(1);
      queue.add(Date.now() + 100, () => seen.push(2));
    });
    vi.advanceTimersByTime(0);
    expect(seen).toEqual([1]);
    vi.advanceTimersByTime(100);
    expect(seen).toEqual([1, 2]);
  });

  it('leaves no timer behind once cleared', () => {
    const queue = new ExpiryQueue(new Clock());
    queue.add(Date.now() + 100, () => {});
    queue.clear();
    expect(queue.size).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });
});
