import { z } from 'zod';
import { limits } from '../limits.js';
import {
  burnSchema,
  clientMsgIdSchema,
  messageTextSchema,
  roomIdSchema,
  seqSchema,
  ttlSchema,
  userIdSchema,
  usernameSchema,
} from '../primitives.js';

/** Request id, echoed by the reply or error. */
const id = z
  .number()
  .int()
  .nonnegative()
  .max(2 ** 31 - 1);

/** First frame: authenticate with the session token (unless the upgrade carried the cookie). */
export const authFrameSchema = z.strictObject({
  type: z.literal('auth'),
  id,
  token: z.string().min(1).max(256),
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
/** The user's chats that still hold unexpired messages, or unread or unseen-expired state. */
export const chatsFrameSchema = z.strictObject({ type: z.literal('chats'), id });
/** Application-level heartbeat (browsers cannot send WebSocket pings). */
export const pingFrameSchema = z.strictObject({ type: z.literal('ping'), id });

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
  chatsFrameSchema,
  pingFrameSchema,
]);

export type ClientFrame = z.infer<typeof clientFrameSchema>;
export type ClientFrameType = ClientFrame['type'];
export const clientFrameTypes = clientFrameSchema.options.map((o) => o.shape.type.value);
