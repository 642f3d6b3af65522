import { z } from 'zod';
import { limits } from '../limits.js';
import { publicUserSchema } from '../primitives.js';

/** `GET /api/users/search?q=` query: a case-insensitive username prefix. */
export const searchQuerySchema = z.strictObject({
  q: z
    .string()
    .min(1, 'Type at least one character.')
    .max(limits.searchQueryMaxLength, `At most ${limits.searchQueryMaxLength} characters.`)
    .regex(/^[A-Za-z0-9_]+$/, 'Usernames use only letters A–Z, digits and underscores.'),
});

export const searchResultSchema = publicUserSchema.extend({ online: z.boolean() });

export const searchResponseSchema = z.strictObject({
  users: z.array(searchResultSchema).max(limits.searchMaxResults),
});

export type SearchQuery = z.infer<typeof searchQuerySchema>;
export type SearchResult = z.infer<typeof searchResultSchema>;
export type SearchResponse = z.infer<typeof searchResponseSchema>;
