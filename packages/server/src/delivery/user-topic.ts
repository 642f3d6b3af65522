import { closeCodes } from '@ephemeral-chat/protocol';
import type { Bus } from '../engine/bus/bus.js';
import type { SessionEndedNotice, UserEndedNotice } from '../services/sessions.js';
import { isExpiredMessage } from './live-expiry.js';
import { end, type LocalHub } from './local-hub.js';
import { userTopic } from './topics.js';

const GROUP_CHANGED = '{"type":"group.changed"';

/**
 * The per-user topic every node with a socket of that user subscribes to: live frames for the
 * user's sockets, and control notices (`{"$":…}`) such as a logout's `session_ended`.
 */
export class UserTopic {
  constructor(
    private readonly bus: Pick<Bus, 'subscribe' | 'unsubscribe'>,
    private readonly hub: LocalHub,
    /** A `group.changed` event for the user, before it is forwarded (delivery/group-rooms.ts). */
    private readonly onGroupChanged: (userId: string, payload: string) => void = () => {},
  ) {}

  /** Resolves once this node's subscription is confirmed (idempotent per user). */
  subscribe(userId: string): Promise<void> {
    return this.bus.subscribe(userTopic(userId), (payload) => this.#deliver(userId, payload));
  }

  /** Call when the user's last socket on this node closes. */
  unsubscribe(userId: string): void {
    void this.bus.unsubscribe(userTopic(userId)).catch(() => {});
  }

  /** A payload for a user from any node: a client frame to forward, or a control notice. */
  #deliver(userId: string, payload: string): void {
    if (!payload.startsWith('{"$"')) {
      if (payload.startsWith(GROUP_CHANGED)) this.onGroupChanged(userId, payload);
      // A message that arrives after its expiresAt (a write or publish that ran late) is dropped.
      if (!isExpiredMessage(payload, Date.now())) this.hub.deliverToUser(userId, payload);
      return;
    }
    const notice = JSON.parse(payload) as SessionEndedNotice | UserEndedNotice;
    if (notice.$ === 'user_ended') {
      // Every socket of the user, whatever its session (suspension, account deletion).
      for (const ws of [...this.hub.socketsOf(userId)]) {
        end(ws, closeCodes.session_ended.code, notice.reason);
      }
      return;
    }
    // Sockets still authenticating are in the hub too, so a notice ends them as well.
    for (const ws of this.hub.socketsOf(userId)) {
      if (ws.getUserData().session?.tokenHash === notice.tokenHash) {
        end(ws, closeCodes.session_ended.code, 'logged out');
      }
    }
  }
}
