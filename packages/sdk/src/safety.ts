import type { PublicUser, ReplyTo, ReportCopy, ReportReason } from '@ephemeral-chat/protocol';
import type { ServerClock } from './clock.js';
import type { OutgoingRequest } from './connection/outbox.js';
import type { ClientEvents } from './events.js';
import type { ChatMessage } from './message.js';

/**
 * How long the client keeps its copy of another member's message, for reporting only, after the
 * message left (expired, burnt or unsent): 15 minutes. Long enough to report a message that
 * vanished while it was being read (a burn of 5 s), short enough that nothing lingers; far inside
 * the server's evidence window (`REPORT_EVIDENCE_DAYS`, 7 days by default).
 */
export const reportGraceMs = 15 * 60_000;

/** Copies kept for reporting, at most; the oldest go first. */
export const reportCopiesMax = 200;

/** What a report may add to its reason. */
export interface ReportOptions {
  /** The reporter's words for the operators, at most 500 characters. */
  comment?: string | undefined;
}

/**
 * A message of another member that the user can report now, without its text: one still held
 * (`live`), or one that left within the last `reportGraceMs` (expired, burnt or unsent) whose copy
 * the client keeps for this alone.
 */
export interface Reportable {
  room: string;
  seq: number;
  from: string;
  createdAt: number;
  live: boolean;
}

/** What the safety calls need of the client. */
export interface SafetyDeps {
  request<F extends OutgoingRequest>(frame: F): Promise<ReplyTo<F['type']>>;
  /** The unexpired messages held for `room`. */
  held(room: string): ChatMessage[];
  me(): string | undefined;
  clock: ServerClock;
  on<K extends keyof ClientEvents>(type: K, fn: ClientEvents[K]): unknown;
}

/**
 * Blocking and reporting over the client's connection. For reporting, it keeps copies of other
 * members' messages: in memory only, never persisted, never handed out (no API returns their
 * text), at most `reportCopiesMax`, each until `reportGraceMs` after its message left. Only copies
 * with the server's commitment (`mac`) are kept: without it a copy proves nothing.
 */
export class Safety {
  readonly #d: SafetyDeps;
  /** `room seq` → a copy and when it goes (server time); Map order: oldest first. */
  #kept = new Map<string, { m: ChatMessage; until: number }>();

  constructor(d: SafetyDeps) {
    this.#d = d;
    // Another member's message as it arrives, and any held one (a page's too) as it expires or
    // burns: the copy then stays `reportGraceMs` longer. One's own are never reported.
    d.on('message', (m) => this.#keep(m, m.expiresAt));
    d.on('expired', (m) => this.#keep(m, d.clock.now()));
    d.on('unsent', ({ room, seq }) => {
      const k = this.#kept.get(`${room} ${seq}`);
      if (k) this.#keep(k.m, d.clock.now());
    });
    // Reporting is for members: a group the user left takes its copies along.
    d.on('left', ({ room }) => {
      for (const k of this.#list(room)) this.#kept.delete(`${room} ${k.seq}`);
    });
  }

  /** Keeps `m` until `reportGraceMs` after `leftAt`; never longer than it already was. */
  #keep(m: ChatMessage, leftAt: number): void {
    const key = `${m.room} ${m.seq}`;
    if (!m.mac || m.from === this.#d.me()) return;
    const until = Math.min(
      leftAt + reportGraceMs,
      this.#kept.get(key)?.until ?? leftAt + reportGraceMs,
    );
    this.#kept.set(key, { m, until });
    for (const k of this.#kept.keys()) {
      if (this.#kept.size <= reportCopiesMax) break;
      this.#kept.delete(k);
    }
  }

  /** The copies of `room` still kept, dropping those past their time. */
  #list(room: string): ChatMessage[] {
    const now = this.#d.clock.now();
    const out: ChatMessage[] = [];
    for (const [key, k] of this.#kept) {
      if (k.until <= now) this.#kept.delete(key);
      else if (k.m.room === room) out.push(k.m);
    }
    return out;
  }

  async block(userId: string): Promise<void> {
    await this.#d.request({ type: 'block', userId });
  }

  async unblock(userId: string): Promise<void> {
    await this.#d.request({ type: 'unblock', userId });
  }

  async blocks(): Promise<PublicUser[]> {
    return (await this.#d.request({ type: 'blocks' })).users;
  }

  /** Oldest first: the other members' messages of `room` the user can report now. */
  reportable(room: string): Reportable[] {
    const held = this.#d.held(room);
    const live = new Set(held.map((m) => m.seq));
    return [...this.#list(room), ...held]
      .filter((m, i, all) => m.from !== this.#d.me() && all.findIndex((x) => x.seq === m.seq) === i)
      .sort((a, b) => a.seq - b.seq)
      .map(({ seq, from, createdAt }) => ({ room, seq, from, createdAt, live: live.has(seq) }));
  }

  /**
   * Reports message `seq` of `room`; resolves with the report's id. The client's copy goes along
   * whenever it has one (held, or kept for reporting): the server uses its own while the message
   * lives, and the copy, checked against its commitment, once it does not.
   */
  async report(
    target: { room: string; seq: number },
    reason: ReportReason,
    options: ReportOptions = {},
  ): Promise<string> {
    const { room, seq } = target;
    const m = [...this.#d.held(room), ...this.#list(room)].find((x) => x.seq === seq);
    const copy: ReportCopy | undefined = m?.mac
      ? {
          from: m.from,
          text: m.text,
          clientMsgId: m.clientMsgId,
          createdAt: m.createdAt,
          mac: m.mac,
        }
      : undefined;
    const r = await this.#d.request({
      type: 'report',
      room,
      seq,
      reason,
      ...(options.comment ? { text: options.comment } : {}),
      ...(copy ? { copy } : {}),
    });
    return r.reportId;
  }

  /** Forgets every copy kept for reporting (sign-out, account deletion). */
  clear(): void {
    this.#kept.clear();
  }
}
