import { z } from 'zod';
import { expiry } from './expiry.js';
import { limits } from './limits.js';

/** Counts Unicode code points, the unit NIST SP 800-63B and our text limits are stated in. */
export function codePointLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

export const usernameSchema = z
  .string()
  .min(limits.usernameMinLength, `Usernames have at least ${limits.usernameMinLength} characters.`)
  .max(limits.usernameMaxLength, `Usernames have at most ${limits.usernameMaxLength} characters.`)
  .regex(/^[A-Za-z0-9_]+$/, 'Usernames use only letters A–Z, digits and underscores.');

/**
 * Any Unicode is allowed, no composition rules (NIST SP 800-63B §3.1.1.2). The upper bound keeps
 * hashing cheap; it is far above the 64 the standard asks to allow.
 */
export const passwordSchema = z
  .string()
  .max(
    limits.passwordMaxLength * 4,
    `Passwords have at most ${limits.passwordMaxLength} characters.`,
  )
  .refine((p) => codePointLength(p) >= limits.passwordMinLength, {
    error: `Passwords have at least ${limits.passwordMinLength} characters.`,
  })
  .refine((p) => codePointLength(p) <= limits.passwordMaxLength, {
    error: `Passwords have at most ${limits.passwordMaxLength} characters.`,
  });

/** Server-assigned user id (a UUID). */
export const userIdSchema = z.string().min(1).max(64);

/** A group's room id: `g:` and a lower-case UUID, assigned by the server at `group.create`. */
export const groupRoomIdSchema = z
  .string()
  .max(40)
  .regex(
    /^g:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    'Not a group room id.',
  );

/**
 * A room id: a 1:1 room (`dm:` and the two member ids, sorted, joined by `:`) or a group room
 * (`g:<uuid>`, see `groupRoomIdSchema`).
 */
export const roomIdSchema = z
  .string()
  .max(160)
  .regex(
    /^(?:dm:[A-Za-z0-9-]+:[A-Za-z0-9-]+|g:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/,
    'Not a room id.',
  );

export const clientMsgIdSchema = z
  .string()
  .min(1)
  .max(limits.clientMsgIdMaxLength)
  .regex(/^[A-Za-z0-9_-]+$/, 'Client message ids use only A–Z, a–z, 0–9, _ and -.');

export const ttlSchema = z
  .number()
  .int('TTL is a whole number of milliseconds.')
  .min(expiry.minTtlMs, `TTL is at least ${expiry.minTtlMs} ms (10 s).`)
  .max(expiry.maxTtlMs, `TTL is at most ${expiry.maxTtlMs} ms (24 h).`);

/**
 * Burn after reading, in ms (see `expiry.minBurnMs`). The upper bound here is the longest TTL; a
 * burn longer than the message's own TTL is refused (`validation_failed`).
 */
export const burnSchema = z
  .number()
  .int('Burn is a whole number of milliseconds.')
  .min(expiry.minBurnMs, `Burn is at least ${expiry.minBurnMs} ms (5 s).`)
  .max(expiry.maxTtlMs, `Burn is at most the TTL.`);

export const seqSchema = z.number().int().nonnegative();

/** Epoch milliseconds, server clock. */
export const timestampSchema = z.number().int().nonnegative();

const messageTooLong = `Messages have at most ${limits.messageMaxLength} characters.`;

/**
 * What renders as nothing: whitespace, default-ignorable code points (zero-width spaces and
 * joiners, word joiner, BOM, variation selectors, Hangul fillers, tags), format characters (bidi
 * controls) and controls, plus U+2800 (braille blank). A message needs one character outside it.
 */
const invisible = /^[\p{White_Space}\p{Default_Ignorable_Code_Point}\p{Cf}\p{Cc}\u2800]*$/u;

/** True when `text` has at least one character that renders as something. */
export function hasVisibleText(text: string): boolean {
  return !invisible.test(text);
}

/**
 * 1–4,000 code points, at least one visible (see `hasVisibleText`). The coarse cap stops huge
 * input before counting; the code-point check reports `too_big` like it, so the server answers
 * both with `message_too_long`.
 */
export const messageTextSchema = z
  .string()
  .max(limits.messageMaxLength * 2, { error: messageTooLong, abort: true })
  .superRefine((t, ctx) => {
    if (codePointLength(t) > limits.messageMaxLength) {
      ctx.addIssue({
        code: 'too_big',
        origin: 'string',
        maximum: limits.messageMaxLength,
        inclusive: true,
        input: t,
        message: messageTooLong,
      });
    }
  })
  .refine(hasVisibleText, {
    error: 'A message cannot be empty or only invisible characters.',
  });

const groupNameTooLong = `Group names have at most ${limits.groupNameMaxLength} characters.`;
const control = /\p{Cc}/u;

/**
 * A group's name: 1–64 code points, at least one visible (see `hasVisibleText`), no control
 * characters (no line breaks: a name fits on one line). Kept as typed.
 */
export const groupNameSchema = z
  .string()
  .max(limits.groupNameMaxLength * 2, { error: groupNameTooLong, abort: true })
  .refine((n) => codePointLength(n) <= limits.groupNameMaxLength, { error: groupNameTooLong })
  .refine(hasVisibleText, { error: 'A group name cannot be empty or only invisible characters.' })
  .refine((n) => !control.test(n), { error: 'A group name cannot hold control characters.' });

export const publicUserSchema = z.strictObject({
  id: userIdSchema,
  username: usernameSchema,
});

export type Username = z.infer<typeof usernameSchema>;
export type UserId = z.infer<typeof userIdSchema>;
export type RoomId = z.infer<typeof roomIdSchema>;
export type GroupRoomId = z.infer<typeof groupRoomIdSchema>;
export type GroupName = z.infer<typeof groupNameSchema>;
export type PublicUser = z.infer<typeof publicUserSchema>;
