/**
 * The browser's `online` and `offline` events, so a lost network is known at once instead of at
 * the next unanswered heartbeat. Node has no such events: then this does nothing.
 */
export function onNetworkChange(online: () => void, offline: () => void): () => void {
  const target = globalThis as Partial<
    Pick<EventTarget, 'addEventListener' | 'removeEventListener'>
  >;
  const { addEventListener: add, removeEventListener: remove } = target;
  if (typeof add !== 'function' || typeof remove !== 'function') return () => {};
  add.call(globalThis, 'online', online);
  add.call(globalThis, 'offline', offline);
  return () => {
    remove.call(globalThis, 'online', online);
    remove.call(globalThis, 'offline', offline);
  };
}
