import { describe, expect, it } from 'vitest';
import { localStorageTokenStore } from './local-storage.js';
import { memoryTokenStore } from './token-store.js';

describe('token stores', () => {
  it('keeps the token in memory only', () => {
    const store = memoryTokenStore();
    expect(store.get()).toBeUndefined();
    store.set('t1');
    expect(store.get()).toBe('t1');
    store.clear();
    expect(store.get()).toBeUndefined();
  });

  it('keeps the token in a Web Storage under its key', () => {
    const data = new Map<string, string>();
    const storage = {
      getItem: (k: string) => data.get(k) ?? null,
      setItem: (k: string, v: string) => void data.set(k, v),
      removeItem: (k: string) => void data.delete(k),
    };
    const store = localStorageTokenStore('my.key', storage);
    expect(store.get()).toBeUndefined();
    store.set('t2');
    expect(data.get('my.key')).toBe('t2');
    expect(localStorageTokenStore('my.key', storage).get()).toBe('t2');
    store.clear();
    expect(data.size).toBe(0);
  });
});
