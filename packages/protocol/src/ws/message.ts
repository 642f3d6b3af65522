import { z } from 'zod';
import {
  burnSchema,
  clientMsgIdSchema,
  roomIdSchema,
  seqSchema,
  timestampSchema,
  ttlSchema,
  userIdSchema,
} from '../primitives.js';

/** A stored message, as every read and live event returns it. */
export const messageSchema = z.strictObject({
  room: roomIdSchema,
  /**
   * Per-room sequence number: strictly increasing, consecutive while the room holds messages.
   * Once all of a room's messages have expired the room is forgotten and its next `seq`
   * starts from the server time in ms, so it still only grows.
   */
  seq: seqSchema,
  /** Sender's user id. */
  from: userIdSchema,
  text: z.string(),
  clientMsgId: clientMsgIdSchema,
  /** Server time at write, epoch ms. */
  createdAt: timestampSchema,
  ttl: ttlSchema,
  /**
   * The server's commitment to this message (22 base64url characters of a keyed SHA3-256 MAC over its room, sender, client
   * id, creation time and text, under a key that changes daily; see docs/security.md). Keep it:
   * it lets a member report the message after it has expired. Carries nothing of the text.
   */
  mac: z
    .string()
    .max(64)
    .regex(/^[A-Za-z0-9_-]*$/)
    .optional(),
  /**
   * Burn after reading (ms), when the sender asked for it: the first `read` by the recipient that
   * covers this message lowers `expiresAt` to `min(expiresAt, readAt + burn)`, announced by an
   * `expiry` event. In a group the burn starts at the `read` that makes every current member
   * have read it (nobody misses it; `ttl` stays the cap).
   */
  burn: burnSchema.optional(),
  /**
   * Never served after this instant: `createdAt + ttl`, or earlier once a burn started. Always
   * the last field of the stored JSON (servers read it from the end without parsing the text).
   */
  expiresAt: timestampSchema,
});

export type Message = z.infer<typeof messageSchema>;
