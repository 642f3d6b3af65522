import type { RedisClient } from '../redis/redis-client-type.js';
import { userRoomsKey } from '../redis/redis-keys.js';
import { RECIPIENT_INDEX_EXTRA_MS, RECIPIENT_INDEX_LAG_MS } from './retention.js';

/**
 * How much later than its newest message a room's entry in a member's room index may lapse: a
 * tenth of the message's TTL, at most a minute — the same slack the send script gives the room's
 * own keys. The index only lists candidates (listChats reads each room and drops the empty ones),
 * so a later score is harmless, and it lets a node skip rewriting the entry for every message of a
 * busy chat.
 */
const roomIndexSlack = (ttl: number) => Math.min(Math.floor(ttl / 10), 60_000);
/** At most this many (member, room) entries remembered per node. */
const ROOM_INDEX_CACHE_MAX = 50_000;

/** One entry of a member's room index (`Pu:<id>:rooms`) to raise (TOUCH_USER_ROOM). */
export interface RoomIndexWrite {
  key: string;
  room: string;
  member: string;
  score: number;
  ttl: number;
  now: number;
}

/** What this node last wrote into the members' room indexes, so a busy chat skips the writes. */
export class RoomIndex {
  /**
   * room → member → the score this node last wrote into the member's room index. Keyed by the room
   * first so a send hashes strings it already has (no `member room` string built per send).
   */
  readonly #indexed = new Map<string, Map<string, number>>();

  constructor(
    redis: Pick<RedisClient, 'on'>,
    private readonly prefix: string,
  ) {
    // After a lost connection Redis may have restarted empty (on a Cluster, a master may have
    // failed over to a replica that missed the last writes): write every index entry again.
    redis.on('close', () => this.#indexed.clear());
    redis.on('-node', () => this.#indexed.clear());
  }

  /**
   * The room index entries this send must raise: those this node has not already raised far
   * enough. The recipient's entry outlives the message by RECIPIENT_INDEX_EXTRA_MS (its
   * unseen-expired count stays listed), give or take RECIPIENT_INDEX_LAG_MS, so a node rewrites
   * it at most about once a day per chat.
   */
  writes(members: readonly string[], to: string, room: string, expiresAt: number, now: number) {
    const writes: RoomIndexWrite[] = [];
    const known = this.#indexed.get(room);
    for (let i = 0; i < members.length; i++) {
      const member = members[i] as string;
      if (members.indexOf(member) !== i) continue; // a self-chat lists its member once
      const recipient = member === to;
      const lag = recipient ? RECIPIENT_INDEX_LAG_MS : 0;
      const extra = recipient ? RECIPIENT_INDEX_EXTRA_MS : 0;
      if ((known?.get(member) ?? 0) >= expiresAt + extra - lag) continue;
      const score = expiresAt + extra + roomIndexSlack(expiresAt - now);
      const key = userRoomsKey(this.prefix, member);
      writes.push({ key, room, member, score, ttl: score - now, now });
    }
    return writes;
  }

  /** Records a write Redis confirmed. */
  remember(write: RoomIndexWrite): void {
    const { room, member, score, now } = write;
    let known = this.#indexed.get(room);
    if (!known) {
      if (this.#indexed.size >= ROOM_INDEX_CACHE_MAX) this.#evict(now);
      known = new Map();
      this.#indexed.set(room, known);
    }
    known.set(member, score);
  }

  /** Forgets what has lapsed, or everything if that is not enough (a bounded cache). */
  #evict(now: number): void {
    for (const [room, known] of this.#indexed) {
      for (const [member, score] of known) if (score <= now) known.delete(member);
      if (known.size === 0) this.#indexed.delete(room);
    }
    if (this.#indexed.size >= ROOM_INDEX_CACHE_MAX) this.#indexed.clear();
  }
}
