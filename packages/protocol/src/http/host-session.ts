import { z } from 'zod';

/**
 * A host token: a JWT signed by the embedding site (see docs/protocol.md, "Sign-in with the host
 * site's identity"). 8 KiB bounds it well above any real JWT and far below the body limit.
 */
export const hostTokenSchema = z.string().min(1).max(8192);

/**
 * `POST /api/host-session` body: exchange a host token for a session. `cookie` as for login.
 * The answer is login's (`authResponseSchema`).
 */
export const hostSessionRequestSchema = z.strictObject({
  token: hostTokenSchema,
  cookie: z.boolean().optional(),
});

export type HostSessionRequest = z.infer<typeof hostSessionRequestSchema>;
