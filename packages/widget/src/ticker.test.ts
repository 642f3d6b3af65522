import { afterEach, describe, expect, it, vi } from 'vitest';
import { Ticker } from './ticker.js';

describe('Ticker', () => {
  afterEach(() => vi.useRealTimers());

  it('drives every subscriber from one timer and stops when the last one leaves', () => {
    vi.useFakeTimers();
    const spy = vi.spyOn(globalThis, 'setInterval');
    const ticker = new Ticker(250);
    const a = vi.fn();
    const b = vi.fn();
    const offA = ticker.subscribe(a);
    const offB = ticker.subscribe(b);
    vi.advanceTimersByTime(1000);
    expect(a).toHaveBeenCalledTimes(4);
    expect(b).toHaveBeenCalledTimes(4);
    expect(spy).toHaveBeenCalledTimes(1);
    offA();
    expect(ticker.running).toBe(true);
    offB();
    expect(ticker.running).toBe(false);
    vi.advanceTimersByTime(1000);
    expect(b).toHaveBeenCalledTimes(4);
  });
});
