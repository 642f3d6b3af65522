import {
  codePointLength,
  type DmChatEntry,
  expiry,
  type GroupChatEntry,
  limits,
  type PublicUser,
} from '@ephemeral-chat/protocol';
import { userTopic } from '../delivery/topics.js';
import type { Bus } from '../engine/bus/bus.js';
import type {
  MessagePage,
  MessageStore,
  ReadState,
  SettingsPatch,
} from '../engine/messages/message-store.js';
import type { Presence } from '../engine/presence/presence.js';
import { AppError } from '../errors/app-error.js';
import type { BlockRules } from './block-service.js';
import { GroupChats } from './group-chats.js';
import type { GroupService } from './group-service.js';
import { ReplyBudget } from './reply-budget.js';
import { fitInBytes, preview } from './reply-fit.js';
import { peerIn, roomFor } from './rooms.js';
import type { UserDirectory } from './user-directory.js';

export interface Peer extends PublicUser {
  online: boolean;
}

export interface ChatOptions {
  /** The node's per-socket send buffer: a reply holds at most a quarter of it. @default 1 MiB */
  maxBackpressureBytes?: number;
  /** Bytes of replies being read and built at once on this node. @default 64 MiB */
  replyBytesInFlight?: number;
  /** The block rules (open, send, typing, settings refused across a block). @default no blocks */
  blocks?: BlockRules;
  /** Group rooms (`g:<uuid>`): without it every group room is refused as not the user's. */
  groups?: Pick<GroupService, 'group' | 'summariesOf'>;
  /** Signs each message at send time (its `mac`: services/moderation). @default no mac */
  commitment?: Commitment;
}

/** The server's commitment to a message at send time (see docs/security.md). */
export interface Commitment {
  sign(m: {
    room: string;
    from: string;
    clientMsgId: string;
    createdAt: number;
    text: string;
  }): string;
}

const noGroups: Pick<GroupService, 'group' | 'summariesOf'> = {
  group: async () => undefined,
  summariesOf: async () => [],
};

/** A group room id (`g:<uuid>`); every other room is a 1:1 room. */
export function isGroupRoom(room: string): boolean {
  return room.startsWith('g:');
}

const noBlocks: BlockRules = {
  isBlocked: async () => false,
  assertNotBlocked: async () => {},
  guard: (_a, _b, work) => work(),
};

const OPEN_PAGE = 50;
/** Store calls one read makes at most to start its burns (BURNS_PER_MARK each). */
const MAX_BURN_ROUNDS = 64;
const CHATS_MAX = 100;
/** Room for a reply's frame around its messages: type, id, room (≤160), peer (≤~500 bytes). */
const ENVELOPE_BYTES = 1024;

/** The chat rules: membership on every operation, limits, expiry defaults. No transport here. */
export class ChatService {
  /** Bytes one reply holds at most (see `limits.replyMaxBytes`). */
  readonly replyMaxBytes: number;
  readonly #budget: ReplyBudget;
  readonly #blocks: BlockRules;
  readonly #groups: GroupChats;
  readonly #commitment: Commitment | undefined;

  constructor(
    private readonly messages: MessageStore,
    private readonly presence: Pick<Presence, 'onlineUsers'>,
    /** For typing and read events. */
    private readonly bus: Pick<Bus, 'publish' | 'broadcast'>,
    private readonly directory: UserDirectory,
    private readonly now: () => number = Date.now,
    options: ChatOptions = {},
  ) {
    const backpressure = options.maxBackpressureBytes ?? 1024 * 1024;
    this.replyMaxBytes = Math.min(limits.replyMaxBytes, Math.floor(backpressure / 4));
    this.#budget = new ReplyBudget(options.replyBytesInFlight ?? 64 * 1024 * 1024);
    this.#blocks = options.blocks ?? noBlocks;
    this.#commitment = options.commitment;
    this.#groups = new GroupChats({
      messages,
      groups: options.groups ?? noGroups,
      presence,
      bus,
      now,
    });
  }

  /** Bytes the messages of one page may take, leaving room for the frame around them. */
  get #pageBytes(): number {
    return Math.max(this.replyMaxBytes - ENVELOPE_BYTES, 0);
  }

  async open(userId: string, username: string) {
    const peer = await this.directory.byUsername(username);
    if (!peer) throw new AppError('user_not_found', `No user is called ${username}.`);
    if (peer.id === userId) {
      throw new AppError('validation_failed', 'You cannot open a chat with yourself.');
    }
    await this.#blocks.assertNotBlocked(userId, peer.id);
    const room = roomFor(userId, peer.id);
    const [page, online, [state], settings] = await Promise.all([
      this.#read(() =>
        this.messages.readBefore(room, undefined, OPEN_PAGE, this.now(), this.#pageBytes),
      ),
      this.presence.onlineUsers([peer.id], this.now()),
      this.messages.readStates(userId, [{ room, peer: peer.id }], this.now()),
      this.messages.settings(room, this.now()),
    ]);
    const opened = { room, peer: { ...peer, online: online.has(peer.id) } };
    return {
      ...opened,
      messages: page.messages,
      hasMore: page.hasMore,
      ...stateFields(state),
      settings,
    };
  }

  /** `group.open`: the group, its newest messages since the user joined, and every member's read seq. */
  async openGroup(userId: string, room: string) {
    return this.#read(() => this.#groups.open(userId, room, this.#pageBytes, OPEN_PAGE));
  }

  /**
   * Stores a message. A send without `ttl` takes the chat's settings (its ttl, and its burn unless
   * the send gives one: one more store read, only then); a send with `ttl` takes `burn` only from
   * itself. A send racing a settings change may use either. `burn` above the ttl is refused.
   */
  async send(
    userId: string,
    input: {
      room: string;
      text: string;
      ttl?: number | undefined;
      burn?: number | undefined;
      clientMsgId: string;
    },
  ) {
    const group = isGroupRoom(input.room);
    // A group's membership; a 1:1 room's peer (no await for the usual, cached case).
    const peerId = group
      ? await this.#groups.member(input.room, userId).then(() => '')
      : await this.#member(input.room, userId);
    // Code points never outnumber UTF-16 units: most texts need no count.
    if (
      input.text.length > limits.messageMaxLength &&
      codePointLength(input.text) > limits.messageMaxLength
    ) {
      throw new AppError(
        'message_too_long',
        `Messages have at most ${limits.messageMaxLength} characters.`,
      );
    }
    let { ttl, burn } = input;
    if (ttl === undefined) {
      const settings = await this.messages.settings(input.room, this.now());
      ttl = settings.ttl ?? expiry.defaultTtlMs;
      burn ??= settings.burn;
    }
    if (burn !== undefined && burn > ttl) {
      throw new AppError(
        'validation_failed',
        `Burn (${burn} ms) cannot exceed the TTL (${ttl} ms).`,
      );
    }
    const now = this.now();
    const { room, text, clientMsgId } = input;
    const mac = this.#commitment?.sign({ room, from: userId, clientMsgId, createdAt: now, text });
    // Blocks do not reach into groups (docs/protocol.md): a group is everyone's room.
    if (group) {
      return this.messages.append({
        room,
        group: true,
        from: userId,
        text,
        ttl,
        burn,
        clientMsgId,
        now,
        mac,
      });
    }
    const members = [userId, peerId] as const;
    // Checked last, right before the append, and counted in flight (see BlockService).
    return this.#blocks.guard(userId, peerId, () =>
      this.messages.append({ room, members, from: userId, text, ttl, burn, clientMsgId, now, mac }),
    );
  }

  /** One page back from `before`, bounded by count and bytes; `hasMore` when older ones remain. */
  async history(userId: string, room: string, before: number | undefined, limit?: number) {
    const count = limit ?? OPEN_PAGE;
    if (isGroupRoom(room)) {
      return this.#read(() => this.#groups.history(userId, room, before, count, this.#pageBytes));
    }
    await this.#member(room, userId);
    return this.#read(() =>
      this.messages.readBefore(room, before, count, this.now(), this.#pageBytes),
    );
  }

  /**
   * One page of what follows `after`, bounded by count and bytes. Never more: a client with more
   * to read gets `hasMore` and asks again from the last seq, so no reply outgrows a send buffer.
   */
  async resume(userId: string, room: string, after: number): Promise<MessagePage> {
    if (isGroupRoom(room)) {
      const max = limits.historyPageMax;
      return this.#read(() => this.#groups.resume(userId, room, after, max, this.#pageBytes));
    }
    await this.#member(room, userId);
    return this.#read(() =>
      this.messages.readAfter(room, after, limits.historyPageMax, this.now(), this.#pageBytes),
    );
  }

  /** Relays a typing indicator to the peer, after checking membership (else `forbidden`); never stored. */
  async typing(userId: string, room: string, typing: boolean): Promise<void> {
    if (isGroupRoom(room)) return this.#groups.typing(userId, room, typing);
    const peer = await this.#member(room, userId);
    await this.#blocks.assertNotBlocked(userId, peer);
    const event = { type: 'typing', room, userId, typing };
    await this.bus.publish(userTopic(peer), JSON.stringify(event));
  }

  /**
   * Marks `room` read up to `seq` for the user (a member, else `forbidden`): never backwards, and
   * a seq beyond the room's latest is clamped to it (a client may not pre-read messages not yet
   * sent). When the read seq moved, the `read` event goes to both members' topics (the peer's
   * receipt; the reader's other connections). The burns it starts go to both as `expiry` events
   * (no text); an unseen-expired count it acknowledged goes to the reader's connections as
   * `unseen` 0. Returns the effective read seq.
   */
  async read(userId: string, room: string, seq: number): Promise<number> {
    if (isGroupRoom(room)) return this.#groups.read(userId, room, seq);
    const peer = await this.#member(room, userId);
    // The store publishes the events (read, unseen, expiry). Bounded work per store call: a read
    // over many burn messages marks again until all burn.
    let mark = await this.messages.markRead(room, userId, peer, seq, this.now());
    for (let rounds = 0; mark.burnMore && rounds < MAX_BURN_ROUNDS; rounds++) {
      mark = await this.messages.markRead(room, userId, peer, mark.seq, this.now());
    }
    return mark.seq;
  }

  async delivered(userId: string, room: string, seq: number): Promise<void> {
    if (isGroupRoom(room)) return this.#groups.delivered(userId, room);
    const peer = await this.#member(room, userId);
    // Across a block no receipt of delivery goes to the peer: ignored (it has no reply).
    if (await this.#blocks.isBlocked(userId, peer)) return;
    // The store publishes the `delivered` event to the peer when the seq moved.
    await this.messages.markDelivered(room, userId, peer, seq);
  }

  /**
   * Unsends the user's own live message `seq` of `room`: deleted for both members at once; the
   * store publishes the `unsent` event (no text) to both. Allowed across a block (it only takes
   * away). `forbidden` for a non-member or another member's message; `not_found` when no live
   * message has that seq (never sent, expired, or unsent already).
   */
  async unsend(userId: string, room: string, seq: number): Promise<{ room: string; seq: number }> {
    const result = isGroupRoom(room)
      ? await this.#groups.unsend(userId, room, seq)
      : await this.messages.unsend(room, userId, await this.#member(room, userId), seq, this.now());
    if (result === 'not_sender') {
      throw new AppError('forbidden', 'Only its sender can unsend a message.');
    }
    if (result === 'not_found') {
      throw new AppError(
        'not_found',
        'No live message has that seq in this room: it may have expired or been unsent already.',
      );
    }
    return { room, seq };
  }

  /**
   * Changes the chat's defaults (either member; else `forbidden`); `validation_failed` when the
   * burn would exceed the ttl. Both members get the `settings` event.
   */
  async settings(userId: string, room: string, patch: SettingsPatch) {
    if (isGroupRoom(room)) return this.#groups.settings(userId, room, patch);
    const peer = await this.#member(room, userId);
    await this.#blocks.assertNotBlocked(userId, peer);
    const at = this.now();
    const result = await this.messages.setSettings(room, patch, at);
    if (!result.ok) {
      throw new AppError('validation_failed', 'The chat burn cannot exceed the chat TTL.');
    }
    const change = { room, settings: result.settings, by: userId, at };
    const event = JSON.stringify({ type: 'settings', ...change });
    await Promise.all([userId, peer].map((member) => this.bus.publish(userTopic(member), event)));
    return change;
  }

  /**
   * The user's chats, newest first, each with a preview of its last message (text cut to
   * `limits.chatPreviewMaxLength`), as many as fit in a reply; `hasMore` when some were left out.
   */
  async chats(userId: string) {
    return this.#read(async () => {
      const rows = await this.messages.listChatRows(userId, CHATS_MAX + 1, this.now());
      const kept = rows.slice(0, CHATS_MAX);
      const peerIds = kept.map((row) => peerIn(row.room, userId) ?? '');
      const rooms = kept.map((row, i) => ({ room: row.room, peer: peerIds[i] ?? '' }));
      const [states, online, found, blocked] = await Promise.all([
        this.messages.readStates(userId, rooms, this.now()),
        this.presence.onlineUsers(peerIds, this.now()),
        Promise.all(peerIds.map((id) => this.directory.byId(id))),
        // A chat across a block stays listed, its peer always shown offline.
        Promise.all(peerIds.map((id) => this.#blocks.isBlocked(userId, id))),
      ]);
      const entries = kept.flatMap((row, i) => {
        const peer = found[i];
        const state = stateFields(states[i]);
        // A chat whose messages all expired is listed only for its unseen-expired count.
        if (!peer || (!row.last && state.unseenExpired === 0)) return [];
        const isOnline = online.has(peer.id) && !blocked[i];
        const entry = { room: row.room, peer: { ...peer, online: isOnline } };
        return [{ ...entry, ...(row.last ? { last: preview(row.last) } : {}), ...state }];
      });
      // Groups (at most CHATS_MAX, by room id; `groups` pages the rest) merge in by
      // their newest message.
      const groups = await this.#groups.entries(userId, CHATS_MAX);
      const groupEntries = groups.entries;
      const dated = [
        ...entries.map((entry) => ({ entry, at: entry.last?.createdAt ?? 0 })),
        ...groupEntries,
      ];
      if (groupEntries.length > 0) dated.sort((a, b) => b.at - a.at);
      const all: (DmChatEntry | GroupChatEntry)[] = dated.map((d) => d.entry);
      const fitted = fitInBytes(all, this.replyMaxBytes - ENVELOPE_BYTES);
      const hasMore = fitted.cut || rows.length > CHATS_MAX || groups.more;
      return { chats: fitted.items, hasMore };
    });
  }

  /** A read that reserves a whole reply's bytes in the node's budget while it runs. */
  #read<T>(read: () => Promise<T>): Promise<T> {
    return this.#budget.run(this.replyMaxBytes, read);
  }

  async #member(room: string, userId: string): Promise<string> {
    const peerId = peerIn(room, userId);
    // A room the user is not in, or whose other member does not exist, is not theirs.
    if (!peerId || peerId === userId) {
      throw new AppError('forbidden', 'You are not a member of this room.');
    }
    if (this.directory.known(peerId)) return peerId; // no await for the usual, cached case
    if (!(await this.directory.byId(peerId))) {
      throw new AppError('forbidden', 'You are not a member of this room.');
    }
    return peerId;
  }
}

/** The read-state fields of `opened` and of a `chats` entry. */
function stateFields(state: ReadState | undefined) {
  return {
    unread: state?.unread ?? 0,
    peerReadSeq: state?.peerReadSeq ?? 0,
    peerDeliveredSeq: state?.peerDeliveredSeq ?? 0,
    unseenExpired: state?.unseenExpired ?? 0,
  };
}
