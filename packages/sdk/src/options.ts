import { expiry } from '@ephemeral-chat/protocol/constants';
import { ChatError } from './errors.js';
import type { FetchLike, WebSocketConstructor } from './platform.js';
import { memoryTokenStore, type TokenStore } from './token-store.js';

/** Everything `createClient` accepts. Only `url` is required. */
export interface ClientOptions {
  /** The server's base URL, `http(s)://host[:port][/path]`; the socket is `<url>/ws`. */
  url: string;
  /**
   * WebSocket implementation, needed by `connect()` only; Node 20 has none built in (pass `ws`).
   * @default globalThis.WebSocket
   */
  WebSocket?: WebSocketConstructor;
  /** fetch implementation. @default globalThis.fetch */
  fetch?: FetchLike;
  /** Where the session token is kept. @default memoryTokenStore() */
  tokenStore?: TokenStore;
  /**
   * `'token'`: a bearer token kept in `tokenStore` (apps, Node). `'cookie'`: an HttpOnly session
   * cookie that page scripts never see (browsers; the server must allow the page's origin).
   * @default 'token'
   */
  auth?: 'token' | 'cookie';
  /** TTL of a message sent without one, in ms, within [10 s, 24 h]. @default 3_600_000 (1 h) */
  defaultTtlMs?: number;
  /** First reconnect delay ceiling in ms; doubles per attempt, with full jitter. @default 500 */
  reconnectBaseDelayMs?: number;
  /** Cap of the reconnect delay in ms. @default 30_000 */
  reconnectMaxDelayMs?: number;
  /** Interval between heartbeat pings while open, in ms. @default 20_000 */
  heartbeatIntervalMs?: number;
  /** A ping unanswered this long (ms) marks the connection dead: reconnect. @default 10_000 */
  heartbeatTimeoutMs?: number;
  /** Socket opened and authenticated within this many ms, or the attempt is retried. @default 10_000 */
  connectTimeoutMs?: number;
  /** A request (open, history, chats, presence) unanswered this long (ms) fails. @default 10_000 */
  requestTimeoutMs?: number;
  /**
   * Tell the server when the peer's messages reach this client (`delivered` frames, at most one
   * per room per ~100 ms), so the sender sees them delivered. @default true
   */
  autoDelivered?: boolean;
  /**
   * Sign in with the host site's identity: returns a fresh host token (a JWT the site's backend
   * signs for its signed-in user). `signInWithHost()` calls it, and it is called again before
   * the session it gave ends and on a reconnect after that. @default undefined (no host sign-in)
   */
  hostToken?: (() => Promise<string>) | undefined;
}

/** The defaults of every optional number and mode. */
export const defaultOptions = {
  auth: 'token',
  defaultTtlMs: expiry.defaultTtlMs,
  reconnectBaseDelayMs: 500,
  reconnectMaxDelayMs: 30_000,
  heartbeatIntervalMs: 20_000,
  heartbeatTimeoutMs: 10_000,
  connectTimeoutMs: 10_000,
  requestTimeoutMs: 10_000,
  autoDelivered: true,
} as const;

export type ResolvedOptions = Readonly<
  Required<Omit<ClientOptions, 'url' | 'auth' | 'autoDelivered' | 'WebSocket' | 'hostToken'>> & {
    hostToken: (() => Promise<string>) | undefined;
    /** None on a platform without one (Node 20) unless passed: `connect()` then refuses. */
    WebSocket: WebSocketConstructor | undefined;
    autoDelivered: boolean;
    auth: 'token' | 'cookie';
    /** The base URL without a trailing slash. */
    url: string;
    wsUrl: string;
  }
>;

const MAX_MS = 2 ** 31 - 1;

function fail(message: string): never {
  throw new ChatError('invalid_options', `createClient: ${message}`);
}

/** Why `connect()` refuses on a platform without WebSocket (HTTP calls need none). */
export const noWebSocket = (): ChatError =>
  new ChatError(
    'invalid_options',
    'connect() needs a WebSocket: pass one to createClient as `WebSocket` (on Node 20: `import WebSocket from "ws"`).',
  );

/** Checks and completes the options once; the result is frozen. */
export function resolveOptions(input: ClientOptions): ResolvedOptions {
  let url: URL | undefined;
  try {
    url = new URL(input?.url);
  } catch {}
  if (!url || !/^https?:$/.test(url.protocol)) {
    fail(`\`url\` must be an http(s) URL like "https://chat.example.com"; got ${input.url}.`);
  }
  const base = url.href.replace(/\/+$/, '');
  const g = globalThis as { WebSocket?: WebSocketConstructor; fetch?: FetchLike };
  // None is fine until `connect()`: register, login and search are HTTP (Node 20 has no WebSocket).
  const WebSocket = input.WebSocket ?? g.WebSocket;
  if (WebSocket !== undefined && typeof WebSocket !== 'function') {
    fail('`WebSocket` must be a WebSocket constructor (on Node 20: `import WebSocket from "ws"`).');
  }
  const fetchImpl = input.fetch ?? g.fetch;
  if (typeof fetchImpl !== 'function') fail('no fetch implementation: pass one as `fetch`.');
  const o = { ...defaultOptions, ...input };
  if (o.auth !== 'token' && o.auth !== 'cookie') fail('`auth` is "token" or "cookie".');
  if (typeof o.autoDelivered !== 'boolean') fail('`autoDelivered` is true or false.');
  if (o.hostToken !== undefined && typeof o.hostToken !== 'function') {
    fail('`hostToken` is an async function that returns a host token.');
  }
  for (const key of Object.keys(defaultOptions) as (keyof typeof defaultOptions)[]) {
    const v = o[key];
    const ms = key !== 'auth' && key !== 'autoDelivered';
    if (ms && !(Number.isInteger(v) && (v as number) > 0 && (v as number) <= MAX_MS)) {
      fail(`\`${key}\` must be a whole number of ms in [1, ${MAX_MS}]; got ${v}.`);
    }
  }
  if (o.defaultTtlMs < expiry.minTtlMs || o.defaultTtlMs > expiry.maxTtlMs) {
    fail(
      `\`defaultTtlMs\` must be in [${expiry.minTtlMs}, ${expiry.maxTtlMs}]; got ${o.defaultTtlMs}.`,
    );
  }
  if (o.reconnectMaxDelayMs < o.reconnectBaseDelayMs) {
    fail('`reconnectMaxDelayMs` must be at least `reconnectBaseDelayMs`.');
  }
  return Object.freeze({
    ...o,
    url: base,
    // Cookie auth on the socket is opt-in, so a token client never inherits a page's cookie.
    wsUrl: `${base.replace(/^http/, 'ws')}/ws${o.auth === 'cookie' ? '?auth=cookie' : ''}`,
    WebSocket,
    fetch: (u, init) => fetchImpl(u, init),
    tokenStore: input.tokenStore ?? memoryTokenStore(),
    hostToken: o.hostToken,
  });
}
