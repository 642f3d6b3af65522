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
   * Burn after reading (ms), when the sender asked for it: the first `read` by the recipient that
   * covers this message lowers `expiresAt` to `min(expiresAt, readAt + burn)`, announced by an
   * `expiry` event.
   */
  burn: burnSchema.optional(),
  /**
   * Never served after this instant: `createdAt + ttl`, or earlier once a burn started. Always
   * the last field of the stored JSON (servers read it from the end without parsing the text).
   */
  expiresAt: timestampSchema,
});

export type Message = z.infer<typeof messageSchema>;
