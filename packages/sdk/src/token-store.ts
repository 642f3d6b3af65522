/**
 * Where the session token lives. Memory by default (nothing persisted); `localStorageTokenStore`
 * (from `@ephemeral-chat/sdk/local-storage`) keeps it across page loads. Methods may be async.
 */
export interface TokenStore {
  get(): string | undefined | Promise<string | undefined>;
  set(token: string): void | Promise<void>;
  clear(): void | Promise<void>;
}

/** Keeps the token in this object only: gone when the page or process ends. */
export function memoryTokenStore(initial?: string): TokenStore {
  let token = initial;
  return {
    get: () => token,
    set: (t) => {
      token = t;
    },
    clear: () => {
      token = undefined;
    },
  };
}
