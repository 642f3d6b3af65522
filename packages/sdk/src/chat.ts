import type { ChatSettings, PublicUser, SearchResult } from '@ephemeral-chat/protocol';
import { type ChatContext, type ChatFrame, Conversation } from './conversation.js';
import type { ReadEvent } from './events.js';

export type { ChatContext, ChatFrame, HistoryPage } from './conversation.js';

/** The other member of a 1:1 chat, with whether they were online when last asked. */
export type Peer = SearchResult;

/**
 * Where one of the user's own messages stands: not stored yet, stored, received by a client of
 * the peer, read by the peer, or expired before the peer read it.
 */
export type MessageState = 'sending' | 'sent' | 'delivered' | 'seen' | 'expired-unseen';

/** A chat's receipts and counts, as `opened` and `chats` give them. */
export interface ChatState {
  unread: number;
  peerReadSeq: number;
  peerDeliveredSeq: number;
  unseenExpired: number;
}

/** A chat's receipts as the client writes them (read-only to apps). */
type State = ChatState;

/**
 * A 1:1 chat, from `client.open(username)`. It emits its own events, so a view of one chat need
 * not filter the client's.
 */
export class Chat extends Conversation {
  // Set by `_set` right after construction (`open`), so no initializers (bundle bytes).
  /** The peer's read seq: the user's messages up to it have been seen. */
  declare readonly peerReadSeq: number;
  /** The highest seq a client of the peer received: the user's messages up to it were delivered. */
  declare readonly peerDeliveredSeq: number;
  /** The peer's messages that expired before the user read them, since the user's last read. */
  declare readonly unseenExpired: number;

  constructor(
    room: string,
    /** The other member, as of the last `open`. */
    public peer: Peer,
    context: ChatContext,
  ) {
    super(room, context);
  }

  /** @internal */
  override _own(m: { from: string }): boolean {
    return m.from !== this.peer.id;
  }

  /** Who wrote `message`: the peer, or the user (`client.user`). */
  override sender(message: { from: string }): PublicUser | undefined {
    return [this.peer, this._c.user()].find((u) => u?.id === message.from);
  }

  /** @internal The peer's message expired unread: one more lost unseen. */
  override _lost(): void {
    this._on({ type: 'unseen', room: this.room, unseenExpired: this.unseenExpired + 1 });
  }

  /** @internal Receipts and counts from an `opened` or `chats` reply (`settings`: `opened`). */
  _set(s: ChatState & { settings?: ChatSettings }): void {
    Object.assign(this, {
      peerReadSeq: s.peerReadSeq,
      peerDeliveredSeq: Math.max(s.peerDeliveredSeq, s.peerReadSeq),
      unseenExpired: s.unseenExpired,
    });
    this._counts(s.unread, s.settings);
  }

  /** @internal A read by either member (a `read` event, or the reply to `markRead`). */
  override _read(e: ReadEvent): void {
    if (e.userId !== this.peer.id) {
      this._mine(e.seq);
      return;
    }
    (this as State).peerReadSeq = Math.max(this.peerReadSeq, e.seq);
    // A read implies the message reached the peer.
    (this as State).peerDeliveredSeq = Math.max(this.peerDeliveredSeq, e.seq);
  }

  /** @internal */
  override _other(f: ChatFrame): void {
    if (f.type === 'delivered') {
      (this as State).peerDeliveredSeq = Math.max(this.peerDeliveredSeq, f.seq);
    } else if (f.type === 'unseen') (this as State).unseenExpired = f.unseenExpired;
  }

  /**
   * Where one of the user's own messages stands (`sending` for one without a `seq` yet): `seen`
   * up to `peerReadSeq`, else `expired-unseen` past its `expiresAt`, else `delivered` up to
   * `peerDeliveredSeq`, else `sent`.
   */
  stateOf(message: { seq?: number; expiresAt?: number }): MessageState {
    const seq = message.seq;
    if (seq === undefined) return 'sending';
    if (seq <= this.peerReadSeq) return 'seen';
    if ((message.expiresAt ?? Infinity) <= this._c.clock.now()) {
      return 'expired-unseen';
    }
    return seq <= this.peerDeliveredSeq ? 'delivered' : 'sent';
  }
}
