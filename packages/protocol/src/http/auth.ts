import { z } from 'zod';
import {
  passwordSchema,
  publicUserSchema,
  timestampSchema,
  usernameSchema,
} from '../primitives.js';

const credentials = {
  username: usernameSchema,
  password: passwordSchema,
  /**
   * `true`: the session is set as an HttpOnly cookie and the token is left out of the body, so
   * page scripts never see it (the browser widget). Default: the token is returned in the body.
   */
  cookie: z.boolean().optional(),
};

/** `POST /api/register` body. */
export const registerRequestSchema = z.strictObject(credentials);

/** `POST /api/login` body. Only the username's shape is checked, not its password rules. */
export const loginRequestSchema = z.strictObject({
  ...credentials,
  password: z.string().min(1, 'Enter your password.').max(1024),
});

/** `201` from register, `200` from login. `token` is absent when `cookie: true` was asked. */
export const authResponseSchema = z.strictObject({
  user: publicUserSchema,
  token: z.string().optional(),
  expiresAt: timestampSchema,
});

/** `GET /api/me`. */
export const meResponseSchema = z.strictObject({
  user: publicUserSchema,
  session: z.strictObject({ expiresAt: timestampSchema }),
});

/**
 * `GET /api/session`: the session the request carries, if any. Unlike `/api/me` it never answers
 * 401: a signed-out caller (no credentials, or an expired or revoked session) gets `null`s, so a
 * page can ask on every load without a failed request in its console.
 */
export const sessionResponseSchema = z.union([
  meResponseSchema,
  z.strictObject({ user: z.null(), session: z.null() }),
]);

export type RegisterRequest = z.infer<typeof registerRequestSchema>;
export type LoginRequest = z.infer<typeof loginRequestSchema>;
export type AuthResponse = z.infer<typeof authResponseSchema>;
export type MeResponse = z.infer<typeof meResponseSchema>;
export type SessionResponse = z.infer<typeof sessionResponseSchema>;
