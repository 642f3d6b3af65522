import type { Connection } from './connection.js';
import { readMessages, type WireMessage } from './wire.js';

/** Reads may wait out a short stall; a stalled read only delays its client. */
export const READ_TIMEOUT_MS = 15_000;

/**
 * `resume` from `after`, page by page while the reply says `hasMore` (docs/protocol.md). Returns
 * the last seq read, or undefined if a page was refused (e.g. `unavailable` during a stall).
 */
export async function resumeAll(
  conn: Connection,
  room: string,
  after: number,
  onPage: (page: WireMessage[]) => void,
): Promise<number | undefined> {
  let max = 0;
  for (;;) {
    const r = await conn.request({ type: 'resume', room, after }, READ_TIMEOUT_MS);
    if (r.type !== 'resumed') return undefined;
    const page = readMessages(r.messages);
    onPage(page);
    for (const m of page) max = Math.max(max, m.seq);
    if (r.hasMore !== true || max <= after) return max;
    after = max;
  }
}

/** Every page of a room's history, newest first, paging back with `before`. */
export async function historyAll(
  conn: Connection,
  room: string,
  onPage: (page: WireMessage[]) => void,
): Promise<void> {
  let before: number | undefined;
  for (;;) {
    const frame = { type: 'history', room, limit: 100, ...(before ? { before } : {}) };
    const r = await conn.request(frame, READ_TIMEOUT_MS);
    if (r.type !== 'history') return;
    const page = readMessages(r.messages);
    onPage(page);
    const first = page[0]?.seq;
    if (r.hasMore !== true || first === undefined) return;
    before = first;
  }
}
