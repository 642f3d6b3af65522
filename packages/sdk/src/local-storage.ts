import type { TokenStore } from './token-store.js';

/** The subset of the Web Storage API the adapter uses (`localStorage`, `sessionStorage`). */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/**
 * Keeps the session token in `localStorage` (or any `StorageLike`) under `key`, so a reload stays
 * signed in. Any script on the page can read it there: prefer cookie auth where XSS is a concern.
 */
export function localStorageTokenStore(
  key = 'ephemeral-chat.token',
  storage: StorageLike = (globalThis as unknown as { localStorage: StorageLike }).localStorage,
): TokenStore {
  return {
    get: () => storage.getItem(key) ?? undefined,
    set: (token) => storage.setItem(key, token),
    clear: () => storage.removeItem(key),
  };
}
