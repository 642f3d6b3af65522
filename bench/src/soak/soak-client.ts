import type { UserRef } from '../load/clients/client.js';
import { Connection, type Frame, NoReply, SocketClosed } from './connection.js';
import type { Ledger } from './ledger.js';
import { historyAll, READ_TIMEOUT_MS, resumeAll } from './reads.js';
import { RoomCursor } from './room-cursor.js';
import { keyOf, readMessage, readMessages, type Source, type WireMessage } from './wire.js';

/** A send without an answer this long counts as failed: the client would say so to its user. */
export const SEND_DEADLINE_MS = 5000;
/** Seqs may arrive out of order (local echo before the peer's pub/sub): wait before resuming. */
const GAP_GRACE_MS = 300;
const TTLS = [10_000, 30_000, 60_000] as const;

/**
 * One user of a pair, on a raw socket: sends on a timer, reconnects (alternating nodes) when its
 * socket closes, resumes from its cursor after every reconnect and every gap, and reports every
 * send and delivery to the ledger.
 */
export class SoakClient {
  readonly cursor = new RoomCursor();
  #conn: Connection | undefined;
  #ready = false;
  #everReady = false;
  #room: string | undefined;
  #sent = 0;
  #attempt = 0;
  #stopped = false;
  #catchingUp: Promise<void> | undefined;
  #gapTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly name: string,
    readonly user: UserRef,
    readonly peer: UserRef,
    private readonly urls: readonly string[],
    private readonly ledger: Ledger,
  ) {}

  get ready(): boolean {
    return this.#ready;
  }

  /** Keeps a connection up until `stop`; resolves once the first one is ready. */
  async start(): Promise<void> {
    void this.#connect();
    const deadline = Date.now() + 20_000;
    while (!this.#ready) {
      if (Date.now() > deadline) throw new Error(`${this.name} could not connect`);
      await sleep(50);
    }
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#gapTimer);
    this.#conn?.close();
  }

  /** One message to the peer, if the client is connected (else the tick is skipped). */
  send(): void {
    const conn = this.#conn;
    const room = this.#room;
    if (!this.#ready || !conn || !room) return;
    const n = this.#sent++;
    const clientMsgId = `${this.name}-${n}`;
    const record = {
      key: keyOf(this.user.id, clientMsgId),
      from: this.user.id,
      to: this.peer.id,
      room,
      clientMsgId,
      outcome: 'pending' as const,
    };
    this.ledger.sent(record);
    const ttl = TTLS[n % TTLS.length];
    const frame = { type: 'send', room, text: `soak ${clientMsgId}`, ttl, clientMsgId };
    conn.request(frame, SEND_DEADLINE_MS).then(
      (reply) => {
        if (reply.type === 'ack') this.#onAck(reply);
        else this.ledger.failed(record, errorCode(reply));
      },
      (err: Error) => {
        if (err instanceof SocketClosed) this.ledger.unanswered(record);
        else this.ledger.failed(record, err instanceof NoReply ? 'timeout' : err.message);
      },
    );
  }

  /**
   * A final catch-up for the end of the run: waits (bounded) for a live connection, then resumes
   * and reads the whole room's history, so stored-after-failure copies are seen too.
   */
  async finalSweep(deadline: number): Promise<void> {
    while (!this.#ready && Date.now() < deadline) await sleep(100);
    if (!this.#ready) return;
    await this.#catchingUp?.catch(() => {});
    await this.#catchUp().catch(() => {});
    const conn = this.#conn;
    if (!conn || !this.#room) return;
    await historyAll(conn, this.#room, (page) => {
      for (const m of page) this.#observe('history', m);
    }).catch(() => {});
  }

  async #connect(): Promise<void> {
    if (this.#stopped) return;
    const url = this.urls[this.#attempt++ % this.urls.length] as string;
    let conn: Connection;
    try {
      conn = await Connection.open(
        url,
        (f) => this.#onEvent(f),
        (c) => this.#onClose(c),
      );
    } catch {
      this.#retry();
      return;
    }
    this.#conn = conn;
    try {
      const welcome = await conn.request({ type: 'auth', token: this.user.token }, READ_TIMEOUT_MS);
      if (welcome.type !== 'welcome') throw new Error(`auth: ${JSON.stringify(welcome)}`);
      if (!this.#room) {
        const opened = await conn.request(
          { type: 'open', username: this.peer.username },
          READ_TIMEOUT_MS,
        );
        if (opened.type !== 'opened') throw new Error(`open: ${JSON.stringify(opened)}`);
        this.#room = String(opened.room);
        for (const m of readMessages(opened.messages)) this.#observe('opened', m);
      }
      if (this.#room && this.#everReady) this.ledger.counts.reconnects++;
      this.#everReady = true;
      this.#ready = true;
      this.#attempt = 1; // after the first node, the next reconnect tries the other one
      // Every (re)connect starts with a catch-up from the cursor.
      await this.#catchUp();
    } catch {
      conn.close(); // its close schedules the next attempt
    }
  }

  #retry(): void {
    if (!this.#stopped) setTimeout(() => void this.#connect(), 100 + Math.random() * 400);
  }

  #onClose(conn: Connection): void {
    if (this.#conn !== conn) return;
    this.#ready = false;
    this.#conn = undefined;
    this.#retry();
  }

  #onEvent(frame: Frame): void {
    // A late ack (after the deadline) arrives without a waiting request: still recorded.
    if (frame.type === 'ack') this.#onAck(frame);
    else if (frame.type === 'message') this.#observe('live', frame.message);
  }

  #onAck(reply: Frame): void {
    const m = readMessage(reply.message);
    if (!m) return;
    const record = this.ledger.sends.get(keyOf(m.from, m.clientMsgId));
    if (record) this.ledger.acked(record, m, Date.now());
    this.#observe('ack', reply.message);
  }

  #observe(source: Source, value: unknown): void {
    const m = readMessage(value);
    if (!m || m.room !== this.#room) return;
    this.ledger.observe(this.name, this.user.id, source, m, Date.now());
    this.cursor.see(m.seq);
    this.#onGap();
  }

  #onGap(): void {
    if (!this.cursor.hasGap || this.#gapTimer || this.#stopped) return;
    this.#gapTimer = setTimeout(() => {
      this.#gapTimer = undefined;
      if (this.cursor.hasGap && this.#ready) void this.#catchUp().catch(() => {});
    }, GAP_GRACE_MS);
  }

  /** Resumes from the cursor, page by page, then audits; one catch-up at a time. */
  #catchUp(): Promise<void> {
    if (this.#catchingUp) return this.#catchingUp;
    const run = async () => {
      const conn = this.#conn;
      const room = this.#room;
      if (!conn || !room) return;
      const askedAt = Date.now();
      const highestAtAsk = this.cursor.highest;
      const observe = (page: WireMessage[]) => {
        for (const m of page) this.#observe('resumed', m);
      };
      const replyMax = await resumeAll(conn, room, this.cursor.after, observe);
      if (replyMax === undefined) return; // e.g. `unavailable` in a stall: the next gap retries
      this.cursor.caughtUp(highestAtAsk, replyMax);
      this.ledger.audit(this.user.id, room, askedAt, Date.now());
    };
    this.#catchingUp = run().finally(() => {
      this.#catchingUp = undefined;
      this.#onGap(); // live seqs that arrived during it may have left another gap
    });
    return this.#catchingUp;
  }
}

function errorCode(reply: Frame): string {
  const error = reply.error as { code?: unknown } | undefined;
  return typeof error?.code === 'string' ? error.code : String(reply.type);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
