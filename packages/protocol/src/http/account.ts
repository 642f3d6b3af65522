import { z } from 'zod';

/**
 * `POST /api/account/delete` body: the signed-in user's password, entered again. The account,
 * its sessions (every socket closes), group memberships, blocks and every message it sent are
 * deleted at once; `204`. A wrong password: `invalid_credentials`; at most 5 attempts per user in 15 minutes, then `rate_limited`.
 */
export const deleteAccountRequestSchema = z.strictObject({
  password: z.string().min(1, 'Enter your password.').max(1024),
});

export type DeleteAccountRequest = z.infer<typeof deleteAccountRequestSchema>;
