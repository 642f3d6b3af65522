import { importJWK, type JWK } from 'jose';
import { z } from 'zod';
import { AppError } from '../../errors/app-error.js';

/** Where a host's keys come from, and whose they are. */
export interface JwksSource {
  url: string;
  /** The only `iss` these keys may verify. */
  issuer: string;
}

export interface JwksCacheOptions {
  /** A kid the cached set lacks refetches the set at most once per this many ms. @default 30_000 */
  minRefetchMs?: number;
  /** A set older than this is fetched again when next used (key rotation). @default 600_000 */
  maxAgeMs?: number;
  /** One fetch waits at most this long. @default 5_000 */
  timeoutMs?: number;
  /** A JWKS document larger than this is refused. @default 262_144 */
  maxBytes?: number;
  fetch?: typeof globalThis.fetch;
  now?: () => number;
}

// Only the members a verification key needs; the rest of each JWK is kept for importJWK.
const jwksSchema = z.object({
  keys: z
    .array(z.looseObject({ kty: z.string(), kid: z.string().min(1).max(256).optional() }))
    .max(100),
});

type KeyLike = Awaited<ReturnType<typeof importJWK>>;

interface SourceState {
  fetchedAt: number;
  /** Cache keys this source put in, dropped on its next fetch. */
  entries: Set<string>;
  inFlight: Promise<void> | undefined;
}

/**
 * A JWKS cache keyed by (URL, issuer, kid), so a key fetched for one issuer can never be found
 * for another's token, whatever kid the token names (keying by kid alone let one tenant's key
 * verify another's tokens, as in a Centrifugo advisory). jose's `createRemoteJWKSet` caches per
 * URL and cannot say whose keys it holds.
 */
export class JwksCache {
  readonly #keys = new Map<string, JWK>();
  readonly #imported = new Map<string, KeyLike>();
  readonly #sources = new Map<string, SourceState>();
  readonly #o: Required<JwksCacheOptions>;
  /** Fetches made, for tests and logs. */
  fetches = 0;

  constructor(options: JwksCacheOptions = {}) {
    this.#o = {
      minRefetchMs: 30_000,
      maxAgeMs: 600_000,
      timeoutMs: 5_000,
      maxBytes: 262_144,
      fetch: (u, i) => globalThis.fetch(u, i),
      now: Date.now,
      ...options,
    };
  }

  /** The key `kid` of `source` for `alg`; `host_token_invalid` when the set has no such key. */
  async key(source: JwksSource, kid: string | undefined, alg: string): Promise<KeyLike> {
    if (kid === undefined) {
      throw new AppError(
        'host_token_invalid',
        'A host token checked against a JWKS needs a `kid`.',
      );
    }
    const id = JSON.stringify([source.url, source.issuer, kid]);
    const state = this.#sources.get(sourceId(source));
    const now = this.#o.now();
    const stale = state === undefined || now - state.fetchedAt >= this.#o.maxAgeMs;
    const unknownMayRefetch =
      !this.#keys.has(id) && (state === undefined || now - state.fetchedAt >= this.#o.minRefetchMs);
    if (stale || unknownMayRefetch) await this.#refresh(source, this.#keys.has(id));
    // Another token's fetch of this set is under way: its answer may hold this kid.
    else if (state?.inFlight) await state.inFlight.catch(() => {});
    const jwk = this.#keys.get(id);
    if (!jwk) throw new AppError('host_token_invalid', 'The host token names an unknown key.');
    const importedId = `${id}\n${alg}`;
    let imported = this.#imported.get(importedId);
    if (!imported) {
      // The JWK's own `alg`, when it has one, must be the token's: no key serves two algorithms.
      if (jwk.alg !== undefined && jwk.alg !== alg) {
        throw new AppError('host_token_invalid', 'The key does not sign with that algorithm.');
      }
      try {
        imported = await importJWK(jwk, alg);
      } catch (err) {
        throw new AppError('host_token_invalid', 'The key does not fit the algorithm.', {
          cause: err,
        });
      }
      this.#imported.set(importedId, imported);
    }
    return imported;
  }

  /** One fetch per source at a time; `haveKey`: a failed refresh of a stale set keeps its keys. */
  async #refresh(source: JwksSource, haveKey: boolean): Promise<void> {
    const sid = sourceId(source);
    let state = this.#sources.get(sid);
    if (!state) {
      state = { fetchedAt: Number.NEGATIVE_INFINITY, entries: new Set(), inFlight: undefined };
      this.#sources.set(sid, state);
    }
    const s = state;
    s.inFlight ??= this.#fetch(source, s).finally(() => {
      s.inFlight = undefined;
    });
    try {
      await s.inFlight;
    } catch (err) {
      if (!haveKey) throw err;
    }
  }

  async #fetch(source: JwksSource, state: SourceState): Promise<void> {
    // Counted as an attempt even when it fails, so an unreachable JWKS is not hammered.
    state.fetchedAt = this.#o.now();
    this.fetches++;
    let body: unknown;
    try {
      const res = await this.#o.fetch(source.url, {
        signal: AbortSignal.timeout(this.#o.timeoutMs),
        headers: { accept: 'application/json' },
        redirect: 'error',
      });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      // Refused before reading when the length is announced; checked again after.
      if (Number(res.headers.get('content-length') ?? 0) > this.#o.maxBytes) {
        throw new Error('JWKS document too large');
      }
      const text = await res.text();
      if (text.length > this.#o.maxBytes) throw new Error('JWKS document too large');
      body = JSON.parse(text);
    } catch (err) {
      throw jwksUnavailable(err);
    }
    const parsed = jwksSchema.safeParse(body);
    if (!parsed.success) throw jwksUnavailable(parsed.error);
    for (const id of state.entries) {
      this.#keys.delete(id);
      for (const k of this.#imported.keys()) if (k.startsWith(`${id}\n`)) this.#imported.delete(k);
    }
    state.entries.clear();
    for (const jwk of parsed.data.keys) {
      // Keys marked for encryption, or without a kid, never verify a host token.
      if (jwk.kid === undefined || (jwk.use !== undefined && jwk.use !== 'sig')) continue;
      const id = JSON.stringify([source.url, source.issuer, jwk.kid]);
      this.#keys.set(id, jwk as JWK);
      state.entries.add(id);
    }
  }
}

function sourceId(source: JwksSource): string {
  return JSON.stringify([source.url, source.issuer]);
}

function jwksUnavailable(cause: unknown): AppError {
  return new AppError('unavailable', "The host site's signing keys (JWKS) cannot be fetched.", {
    cause,
  });
}
