import type { Message, ReportCopy, ReportReason } from '@ephemeral-chat/protocol';
import type { MessageStore } from '../../engine/messages/message-store.js';
import { AppError } from '../../errors/app-error.js';
import type { ReportStore } from '../../stores/reports/report-store.js';
import type { GroupService } from '../group-service.js';
import { peerIn } from '../rooms.js';
import type { UserDirectory } from '../user-directory.js';
import type { CommittedMessage } from './commitment.js';

export interface ReportInput {
  room: string;
  seq: number;
  reason: ReportReason;
  text?: string | undefined;
  copy?: ReportCopy | undefined;
}

export interface ReportServiceDeps {
  reports: ReportStore;
  messages: Pick<MessageStore, 'readAfter'>;
  groups: Pick<GroupService, 'get'>;
  directory: Pick<UserDirectory, 'byId'>;
  commitment: { verify(m: CommittedMessage, mac: string): boolean };
  /** How long a report is kept (REPORT_RETENTION_DAYS). */
  retentionMs: number;
  now?: () => number;
}

/**
 * Reporting a message: only a member of its room may, and only a message it could read. A live
 * message is copied by the server from the message store; an expired one only from the reporter's
 * own copy, and only when the commitment the server attached at send time verifies (so a report
 * cannot be forged, and expiry cannot hide abuse). Reporting does not block.
 */
export class ReportService {
  readonly #now: () => number;

  constructor(private readonly d: ReportServiceDeps) {
    this.#now = d.now ?? Date.now;
  }

  async report(reporterId: string, input: ReportInput): Promise<string> {
    const now = this.#now();
    const joinedAt = await this.#membership(reporterId, input.room);
    const live = await this.#live(input.room, input.seq, now);
    let source: 'live' | 'copy';
    let message: Omit<Message, 'seq' | 'ttl' | 'expiresAt'>;
    if (live && live.createdAt >= joinedAt) {
      source = 'live';
      message = live;
    } else if (live) {
      throw notReadable();
    } else if (input.copy) {
      const copy = input.copy;
      const committed: CommittedMessage = {
        room: input.room,
        from: copy.from,
        clientMsgId: copy.clientMsgId,
        createdAt: copy.createdAt,
        text: copy.text,
      };
      if (!this.d.commitment.verify(committed, copy.mac)) {
        throw new AppError(
          'evidence_rejected',
          'That copy does not match what the server sent, or is too old to verify.',
        );
      }
      if (copy.createdAt < joinedAt) throw notReadable();
      source = 'copy';
      message = committed;
    } else {
      throw new AppError(
        'message_expired',
        'That message has expired: report it with your copy of it.',
      );
    }
    if (message.from === reporterId) {
      throw new AppError('validation_failed', 'You cannot report your own message.');
    }
    const sender = await this.d.directory.byId(message.from);
    const { reportId } = await this.d.reports.add({
      reporterId,
      reason: input.reason,
      comment: input.text,
      now,
      expiresAt: now + this.d.retentionMs,
      source,
      message: {
        room: input.room,
        seq: input.seq,
        from: message.from,
        fromUsername: sender?.username ?? null,
        text: message.text,
        clientMsgId: message.clientMsgId,
        createdAt: message.createdAt,
      },
    });
    return reportId;
  }

  /**
   * When the reporter joined the room (0 for a 1:1 room), or `forbidden` — the same error for a
   * room that does not exist, so a report cannot probe for rooms.
   */
  async #membership(userId: string, room: string): Promise<number> {
    if (room.startsWith('dm:')) {
      if (peerIn(room, userId) !== undefined) return 0;
      throw notMember();
    }
    try {
      const group = await this.d.groups.get(userId, room);
      const me = group.members.find((m) => m.id === userId);
      return me?.joinedAt ?? 0;
    } catch (err) {
      if (err instanceof AppError && err.code === 'forbidden') throw notMember();
      throw err;
    }
  }

  async #live(room: string, seq: number, now: number): Promise<Message | undefined> {
    if (seq < 1) return undefined;
    const page = await this.d.messages.readAfter(room, seq - 1, 1, now);
    const first = page.messages[0];
    return first?.seq === seq ? first : undefined;
  }
}

function notMember(): AppError {
  return new AppError('forbidden', 'You are not a member of this room.');
}

function notReadable(): AppError {
  return new AppError('forbidden', 'That message was sent before you joined this group.');
}
