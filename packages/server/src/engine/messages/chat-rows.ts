import type { ChatRow } from './message-store.js';

/** Rooms with a live message first, newest first (same millisecond: by seq); then the others. */
export function sortRows(rows: ChatRow[]): ChatRow[] {
  return rows.sort((x, y) => {
    if (x.last && y.last) return y.last.createdAt - x.last.createdAt || y.last.seq - x.last.seq;
    if (x.last || y.last) return x.last ? -1 : 1;
    return x.room < y.room ? -1 : x.room > y.room ? 1 : 0;
  });
}
