import type { ChatSettings, Group, GroupChatEntry, Message } from '@ephemeral-chat/protocol';
import { roomTopic } from '../delivery/topics.js';
import type { Bus } from '../engine/bus/bus.js';
import type { MessagePage, MessageStore, SettingsPatch } from '../engine/messages/message-store.js';
import type { Presence } from '../engine/presence/presence.js';
import { AppError } from '../errors/app-error.js';
import { notMember } from './group-refusal.js';
import type { GroupService } from './group-service.js';
import { preview } from './reply-fit.js';

/** Store calls one read makes at most to start its burns (BURNS_PER_MARK each). */
const MAX_BURN_ROUNDS = 64;
/** Pages a resume skips at most while they hold only messages from before the reader joined. */
const MAX_SKIPPED_PAGES = 20;

export interface GroupChatsDeps {
  messages: MessageStore;
  groups: Pick<GroupService, 'group' | 'summariesOf'>;
  presence: Pick<Presence, 'onlineUsers'>;
  bus: Pick<Bus, 'broadcast'>;
  now: () => number;
}

/** A member's view of a group: the group and when they joined. */
export interface Membership {
  group: Group;
  joinedAt: number;
  admin: boolean;
}

/**
 * The chat rules of group rooms (`g:<uuid>`), beside ChatService's 1:1 rules: membership (from
 * the node's cache of groups, invalidated on every change) on every operation; a member sees only
 * messages sent since they joined; frames go once to the room's topic; receipts are every
 * member's read seq ("seen by k of n"); a burn starts once every current member has read.
 */
export class GroupChats {
  constructor(private readonly d: GroupChatsDeps) {}

  /** The group and the user's place in it; `forbidden` for a non-member or no such group. */
  async member(room: string, userId: string): Promise<Membership> {
    const group = await this.d.groups.group(room);
    const me = group?.members.find((m) => m.id === userId);
    if (!group || !me) throw notMember();
    return { group, joinedAt: me.joinedAt, admin: me.admin };
  }

  /** The state `group.open` replies with, its messages read within `pageBytes` (less its own size). */
  async open(userId: string, room: string, pageBytes: number, count: number) {
    const { group, joinedAt } = await this.member(room, userId);
    const now = this.d.now();
    const ids = group.members.map((m) => m.id);
    const [seqs, online, [state], settings] = await Promise.all([
      this.d.messages.readSeqs(room, ids),
      this.d.presence.onlineUsers(ids, now),
      this.d.messages.readStates(userId, [{ room, peer: '' }], now),
      this.d.messages.settings(room, now),
    ]);
    const reads = ids.map((id, i) => ({ userId: id, seq: seqs[i] ?? 0 }));
    const frame = { room, group, unread: state?.unread ?? 0, reads, online: [...online], settings };
    // The members, reads and online lists take their share of the reply first.
    const left = pageBytes - Buffer.byteLength(JSON.stringify(frame));
    const page = await this.d.messages.readBefore(room, undefined, count, now, Math.max(left, 0));
    return { ...frame, ...olderSince(page, joinedAt) };
  }

  async history(
    userId: string,
    room: string,
    before: number | undefined,
    count: number,
    maxBytes: number,
  ): Promise<MessagePage> {
    const { joinedAt } = await this.member(room, userId);
    const page = await this.d.messages.readBefore(room, before, count, this.d.now(), maxBytes);
    return olderSince(page, joinedAt);
  }

  /**
   * A page after `after` of messages sent since the user joined: pages made only of earlier ones
   * are skipped (up to MAX_SKIPPED_PAGES), so a reader starting from 0 still progresses.
   */
  async resume(
    userId: string,
    room: string,
    after: number,
    count: number,
    maxBytes: number,
  ): Promise<MessagePage> {
    const { joinedAt } = await this.member(room, userId);
    let from = after;
    for (let skipped = 0; ; skipped++) {
      const page = await this.d.messages.readAfter(room, from, count, this.d.now(), maxBytes);
      const messages = page.messages.filter((m) => m.createdAt >= joinedAt);
      const last = page.messages.at(-1);
      if (messages.length > 0 || !page.hasMore || !last || skipped >= MAX_SKIPPED_PAGES) {
        return { messages, hasMore: page.hasMore };
      }
      from = last.seq;
    }
  }

  /** Typing goes to every member's connections (clients skip their own). */
  async typing(userId: string, room: string, typing: boolean): Promise<void> {
    await this.member(room, userId);
    const event = JSON.stringify({ type: 'typing', room, userId, typing });
    await this.d.bus.broadcast(roomTopic(room), event);
  }

  /** Marks read (the store publishes `read` and `expiry` to the room); the effective read seq. */
  async read(userId: string, room: string, seq: number): Promise<number> {
    const { group } = await this.member(room, userId);
    const ids = group.members.map((m) => m.id);
    const now = this.d.now();
    let mark = await this.d.messages.markGroupRead(room, userId, ids, seq, now);
    for (let rounds = 0; mark.burnMore && rounds < MAX_BURN_ROUNDS; rounds++) {
      mark = await this.d.messages.markGroupRead(room, userId, ids, mark.seq, this.d.now());
    }
    return mark.seq;
  }

  /** Groups keep no delivered receipts ("seen by" only): checked, then nothing. */
  async delivered(userId: string, room: string): Promise<void> {
    await this.member(room, userId);
  }

  async unsend(userId: string, room: string, seq: number) {
    await this.member(room, userId);
    return this.d.messages.unsendInGroup(room, userId, seq, this.d.now());
  }

  /** Admins change the group's defaults; every member gets the `settings` event. */
  async settings(userId: string, room: string, patch: SettingsPatch) {
    const { admin } = await this.member(room, userId);
    if (!admin)
      throw new AppError('not_admin', 'Only an admin of the group may change its settings.');
    const at = this.d.now();
    const result = await this.d.messages.setSettings(room, patch, at);
    if (!result.ok) {
      throw new AppError('validation_failed', 'The chat burn cannot exceed the chat TTL.');
    }
    const change: { room: string; settings: ChatSettings; by: string; at: number } = {
      room,
      settings: result.settings,
      by: userId,
      at,
    };
    await this.d.bus.broadcast(roomTopic(room), JSON.stringify({ type: 'settings', ...change }));
    return change;
  }

  /**
   * The user's groups as `chats` entries, each with its newest live message since they joined: at
   * most `max` groups (one read each), `more` when the user has others (then `groups` lists them).
   */
  async entries(
    userId: string,
    max: number,
  ): Promise<{ entries: { entry: GroupChatEntry; at: number }[]; more: boolean }> {
    const found = await this.d.groups.summariesOf(userId, max + 1);
    const more = found.length > max;
    const summaries = found.slice(0, max);
    if (summaries.length === 0) return { entries: [], more };
    const now = this.d.now();
    const rooms = summaries.map((g) => ({ room: g.room, peer: '' }));
    const [states, lasts, groups] = await Promise.all([
      this.d.messages.readStates(userId, rooms, now),
      Promise.all(summaries.map((g) => this.d.messages.readBefore(g.room, undefined, 1, now))),
      Promise.all(summaries.map((g) => this.d.groups.group(g.room))),
    ]);
    const entries = summaries.map((g, i) => {
      const joinedAt = groups[i]?.members.find((m) => m.id === userId)?.joinedAt ?? 0;
      const last: Message | undefined = lasts[i]?.messages.find((m) => m.createdAt >= joinedAt);
      const entry: GroupChatEntry = {
        room: g.room,
        group: { name: g.name, memberCount: g.memberCount, admin: g.admin },
        ...(last ? { last: preview(last) } : {}),
        unread: states[i]?.unread ?? 0,
      };
      return { entry, at: last?.createdAt ?? g.createdAt };
    });
    return { entries, more };
  }
}

/** An older page without what was sent before `joinedAt`: nothing older is theirs either. */
function olderSince(page: MessagePage, joinedAt: number): MessagePage {
  const messages = page.messages.filter((m) => m.createdAt >= joinedAt);
  return { messages, hasMore: page.hasMore && messages.length === page.messages.length };
}
