import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

export interface StoredMessage {
  room: string;
  seq: number;
  from: string;
  text: string;
  clientMsgId: string;
  createdAt: number;
  ttl: number;
  expiresAt: number;
}

export interface SessionUser {
  id: string;
  username: string;
}

/**
 * What a team would write on ioredis: sessions as `sess:<sha256(token)>` JSON, each message a
 * key with PX = its TTL, a sorted set per room (score = seq) as the index, INCR for the seq.
 * The index and seq keys expire with the room's longest-lived message (PEXPIRE NX, then GT).
 */
export class MessageStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async session(token: string): Promise<SessionUser | undefined> {
    const hash = createHash('sha256').update(token).digest('base64url');
    const raw = await this.redis.get(`${this.prefix}sess:${hash}`);
    return raw ? (JSON.parse(raw) as SessionUser) : undefined;
  }

  async append(
    room: string,
    from: string,
    text: string,
    ttl: number,
    clientMsgId: string,
  ): Promise<StoredMessage> {
    const base = `${this.prefix}{${room}}:`;
    const seq = await this.redis.incr(`${base}seq`);
    const createdAt = Date.now();
    const message = {
      room,
      seq,
      from,
      text,
      clientMsgId,
      createdAt,
      ttl,
      expiresAt: createdAt + ttl,
    };
    await this.redis
      .multi()
      .set(`${base}m:${seq}`, JSON.stringify(message), 'PX', ttl)
      .zadd(`${base}idx`, seq, String(seq))
      .pexpire(`${base}idx`, ttl, 'NX')
      .pexpire(`${base}idx`, ttl, 'GT')
      .pexpire(`${base}seq`, ttl, 'NX')
      .pexpire(`${base}seq`, ttl, 'GT')
      .exec();
    return message;
  }

  /** Stores a group's members (a set per group, as a team would keep them next to the messages). */
  async addGroup(room: string, memberIds: readonly string[]): Promise<void> {
    await this.redis.sadd(`${this.prefix}{${room}}:members`, ...memberIds);
  }

  async isGroupMember(room: string, userId: string): Promise<boolean> {
    return (await this.redis.sismember(`${this.prefix}{${room}}:members`, userId)) === 1;
  }

  /** The newest messages below `before`, oldest first; index entries whose key expired are skipped. */
  async history(room: string, before: number | undefined, limit: number): Promise<StoredMessage[]> {
    const base = `${this.prefix}{${room}}:`;
    const max = before === undefined ? '+inf' : `(${before}`;
    const seqs = await this.redis.zrevrangebyscore(`${base}idx`, max, '-inf', 'LIMIT', 0, limit);
    if (seqs.length === 0) return [];
    const raw = await this.redis.mget(seqs.map((s) => `${base}m:${s}`));
    return raw
      .filter((m): m is string => m !== null)
      .map((m) => JSON.parse(m) as StoredMessage)
      .reverse();
  }
}
