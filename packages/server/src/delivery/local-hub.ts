import { closeCodes } from '@ephemeral-chat/protocol';
import type { ConnectionData, Socket } from '../ws/connection.js';
import { SetMap } from './set-map.js';

/**
 * This node's authenticated sockets by user, and the sockets watching each user's presence.
 * Delivery goes socket by socket rather than through uWS topics: a topic publish silently drops
 * a message for a socket past its backpressure limit, while here such a socket is closed with
 * `slow_consumer` and will resume from its last seq — nothing is lost without the client knowing.
 */
export class LocalHub {
  readonly #byUser = new SetMap<string, Socket>();
  readonly #watchers = new SetMap<string, Socket>();
  /** Sockets with queued frames, each followed by its user data: [ws, data, ws, data, …]. */
  #pending: (Socket | ConnectionData)[] = [];
  #scheduled = false;

  /** `onWrite` sees each batch written to one socket (metrics); unset, nothing is called. */
  constructor(
    private readonly maxBackpressure: number,
    private readonly onWrite?: (frames: readonly string[]) => void,
  ) {}

  /** Adds a socket; true when it is the user's first on this node. */
  add(userId: string, ws: Socket): boolean {
    return this.#byUser.add(userId, ws);
  }

  /** Removes a socket; true when it was the user's last on this node. */
  remove(userId: string, ws: Socket): boolean {
    return this.#byUser.remove(userId, ws);
  }

  users(): string[] {
    return this.#byUser.keys();
  }

  /** Authenticated sockets on this node (read at a metrics scrape, not on a hot path). */
  socketCount(): number {
    let n = 0;
    for (const _ of this.#byUser.values()) n++;
    return n;
  }

  socketsOf(userId: string): ReadonlySet<Socket> {
    return this.#byUser.get(userId);
  }

  /** Starts watching; true when it is the first watcher of that user on this node. */
  watch(userId: string, ws: Socket): boolean {
    return this.#watchers.add(userId, ws);
  }

  /** Stops watching; true when no socket on this node watches that user any more. */
  unwatch(userId: string, ws: Socket): boolean {
    return this.#watchers.remove(userId, ws);
  }

  watched(): string[] {
    return this.#watchers.keys();
  }

  deliverToUser(userId: string, payload: string): void {
    for (const ws of this.socketsOf(userId)) this.send(ws, payload);
  }

  deliverToWatchers(userId: string, payload: string): void {
    for (const ws of this.#watchers.get(userId)) this.send(ws, payload);
  }

  /**
   * Queues one frame; every socket's frames of this event-loop turn go out together, corked into
   * one write, right after the turn (setImmediate). A busy node produces several frames per socket
   * per turn (acks, messages, typing), and one syscall per socket instead of one per frame is most
   * of what separates a relay from a slow one. Order per socket is kept. The queue is bounded:
   * past the backpressure limit it is written at once, so only the socket's own buffer (where a
   * reading client's frames do not stay) decides who is a slow consumer.
   */
  send(ws: Socket, payload: string): void {
    const data = ws.getUserData();
    if (data.closed) return;
    if (data.outbox) {
      data.outbox.push(payload);
      data.outboxBytes += payload.length;
      if (data.outboxBytes > this.maxBackpressure) this.#flush(ws, data);
      return;
    }
    data.outbox = [payload];
    data.outboxBytes = payload.length;
    this.#pending.push(ws, data);
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(this.#flushAll);
    }
  }

  /** Writes every queued frame; a socket whose buffer would pass the limit is closed as a slow consumer. */
  readonly #flushAll = (): void => {
    this.#scheduled = false;
    const pending = this.#pending;
    this.#pending = [];
    for (let i = 0; i < pending.length; i += 2) {
      this.#flush(pending[i] as Socket, pending[i + 1] as ConnectionData);
    }
  };

  #flush(ws: Socket, data: ConnectionData): void {
    const frames = data.outbox;
    const chars = data.outboxBytes;
    data.outbox = undefined;
    // Flushed early already, or closed since (by either side): uWS throws on a closed socket.
    if (!frames || data.closed) return;
    let written = true;
    ws.cork(() => {
      written = writeWithin(ws, frames, this.maxBackpressure, chars);
      if (!written) slowConsumer(ws, data);
    });
    // A slow consumer's batch is not counted: it resumes those frames from history.
    if (written) this.onWrite?.(frames);
  }

  /** Closes every socket (shutdown). */
  closeAll(code: number, reason: string): void {
    for (const ws of [...this.#byUser.values()]) end(ws, code, reason);
  }
}

/**
 * Sends frames while the socket's buffer stays within `limit`; false at the first frame that would
 * pass it (unsent). Checked BEFORE sending: uWS silently drops a frame, the close frame included,
 * once its own buffer is past its limit (mountWs sets that well above ours), so a slow consumer
 * still gets its 4008 in the stream, after the frames it had not read. A frame on an empty buffer
 * always goes, whatever its size.
 */
function writeWithin(ws: Socket, frames: readonly string[], limit: number, chars: number): boolean {
  // The usual case, checked once: nothing buffered and the whole outbox fits even at 3 bytes per
  // UTF-16 unit (UTF-8's worst case), so no frame can pass the limit.
  if (chars * 3 <= limit && ws.getBufferedAmount() === 0) {
    for (const frame of frames) if (ws.send(frame, false) === 2) return false;
    return true;
  }
  for (const frame of frames) {
    // What the kernel took is not buffered: only a client that does not read accumulates here.
    const buffered = ws.getBufferedAmount();
    if (buffered > 0 && buffered + Buffer.byteLength(frame) > limit) return false;
    // 2 = dropped by uWS for backpressure: never drop silently, close instead.
    if (ws.send(frame, false) === 2) return false;
  }
  return true;
}

/** Closes (inside a cork) a socket that reads too slowly; its queued frames are dropped: it resumes by seq. */
function slowConsumer(ws: Socket, data: ConnectionData): void {
  if (data.closed) return;
  data.closed = true;
  data.outbox = undefined;
  ws.end(closeCodes.slow_consumer.code, 'slow consumer');
}

/** Closes a socket with a code, after the frames still queued for it (e.g. the error that explains the close). */
export function end(ws: Socket, code: number, reason: string): void {
  const data = ws.getUserData();
  if (data.closed) return;
  data.closed = true;
  const frames = data.outbox;
  data.outbox = undefined;
  ws.cork(() => {
    // Frames that would not fit are dropped: the close itself must get through.
    if (frames) writeWithin(ws, frames, maxQueuedOnEnd, data.outboxBytes);
    ws.end(code, reason);
  });
}

/** Bytes end() may still queue in front of its close frame (the explaining error frames). */
const maxQueuedOnEnd = 256 * 1024;
