import type { Group, GroupMember, GroupOpened } from '@ephemeral-chat/protocol';
import type { OutgoingRequest } from './connection/outbox.js';
import { type ChatContext, Conversation } from './conversation.js';
import type { GroupChatEvents, GroupEvent, ReadEvent } from './events.js';

/** What "seen by k of n" needs of a message. */
export interface Seeable {
  seq: number;
  from: string;
  createdAt: number;
}

/**
 * A group chat, from `client.openGroup(room)`: what a 1:1 chat has (messages, send, history,
 * unsend, settings, typing, read) plus the group (name, members, admins), every member's read
 * seq (for "seen by k of n") and who is online, and the admin actions. Groups have no delivery
 * receipts and no unseen-expired counts.
 */
export class GroupChat extends Conversation<GroupChatEvents> {
  /** The group as of the last change: name, creation time, members (admin flag, `joinedAt`). */
  declare readonly group: Group;
  /** Every member's read seq (0: nothing read since they joined), kept current by `read` events. */
  readonly reads = new Map<string, number>();
  /**
   * Members online when the group was opened, kept current by `presence` events for the users
   * the client watches (`client.watch(members)` keeps them all current).
   */
  readonly online = new Set<string>();
  /** False once the user left or was removed: every call then fails with `forbidden`. */
  active = true;

  constructor(
    room: string,
    context: ChatContext,
    /** Tells the client the user is no longer a member. */
    readonly _gone: () => void,
  ) {
    super(room, context);
  }

  /** The members, in the order they joined. */
  get members(): GroupMember[] {
    return this.group.members;
  }

  /** Whether the user is an admin (may change members, name, admins and settings). */
  get admin(): boolean {
    return !!this.#member(this._c.me())?.admin;
  }

  /** @internal */
  override _own(m: { from: string }): boolean {
    return m.from === this._c.me();
  }

  /** Who wrote `message`: a member (with `admin`, `joinedAt`); `undefined` for one who left. */
  override sender(message: { from: string }): GroupMember | undefined {
    return this.#member(message.from);
  }

  /** @internal The `group.opened` reply. */
  _open(r: GroupOpened): void {
    this._group(r.group);
    for (const { userId, seq } of r.reads) this.#saw(userId, seq);
    this.online.clear();
    for (const id of r.online) this.online.add(id);
    this._counts(r.unread, r.settings);
  }

  /** @internal The group's new state (a change, or the reply to an admin action). */
  _group(group: Group): void {
    (this as { group: Group }).group = group;
    // A member who left takes their read seq along; a new one has read nothing yet.
    for (const id of this.reads.keys()) if (!this.#member(id)) this.reads.delete(id);
  }

  /** @internal A `group.changed` event, after the client's listeners. */
  _changed(e: GroupEvent): void {
    (this.emit as (type: 'group', e: GroupEvent) => void)('group', e);
  }

  /** @internal The user is no longer a member. */
  _left(): void {
    this.active = false;
    (this.emit as (type: 'left', e: { room: string }) => void)('left', { room: this.room });
  }

  /** @internal A member's read (a `read` event, or the reply to `markRead`). */
  override _read(e: ReadEvent): void {
    this.#saw(e.userId, e.seq);
    super._read(e);
  }

  #saw(userId: string, seq: number): void {
    this.reads.set(userId, Math.max(this.reads.get(userId) ?? 0, seq));
  }

  #member(id: string | undefined): GroupMember | undefined {
    return this.group.members.find((m) => m.id === id);
  }

  /**
   * The members who could see `message`: every member but its sender who had joined when it was
   * sent (a later member never sees it). The n of "seen by k of n".
   */
  audience(message: Seeable): string[] {
    return this.group.members
      .filter((m) => m.id !== message.from && m.joinedAt <= message.createdAt)
      .map((m) => m.id);
  }

  /** The members of its audience who have read `message`: the k of "seen by k of n". */
  seenBy(message: Seeable): string[] {
    return this.audience(message).filter((id) => (this.reads.get(id) ?? 0) >= message.seq);
  }

  async #admin(
    frame: Extract<OutgoingRequest, { type: `group.${'add' | 'remove' | 'rename' | 'admin'}` }>,
  ): Promise<Group> {
    const r = await this._c.connection.request(frame);
    this._group(r.group);
    return r.group;
  }

  /** Adds members by username (admins; all or nothing: `user_not_found`, `group_full`). */
  add(usernames: string[]): Promise<Group> {
    return this.#admin({ type: 'group.add', room: this.room, usernames });
  }

  /** Removes a member (admins; not oneself: see `leave`). */
  remove(userId: string): Promise<Group> {
    return this.#admin({ type: 'group.remove', room: this.room, userId });
  }

  /** Renames the group (admins). */
  rename(name: string): Promise<Group> {
    return this.#admin({ type: 'group.rename', room: this.room, name });
  }

  /** Promotes a member to admin, or demotes one (admins; the last admin cannot be demoted). */
  setAdmin(userId: string, admin: boolean): Promise<Group> {
    return this.#admin({ type: 'group.admin', room: this.room, userId, admin });
  }

  /** Leaves the group: this chat and its messages are dropped (`left` event). */
  async leave(): Promise<void> {
    await this._c.connection.request({ type: 'group.leave', room: this.room });
    // Unless its `group.changed` came first and dropped it already.
    if (this.active) this._gone();
  }
}
