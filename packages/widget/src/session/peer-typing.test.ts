import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PeerTyping } from './peer-typing.js';

describe('PeerTyping', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('keeps who types per room, in the order they started, and reports only changes', () => {
    const typing = new PeerTyping();
    let changes = 0;
    typing.subscribe(() => changes++);
    typing.set('g:1', 'bob', true);
    typing.set('g:1', 'carol', true);
    typing.set('g:1', 'bob', true);
    typing.set('dm:a:b', 'bob', true);
    expect(typing.who('g:1')).toEqual(['bob', 'carol']);
    expect(typing.has('dm:a:b')).toBe(true);
    expect(changes).toBe(3);
    typing.set('g:1', 'bob', false);
    expect(typing.who('g:1')).toEqual(['carol']);
    expect(typing.has('g:2')).toBe(false);
  });

  it('lets a "typing" lapse when its "stopped" never comes', () => {
    const typing = new PeerTyping(1000);
    typing.set('g:1', 'bob', true);
    vi.advanceTimersByTime(999);
    expect(typing.has('g:1')).toBe(true);
    vi.advanceTimersByTime(1);
    expect(typing.who('g:1')).toEqual([]);
  });
});
