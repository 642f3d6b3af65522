import { z } from 'zod';
import { blocksMax } from '../blocks.js';
import { errorPayloadSchema } from '../error-body.js';
import {
  burnSchema,
  groupNameSchema,
  groupRoomIdSchema,
  publicUserSchema,
  roomIdSchema,
  seqSchema,
  timestampSchema,
  ttlSchema,
  userIdSchema,
} from '../primitives.js';
import { messageSchema } from './message.js';

const id = z.number().int().nonnegative();
const peerSchema = publicUserSchema.extend({ online: z.boolean() });
/** Unexpired messages from the peer after the user's read seq. */
const unread = z.number().int().nonnegative();
/** The peer's read seq in the room (0 when they have read nothing yet). */
const peerReadSeq = seqSchema;
/** The highest seq the peer's client received (a read counts as received). */
const peerDeliveredSeq = seqSchema;
/**
 * Messages from the peer that expired before this member read them, since the member's last
 * `read` of the room: a count only, never ids or content.
 */
const unseenExpired = z.number().int().nonnegative();

/** A chat's defaults for new messages; a field left out means the protocol default (no burn). */
export const chatSettingsSchema = z.strictObject({
  ttl: ttlSchema.optional(),
  burn: burnSchema.optional(),
});
export type ChatSettings = z.infer<typeof chatSettingsSchema>;

/** Reply to `auth`: the connection is ready. `serverTime` lets clients correct their clock. */
export const welcomeFrameSchema = z.strictObject({
  type: z.literal('welcome'),
  id,
  user: publicUserSchema,
  serverTime: timestampSchema,
  sessionExpiresAt: timestampSchema,
});
export const openedFrameSchema = z.strictObject({
  type: z.literal('opened'),
  id,
  room: roomIdSchema,
  peer: peerSchema,
  messages: z.array(messageSchema),
  /** Older unexpired messages remain before the first of `messages` (page back with `history`). */
  hasMore: z.boolean(),
  unread,
  peerReadSeq,
  peerDeliveredSeq,
  unseenExpired,
  settings: chatSettingsSchema,
});
export const ackFrameSchema = z.strictObject({
  type: z.literal('ack'),
  id,
  message: messageSchema,
});
export const historyReplySchema = z.strictObject({
  type: z.literal('history'),
  id,
  room: roomIdSchema,
  messages: z.array(messageSchema),
  hasMore: z.boolean(),
});
export const resumedFrameSchema = z.strictObject({
  type: z.literal('resumed'),
  id,
  room: roomIdSchema,
  messages: z.array(messageSchema),
  /** More unexpired messages follow the last of `messages`: ask again with `after` = its `seq`. */
  hasMore: z.boolean(),
});
/** A 1:1 chat in `chats`. */
export const dmChatEntrySchema = z.strictObject({
  room: roomIdSchema,
  peer: peerSchema,
  /** Left out when every message has expired (the chat is listed for its unseen-expired count). */
  last: messageSchema.optional(),
  unread,
  peerReadSeq,
  peerDeliveredSeq,
  unseenExpired,
});
/**
 * A group in `chats` (every group of the user, with or without live messages). `unread` counts
 * the live messages from other members after the user's read seq.
 */
export const groupChatEntrySchema = z.strictObject({
  room: groupRoomIdSchema,
  group: z.strictObject({
    name: groupNameSchema,
    memberCount: z.number().int().positive(),
    /** The requesting user is an admin of it. */
    admin: z.boolean(),
  }),
  /** The newest live message sent since the user joined; left out when there is none. */
  last: messageSchema.optional(),
  unread,
});
export const chatsReplySchema = z.strictObject({
  type: z.literal('chats'),
  id,
  /**
   * Newest first (a group with no live message ranks by its creation). `last.text` is a preview:
   * at most `limits.chatPreviewMaxLength` code points.
   */
  chats: z.array(z.union([dmChatEntrySchema, groupChatEntrySchema])),
  /** More chats than fit in `limits.replyMaxBytes` (or the count cap): the oldest were left out. */
  hasMore: z.boolean(),
});
export type DmChatEntry = z.infer<typeof dmChatEntrySchema>;
export type GroupChatEntry = z.infer<typeof groupChatEntrySchema>;
export const presenceReplySchema = z.strictObject({
  type: z.literal('presence'),
  id,
  online: z.array(userIdSchema),
});
export const pongFrameSchema = z.strictObject({
  type: z.literal('pong'),
  id,
  serverTime: timestampSchema,
});
/** Live: a new message in one of the user's rooms. */
export const messageEventSchema = z.strictObject({
  type: z.literal('message'),
  message: messageSchema,
});
/** Live: the peer is typing, or stopped. */
export const typingEventSchema = z.strictObject({
  type: z.literal('typing'),
  room: roomIdSchema,
  userId: userIdSchema,
  typing: z.boolean(),
});
/** Live: a watched user came online or went offline. */
export const presenceEventSchema = z.strictObject({
  type: z.literal('presence.changed'),
  userId: userIdSchema,
  online: z.boolean(),
});
/**
 * `userId` read `room` up to `seq`. With `id`: the reply to that user's `read` (the effective read
 * seq, which never goes backwards). Without: the live event, sent to the peer and to every
 * connection of the reader (the one that sent the frame included) when the read seq moved.
 */
export const readEventSchema = z.strictObject({
  type: z.literal('read'),
  id: id.optional(),
  room: roomIdSchema,
  userId: userIdSchema,
  seq: seqSchema,
});
/** Live, to the peer: `userId`'s client received `room` up to `seq`. */
export const deliveredEventSchema = z.strictObject({
  type: z.literal('delivered'),
  room: roomIdSchema,
  userId: userIdSchema,
  seq: seqSchema,
});
/**
 * Live, to both members: message `seq` now expires at `expiresAt` (a burn started when the
 * recipient read it). Carries no text.
 */
export const expiryEventSchema = z.strictObject({
  type: z.literal('expiry'),
  room: roomIdSchema,
  seq: seqSchema,
  expiresAt: timestampSchema,
});
/**
 * The chat's defaults changed (`by` changed them at `at`). With `id`: the reply to that member's
 * `settings`. Without: the live event to both members (every connection).
 */
export const settingsEventSchema = z.strictObject({
  type: z.literal('settings'),
  id: id.optional(),
  room: roomIdSchema,
  settings: chatSettingsSchema,
  by: userIdSchema,
  at: timestampSchema,
});
/**
 * Message `seq` of `room` was unsent by its sender: gone for both members, never to be shown
 * again. With `id`: the reply to the sender's `unsend`. Without: the live event to both members
 * (every connection, on every node). Carries no text.
 */
export const unsentEventSchema = z.strictObject({
  type: z.literal('unsent'),
  id: id.optional(),
  room: roomIdSchema,
  seq: seqSchema,
});
/**
 * Live, to the member's own connections: their unseen-expired count of `room` changed (a `read`
 * acknowledges it, so it drops to 0 on every device).
 */
export const unseenEventSchema = z.strictObject({
  type: z.literal('unseen'),
  room: roomIdSchema,
  unseenExpired,
});
/**
 * A member of a group; `admin` members may add, remove, rename, promote and demote, and change
 * the group's settings. `joinedAt`: when they (last) joined; they see no message sent before.
 */
export const groupMemberSchema = publicUserSchema.extend({
  admin: z.boolean(),
  joinedAt: timestampSchema,
});
/** A group: its room, name, creation time and members in the order they joined. */
export const groupSchema = z.strictObject({
  room: groupRoomIdSchema,
  name: groupNameSchema,
  createdAt: timestampSchema,
  members: z.array(groupMemberSchema),
});
export type Group = z.infer<typeof groupSchema>;
export type GroupMember = z.infer<typeof groupMemberSchema>;
/** One entry of `groups`: the group without its member list (`group.get` has it). */
export const groupSummarySchema = z.strictObject({
  room: groupRoomIdSchema,
  name: groupNameSchema,
  createdAt: timestampSchema,
  memberCount: z.number().int().positive(),
  /** The requesting user is an admin of it. */
  admin: z.boolean(),
});
export type GroupSummary = z.infer<typeof groupSummarySchema>;
/** Reply to `group.create`, `group.add`, `group.remove`, `group.rename`, `group.admin`, `group.get`. */
export const groupReplySchema = z.strictObject({
  type: z.literal('group'),
  id,
  group: groupSchema,
});
/** A member's read seq in a group (0 when they have read nothing since joining). */
export const memberReadSchema = z.strictObject({ userId: userIdSchema, seq: seqSchema });
/**
 * Reply to `group.open`: the group, its newest messages sent since the user joined (page back with
 * `history` while `hasMore`), the user's unread count, every member's read seq (`reads`, one per
 * member: a message is seen by the members whose seq is at least its own), the members online,
 * and the group's settings. The `read` events a sender gets keep `reads` current for their messages.
 */
export const groupOpenedFrameSchema = z.strictObject({
  type: z.literal('group.opened'),
  id,
  room: groupRoomIdSchema,
  group: groupSchema,
  messages: z.array(messageSchema),
  hasMore: z.boolean(),
  unread,
  reads: z.array(memberReadSchema),
  online: z.array(userIdSchema),
  settings: chatSettingsSchema,
});
export type GroupOpened = z.infer<typeof groupOpenedFrameSchema>;
/** Reply to `groups`: one page of the user's groups, ordered by room id. */
export const groupsReplySchema = z.strictObject({
  type: z.literal('groups'),
  id,
  groups: z.array(groupSummarySchema),
  /** More groups follow the last one: ask again with `after` = its room. */
  hasMore: z.boolean(),
});
/** Reply to `group.leave`: the user is no longer a member. */
export const groupLeftReplySchema = z.strictObject({
  type: z.literal('group.left'),
  id,
  room: groupRoomIdSchema,
});
export const groupChangeKinds = [
  'created',
  'added',
  'removed',
  'left',
  'renamed',
  'admin',
] as const;
/**
 * What changed: `by` did it; `userIds` are the members added, removed, or who left, or whose
 * admin flag changed (then `admin` is the new flag); `name` is the new name (`created`, `renamed`).
 */
export const groupChangeSchema = z.strictObject({
  kind: z.enum(groupChangeKinds),
  by: userIdSchema,
  userIds: z.array(userIdSchema).optional(),
  name: groupNameSchema.optional(),
  admin: z.boolean().optional(),
});
export type GroupChange = z.infer<typeof groupChangeSchema>;
/**
 * Live, to every connection of every member (the sender's included): the group changed at `at`.
 * `group` is its new state; it is left out for a member who was removed or left, who gets this
 * one event and nothing more about the group.
 */
export const groupChangedEventSchema = z.strictObject({
  type: z.literal('group.changed'),
  room: groupRoomIdSchema,
  group: groupSchema.optional(),
  change: groupChangeSchema,
  at: timestampSchema,
});
/** Reply to `block`: the block holds on every node (no frame from `userId` gets through). */
export const blockedReplySchema = z.strictObject({
  type: z.literal('blocked'),
  id,
  userId: userIdSchema,
});
/** Reply to `report`: the report is stored (the same `reportId` for a repeated report). */
export const reportedReplySchema = z.strictObject({
  type: z.literal('reported'),
  id,
  reportId: z.string().min(1).max(64),
});
/** Reply to `unblock`: the sender's block of `userId` is gone (a block the other way stays). */
export const unblockedReplySchema = z.strictObject({
  type: z.literal('unblocked'),
  id,
  userId: userIdSchema,
});
/** Reply to `blocks`: the users the sender blocks, ordered by username. */
export const blocksReplySchema = z.strictObject({
  type: z.literal('blocks'),
  id,
  users: z.array(publicUserSchema).max(blocksMax),
});
/** A request failed (`id` echoed), or a frame could not be read (no `id`). */
export const errorFrameSchema = z.strictObject({
  type: z.literal('error'),
  id: id.optional(),
  error: errorPayloadSchema,
});

export const serverFrameSchema = z.discriminatedUnion('type', [
  welcomeFrameSchema,
  openedFrameSchema,
  ackFrameSchema,
  historyReplySchema,
  resumedFrameSchema,
  chatsReplySchema,
  presenceReplySchema,
  pongFrameSchema,
  messageEventSchema,
  typingEventSchema,
  presenceEventSchema,
  readEventSchema,
  deliveredEventSchema,
  expiryEventSchema,
  settingsEventSchema,
  unsentEventSchema,
  unseenEventSchema,
  groupReplySchema,
  groupsReplySchema,
  groupLeftReplySchema,
  groupOpenedFrameSchema,
  groupChangedEventSchema,
  blockedReplySchema,
  unblockedReplySchema,
  blocksReplySchema,
  reportedReplySchema,
  errorFrameSchema,
]);

export type ServerFrame = z.infer<typeof serverFrameSchema>;
