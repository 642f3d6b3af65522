import { afterEach, describe, expect, it, vi } from 'vitest';
import { TypingNotifier } from './typing-notifier.js';

describe('TypingNotifier', () => {
  afterEach(() => vi.useRealTimers());

  it('sends "typing" once per refresh period and "stopped" after a quiet spell', () => {
    vi.useFakeTimers();
    const sent: boolean[] = [];
    const n = new TypingNotifier((t) => sent.push(t), 3000, 4000);
    n.input();
    vi.advanceTimersByTime(1000);
    n.input();
    expect(sent).toEqual([true]);
    vi.advanceTimersByTime(2500);
    n.input();
    expect(sent).toEqual([true, true]);
    vi.advanceTimersByTime(4000);
    expect(sent).toEqual([true, true, false]);
    n.stop();
    expect(sent).toEqual([true, true, false]);
  });
});
