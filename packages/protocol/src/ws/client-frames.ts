import { z } from 'zod';
import { limits } from '../limits.js';
import {
  burnSchema,
  clientMsgIdSchema,
  groupNameSchema,
  groupRoomIdSchema,
  messageTextSchema,
  roomIdSchema,
  seqSchema,
  timestampSchema,
  ttlSchema,
  userIdSchema,
  usernameSchema,
} from '../primitives.js';
import { reportReasons } from '../report-reasons.js';

/** Request id, echoed by the reply or error. */
const id = z
  .number()
  .int()
  .nonnegative()
  .max(2 ** 31 - 1);

/**
 * First frame: authenticate with the session token (unless the upgrade carried the cookie), or
 * with a host token (`hostToken`, a JWT signed by the embedding site) — exactly one of the two.
 */
export const authFrameSchema = z
  .strictObject({
    type: z.literal('auth'),
    id,
    token: z.string().min(1).max(256).optional(),
    hostToken: z.string().min(1).max(8192).optional(),
  })
  .refine((f) => (f.token === undefined) !== (f.hostToken === undefined), {
    error: 'Send exactly one of `token` and `hostToken`.',
  });
/** Open (or find) the 1:1 chat with a user. */
export const openFrameSchema = z.strictObject({
  type: z.literal('open'),
  id,
  username: usernameSchema,
});
/**
 * Store a message with its TTL and fan it out to both members. `ttl` and `burn` left out take the
 * chat's settings (see `settings`), else `expiry.defaultTtlMs` and no burn. `burn` above the
 * effective TTL is refused with `validation_failed`.
 */
export const sendFrameSchema = z.strictObject({
  type: z.literal('send'),
  id,
  room: roomIdSchema,
  text: messageTextSchema,
  ttl: ttlSchema.optional(),
  burn: burnSchema.optional(),
  clientMsgId: clientMsgIdSchema,
});
/** Older unexpired messages, newest first page before `before`. */
export const historyFrameSchema = z.strictObject({
  type: z.literal('history'),
  id,
  room: roomIdSchema,
  before: seqSchema.optional(),
  limit: z.number().int().min(1).max(limits.historyPageMax).optional(),
});
/** Every unexpired message after `after` (for reconnects). */
export const resumeFrameSchema = z.strictObject({
  type: z.literal('resume'),
  id,
  room: roomIdSchema,
  after: seqSchema,
});
/** Typing indicator: relayed to the peer, never stored. */
export const typingFrameSchema = z.strictObject({
  type: z.literal('typing'),
  room: roomIdSchema,
  typing: z.boolean(),
});
/** Replace the set of users whose presence this connection watches. */
export const presenceFrameSchema = z.strictObject({
  type: z.literal('presence'),
  id,
  userIds: z.array(userIdSchema).max(limits.presenceWatchMax),
});
/**
 * Marks the room read up to `seq` (the highest seq the reader has seen). Never backwards: a seq
 * below the stored one changes nothing; one beyond the room's latest is clamped to the latest.
 */
export const readFrameSchema = z.strictObject({
  type: z.literal('read'),
  id,
  room: roomIdSchema,
  seq: seqSchema,
});
/**
 * The member's client received the room's messages up to `seq` (the SDK sends it on its own for
 * what it receives; a `read` implies it). Never backwards, clamped to the room's latest seq. No
 * reply: the peer gets a `delivered` event when the seq moved.
 */
export const deliveredFrameSchema = z.strictObject({
  type: z.literal('delivered'),
  room: roomIdSchema,
  seq: seqSchema,
});
/**
 * Sets the chat's defaults for new messages (either member may): `ttl`, and `burn` (null turns it
 * off). A field left out keeps its value; the effective `burn` must not exceed the effective `ttl`.
 * Reply `settings` with `id`; both members get the `settings` event.
 */
export const settingsFrameSchema = z.strictObject({
  type: z.literal('settings'),
  id,
  room: roomIdSchema,
  ttl: ttlSchema.optional(),
  burn: burnSchema.nullable().optional(),
});
/**
 * Unsends the sender's own message `seq` of `room`: it is deleted for both members at once, from
 * every read path and every node. Reply `unsent` with `id`; both members get the `unsent` event
 * (no text). `forbidden` for a message the sender did not send (or a room not theirs);
 * `not_found` when `seq` is not a live message of the room (never sent, expired, or unsent already).
 */
export const unsendFrameSchema = z.strictObject({
  type: z.literal('unsend'),
  id,
  room: roomIdSchema,
  seq: seqSchema,
});
/** The user's chats that still hold unexpired messages, or unread or unseen-expired state. */
export const chatsFrameSchema = z.strictObject({ type: z.literal('chats'), id });
/** Application-level heartbeat (browsers cannot send WebSocket pings). */
export const pingFrameSchema = z.strictObject({ type: z.literal('ping'), id });

/**
 * Creates a group named `name` with the sender (its first admin) and the users named in
 * `usernames` (duplicates and the sender's own name are ignored). Reply `group`; every member gets
 * `group.changed` (`created`). All or nothing: an unknown username (`user_not_found`), too many
 * members (`group_full`) or a member at their group cap (`too_many_groups`) creates nothing.
 */
export const groupCreateFrameSchema = z.strictObject({
  type: z.literal('group.create'),
  id,
  name: groupNameSchema,
  usernames: z.array(usernameSchema).max(limits.groupMaxMembers),
});
/** Admins add members by username; all or nothing, as for `group.create`. Reply `group`. */
export const groupAddFrameSchema = z.strictObject({
  type: z.literal('group.add'),
  id,
  room: groupRoomIdSchema,
  usernames: z.array(usernameSchema).min(1).max(limits.groupMaxMembers),
});
/** Admins remove a member (not themselves: see `group.leave`). Reply `group`. */
export const groupRemoveFrameSchema = z.strictObject({
  type: z.literal('group.remove'),
  id,
  room: groupRoomIdSchema,
  userId: userIdSchema,
});
/** Any member leaves. Reply `group.left`; the group is deleted when nobody is left. */
export const groupLeaveFrameSchema = z.strictObject({
  type: z.literal('group.leave'),
  id,
  room: groupRoomIdSchema,
});
/** Admins rename the group. Reply `group`. */
export const groupRenameFrameSchema = z.strictObject({
  type: z.literal('group.rename'),
  id,
  room: groupRoomIdSchema,
  name: groupNameSchema,
});
/** Admins promote (`admin: true`) or demote a member; the last admin cannot be demoted. Reply `group`. */
export const groupAdminFrameSchema = z.strictObject({
  type: z.literal('group.admin'),
  id,
  room: groupRoomIdSchema,
  userId: userIdSchema,
  admin: z.boolean(),
});
/** A group the sender is a member of, with its members. Reply `group`. */
export const groupGetFrameSchema = z.strictObject({
  type: z.literal('group.get'),
  id,
  room: groupRoomIdSchema,
});
/**
 * Opens a group the sender is a member of: its state, its newest messages (only those sent since
 * the sender joined) and every member's read seq (for "seen by k of n"; a member's later `read`
 * events reach the senders of the messages they cover). Reply `group.opened`.
 * `send`, `history`, `resume`, `typing`, `read`, `delivered`, `settings` (admins only) and
 * `unsend` take a group room like a 1:1 room; membership is checked on every frame.
 */
export const groupOpenFrameSchema = z.strictObject({
  type: z.literal('group.open'),
  id,
  room: groupRoomIdSchema,
});
/**
 * The sender's groups, ordered by room id, at most `limits.groupsPageMax` per reply; with `after`,
 * those after that room id (continue from the last one while `hasMore`). Reply `groups`.
 */
export const groupsFrameSchema = z.strictObject({
  type: z.literal('groups'),
  id,
  after: groupRoomIdSchema.optional(),
});

/**
 * Blocks a user (by id): from then on neither can open, send to or type in their 1:1 chat, see
 * the other's presence, or find the other in search (both get `blocked`). Idempotent. Reply
 * `blocked`; `user_not_found` for an unknown id, `validation_failed` for oneself or past
 * `blocksMax` blocks.
 */
export const blockFrameSchema = z.strictObject({
  type: z.literal('block'),
  id,
  userId: userIdSchema,
});
/** Lifts the sender's block of a user; idempotent (no block, no error). Reply `unblocked`. */
export const unblockFrameSchema = z.strictObject({
  type: z.literal('unblock'),
  id,
  userId: userIdSchema,
});
/** The users the sender blocks, by username, at most `blocksMax`. Reply `blocks`. */
export const blocksFrameSchema = z.strictObject({
  type: z.literal('blocks'),
  id,
});

/** Why a message is reported: the fixed list of report-reasons.ts. */
export const reportReasonSchema = z.enum(reportReasons);
export type ReportReason = z.infer<typeof reportReasonSchema>;
/** The reporter's optional comment: at most 500 code points. */
export const reportCommentSchema = z
  .string()
  .max(2000, { error: 'At most 500 characters.', abort: true })
  .refine((t) => [...t].length <= 500, { error: 'At most 500 characters.' });
/**
 * The reporter's own copy of a message that has expired, exactly as it was received, with the
 * `mac` the server attached at send time (the commitment): the server accepts it only if the
 * `mac` verifies, within `REPORT_EVIDENCE_DAYS` of `createdAt`.
 */
export const reportCopySchema = z.strictObject({
  from: userIdSchema,
  text: messageTextSchema,
  clientMsgId: clientMsgIdSchema,
  createdAt: timestampSchema,
  mac: z.string().min(1).max(64),
});
export type ReportCopy = z.infer<typeof reportCopySchema>;
/**
 * Reports message `seq` of a room the sender is a member of (reporting does not block: send
 * `block` too for that). While the message is live the server copies it; once it has expired,
 * `copy` must carry the reporter's copy (else `message_expired`; a copy that does not verify:
 * `evidence_rejected`). Reporting the same message twice returns the same report. Reply
 * `reported`; `forbidden` for a room the sender is not in (or that does not exist).
 */
export const reportFrameSchema = z.strictObject({
  type: z.literal('report'),
  id,
  room: roomIdSchema,
  seq: seqSchema,
  reason: reportReasonSchema,
  text: reportCommentSchema.optional(),
  copy: reportCopySchema.optional(),
});

export const clientFrameSchema = z.discriminatedUnion('type', [
  authFrameSchema,
  openFrameSchema,
  sendFrameSchema,
  historyFrameSchema,
  resumeFrameSchema,
  typingFrameSchema,
  presenceFrameSchema,
  readFrameSchema,
  deliveredFrameSchema,
  settingsFrameSchema,
  unsendFrameSchema,
  chatsFrameSchema,
  pingFrameSchema,
  groupCreateFrameSchema,
  groupAddFrameSchema,
  groupRemoveFrameSchema,
  groupLeaveFrameSchema,
  groupRenameFrameSchema,
  groupAdminFrameSchema,
  groupGetFrameSchema,
  groupOpenFrameSchema,
  groupsFrameSchema,
  blockFrameSchema,
  unblockFrameSchema,
  blocksFrameSchema,
  reportFrameSchema,
]);

export type ClientFrame = z.infer<typeof clientFrameSchema>;
export type ClientFrameType = ClientFrame['type'];
export const clientFrameTypes = clientFrameSchema.options.map((o) => o.shape.type.value);
