import { randomUUID } from 'node:crypto';
import {
  type Group,
  type GroupChange,
  type GroupSummary,
  limits as protocolLimits,
} from '@ephemeral-chat/protocol';
import { groupsTopic, userTopic } from '../delivery/topics.js';
import type { Bus } from '../engine/bus/bus.js';
import { AppError } from '../errors/app-error.js';
import {
  type GroupLimits,
  type GroupResult,
  type GroupStore,
  isRefusal,
} from '../stores/groups/group-store.js';
import { GroupCache, type GroupCacheOptions } from './group-cache.js';
import { notMember, refusalError } from './group-refusal.js';
import type { UserDirectory } from './user-directory.js';

export interface GroupServiceOptions extends GroupLimits {
  cache?: GroupCacheOptions;
  /** A notice or event could not be published (the change itself is stored). */
  onPublishError?(err: unknown): void;
  /**
   * Members were added (stored already): the message store moves their read seq to the room's
   * latest (MessageStore.joinGroup). A failure is reported through onPublishError, not thrown.
   */
  onJoined?(room: string, userIds: readonly string[], at: number): Promise<void>;
}

/** A node-to-node notice on the `groups` topic: drop the cached copy of `room`. */
export interface GroupChangedNotice {
  $: 'group_changed';
  room: string;
}

/**
 * The group rules: only admins add, remove, rename, promote and demote; anyone may leave; the
 * limits; who hears of a change. The store applies each change atomically with its checks; this
 * node's cache of groups is invalidated on every node through the `groups` notice.
 */
export class GroupService {
  readonly #cache: GroupCache;
  readonly #limits: GroupLimits;

  constructor(
    private readonly store: GroupStore,
    private readonly directory: UserDirectory,
    private readonly bus: Pick<Bus, 'publish' | 'subscribe' | 'onResubscribed'>,
    private readonly options: GroupServiceOptions,
    private readonly now: () => number = Date.now,
  ) {
    this.#cache = new GroupCache(options.cache, now);
    this.#limits = { maxMembers: options.maxMembers, maxGroupsPerUser: options.maxGroupsPerUser };
  }

  /** Subscribes this node to the `groups` notices; resolves once the subscription holds. */
  async start(): Promise<void> {
    this.bus.onResubscribed(() => this.#cache.clear());
    await this.bus.subscribe(groupsTopic(), (payload) => {
      const notice = JSON.parse(payload) as GroupChangedNotice;
      if (notice.$ === 'group_changed') this.#cache.invalidate(notice.room);
    });
  }

  async create(userId: string, name: string, usernames: readonly string[]): Promise<Group> {
    const others = (await this.#resolve(usernames)).filter((id) => id !== userId);
    const at = this.now();
    const room = `g:${randomUUID()}`;
    const { group } = this.#ok(
      await this.store.create(
        { room, name, creatorId: userId, memberIds: others, now: at },
        this.#limits,
      ),
    );
    await this.#announce(
      group,
      { kind: 'created', by: userId, userIds: [userId, ...others], name },
      at,
    );
    return group;
  }

  async add(userId: string, room: string, usernames: readonly string[]): Promise<Group> {
    const ids = await this.#resolve(usernames);
    const at = this.now();
    const { group, added } = this.#ok(await this.store.add(room, userId, ids, this.#limits, at));
    if (added.length > 0) {
      await this.options.onJoined?.(room, added, at).catch((err: unknown) => {
        this.options.onPublishError?.(err);
      });
      await this.#announce(group, { kind: 'added', by: userId, userIds: added }, at);
    }
    return group;
  }

  async remove(userId: string, room: string, targetId: string): Promise<Group> {
    if (targetId === userId) {
      throw new AppError('validation_failed', 'To leave a group, send group.leave.');
    }
    const at = this.now();
    const { group } = this.#ok(await this.store.remove(room, userId, targetId));
    await this.#announce(group, { kind: 'removed', by: userId, userIds: [targetId] }, at, [
      targetId,
    ]);
    return group;
  }

  async leave(userId: string, room: string): Promise<void> {
    const at = this.now();
    const { group } = this.#ok(await this.store.leave(room, userId));
    const change: GroupChange = { kind: 'left', by: userId, userIds: [userId] };
    if (group) await this.#announce(group, change, at, [userId]);
    else await this.#publish(room, [], [userId], change, undefined, at);
  }

  async rename(userId: string, room: string, name: string): Promise<Group> {
    const at = this.now();
    const { group } = this.#ok(await this.store.rename(room, userId, name));
    await this.#announce(group, { kind: 'renamed', by: userId, name }, at);
    return group;
  }

  async setAdmin(userId: string, room: string, targetId: string, admin: boolean): Promise<Group> {
    const at = this.now();
    const { group, changed } = this.#ok(await this.store.setAdmin(room, userId, targetId, admin));
    if (changed) {
      await this.#announce(group, { kind: 'admin', by: userId, userIds: [targetId], admin }, at);
    }
    return group;
  }

  /** The group, for a member (else `forbidden`, whether or not it exists). */
  async get(userId: string, room: string): Promise<Group> {
    const group = await this.group(room);
    if (!group?.members.some((m) => m.id === userId)) throw notMember();
    return group;
  }

  /** The group as this node knows it (cached), or undefined when there is none. */
  group(room: string): Promise<Group | undefined> {
    return this.#cache.get(room, () => this.store.get(room));
  }

  /** One page of the user's groups, ordered by room id. */
  async list(
    userId: string,
    after: string | undefined,
  ): Promise<{ groups: GroupSummary[]; hasMore: boolean }> {
    const page = protocolLimits.groupsPageMax;
    const rows = await this.store.listFor(userId, after, page + 1);
    return { groups: rows.slice(0, page), hasMore: rows.length > page };
  }

  /** The rooms of every group of the user, read from the store. */
  async roomsOf(userId: string): Promise<string[]> {
    return (await this.summariesOf(userId)).map((g) => g.room);
  }

  /**
   * The user's groups, ordered by room id, at most `max` (all by default: bounded by the per-user
   * cap), read from the store a page at a time.
   */
  async summariesOf(userId: string, max = Number.POSITIVE_INFINITY): Promise<GroupSummary[]> {
    const all: GroupSummary[] = [];
    let after: string | undefined;
    while (all.length < max) {
      const want = Math.min(protocolLimits.groupsPageMax, max - all.length);
      const page = await this.store.listFor(userId, after, want);
      all.push(...page);
      if (page.length < want) break;
      after = page.at(-1)?.room;
    }
    return all;
  }

  /** Ids of the users named, or `user_not_found` naming the unknown ones (nothing changes). */
  async #resolve(usernames: readonly string[]): Promise<string[]> {
    if (usernames.length === 0) return [];
    const found = await this.directory.byUsernames(usernames);
    const byName = new Map(found.map((u) => [u.username.toLowerCase(), u.id]));
    const unknown = [...new Set(usernames.filter((u) => !byName.has(u.toLowerCase())))];
    if (unknown.length > 0) {
      throw new AppError('user_not_found', `No user is called ${unknown.join(', ')}.`);
    }
    // In the order asked: it is the join order ("longest-standing" for the admin rule).
    return [...new Set(usernames.map((u) => byName.get(u.toLowerCase()) ?? ''))];
  }

  #ok<T extends object>(result: GroupResult<T>): T {
    if (!isRefusal(result)) return result;
    throw refusalError(result, this.#limits, this.directory);
  }

  /** The change to every member (with the group) and to `gone` (without it). */
  #announce(
    group: Group,
    change: GroupChange,
    at: number,
    gone: readonly string[] = [],
  ): Promise<void> {
    const members = group.members.map((m) => m.id);
    return this.#publish(group.room, members, gone, change, group, at);
  }

  /**
   * The notice first, then the events: Redis delivers one connection's publishes in order, so a
   * node has dropped its cached copy before its sockets hear of the change. Best effort once the
   * change is stored: a failure is reported, not thrown (the cache entry's TTL bounds staleness).
   */
  async #publish(
    room: string,
    members: readonly string[],
    gone: readonly string[],
    change: GroupChange,
    group: Group | undefined,
    at: number,
  ): Promise<void> {
    this.#cache.invalidate(room);
    try {
      const notice: GroupChangedNotice = { $: 'group_changed', room };
      await this.bus.publish(groupsTopic(), JSON.stringify(notice));
      const withGroup = JSON.stringify({ type: 'group.changed', room, group, change, at });
      const without = JSON.stringify({ type: 'group.changed', room, change, at });
      await Promise.all([
        ...members.map((id) => this.bus.publish(userTopic(id), withGroup)),
        ...gone.map((id) => this.bus.publish(userTopic(id), without)),
      ]);
    } catch (err) {
      this.options.onPublishError?.(err);
    }
  }
}
