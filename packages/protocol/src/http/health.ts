import { z } from 'zod';

/** `GET /healthz`: the process is up. */
export const healthResponseSchema = z.strictObject({ status: z.literal('ok') });

const check = z.enum(['ok', 'down']);

/** `GET /readyz`: `200` when every dependency answers, else `503` with the same body shape. */
export const readyResponseSchema = z.strictObject({
  status: z.enum(['ready', 'unready']),
  checks: z.strictObject({ engine: check, database: check }),
});

export type HealthResponse = z.infer<typeof healthResponseSchema>;
export type ReadyResponse = z.infer<typeof readyResponseSchema>;
