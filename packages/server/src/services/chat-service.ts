import {
  codePointLength,
  expiry,
  limits,
  type Message,
  type PublicUser,
} from '@ephemeral-chat/protocol';
import type { Engine } from '../engine/engine.js';
import { AppError } from '../errors/app-error.js';
import { peerIn, roomFor } from './rooms.js';
import type { UserDirectory } from './user-directory.js';

export interface Peer extends PublicUser {
  online: boolean;
}

const OPEN_PAGE = 50;
const CHATS_MAX = 100;

/** The chat rules: membership on every operation, limits, expiry defaults. No transport here. */
export class ChatService {
  constructor(
    private readonly engine: Engine,
    private readonly directory: UserDirectory,
    private readonly now: () => number = Date.now,
  ) {}

  async open(userId: string, username: string) {
    const peer = await this.directory.byUsername(username);
    if (!peer) throw new AppError('user_not_found', `No user is called ${username}.`);
    if (peer.id === userId) {
      throw new AppError('validation_failed', 'You cannot open a chat with yourself.');
    }
    const room = roomFor(userId, peer.id);
    const [page, online] = await Promise.all([
      this.engine.readBefore(room, undefined, OPEN_PAGE, this.now()),
      this.engine.onlineUsers([peer.id], this.now()),
    ]);
    const opened = { room, peer: { ...peer, online: online.has(peer.id) } };
    return { ...opened, messages: page.messages, hasMore: page.hasMore };
  }

  async send(
    userId: string,
    input: { room: string; text: string; ttl?: number | undefined; clientMsgId: string },
  ) {
    const peerId = await this.#member(input.room, userId);
    if (codePointLength(input.text) > limits.messageMaxLength) {
      throw new AppError(
        'message_too_long',
        `Messages have at most ${limits.messageMaxLength} characters.`,
      );
    }
    const members = [userId, peerId] as const;
    return this.engine.appendMessage({
      room: input.room,
      members,
      from: userId,
      text: input.text,
      ttl: input.ttl ?? expiry.defaultTtlMs,
      clientMsgId: input.clientMsgId,
      now: this.now(),
    });
  }

  async history(userId: string, room: string, before: number | undefined, limit?: number) {
    await this.#member(room, userId);
    return this.engine.readBefore(room, before, limit ?? OPEN_PAGE, this.now());
  }

  async resume(userId: string, room: string, after: number): Promise<Message[]> {
    await this.#member(room, userId);
    // Everything unexpired after `after`: page through in case a long outage left many.
    const out: Message[] = [];
    let from = after;
    for (;;) {
      const page = await this.engine.readAfter(room, from, limits.historyPageMax, this.now());
      out.push(...page);
      const last = page.at(-1);
      if (!last || page.length < limits.historyPageMax) return out;
      from = last.seq;
    }
  }

  /** The peer's id, after checking that the user belongs to the room (else `forbidden`). */
  async typingPeer(userId: string, room: string): Promise<string> {
    return this.#member(room, userId);
  }

  async chats(userId: string) {
    const lasts = await this.engine.listChats(userId, CHATS_MAX, this.now());
    const peerIds = lasts.map((m) => peerIn(m.room, userId) ?? '');
    const online = await this.engine.onlineUsers(peerIds, this.now());
    const chats = await Promise.all(
      lasts.map(async (last, i) => {
        const peer = await this.directory.byId(peerIds[i] ?? '');
        return peer
          ? { room: last.room, peer: { ...peer, online: online.has(peer.id) }, last }
          : undefined;
      }),
    );
    return chats.filter((c) => c !== undefined);
  }

  async #member(room: string, userId: string): Promise<string> {
    const peerId = peerIn(room, userId);
    // A room the user is not in, or whose other member does not exist, is not theirs.
    if (!peerId || peerId === userId || !(await this.directory.byId(peerId))) {
      throw new AppError('forbidden', 'You are not a member of this room.');
    }
    return peerId;
  }
}
