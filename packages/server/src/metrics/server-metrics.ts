import { messageEventPrefix } from '@ephemeral-chat/protocol';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** A counter child already bound to its labels: `inc` on the hot path builds no label key. */
interface Bound {
  inc(n?: number): void;
}

/** Where the `authenticated` gauge reads from at scrape time (the hub), so no call on the hot path. */
export interface SocketCount {
  socketCount(): number;
}

/**
 * This node's Prometheus metrics, in a registry of its own (two servers in one process, as in
 * tests, do not collide). Labels are closed sets only — frame types from the protocol's table,
 * error codes, `ok` — never a user, room or text: every label value below is a literal or a key
 * of the frame-handler table, never something a client chose.
 */
export class ServerMetrics {
  readonly registry = new Registry();
  readonly #frames: Counter<'type' | 'result'>;
  readonly #auth: Counter<'result'>;
  readonly #open: Gauge<'state'>;
  readonly #sends: Bound;
  readonly #deliveries: Bound;
  readonly #latency: Histogram;
  readonly #redis: Histogram<'command'>;
  readonly #redisChildren = new Map<string, { observe(ms: number): void }>();
  /** type → result → child; filled lazily, bounded by (known types + 1) × error codes. */
  readonly #frameChildren = new Map<string, Map<string, Bound>>();
  readonly #authChildren = new Map<string, Bound>();
  readonly #knownTypes: ReadonlySet<string>;

  constructor(frameTypes: readonly string[], sockets: SocketCount) {
    this.#knownTypes = new Set(frameTypes);
    const registers = [this.registry];
    // Unprefixed, so the usual Node.js dashboards and alerts (process_*, nodejs_*) apply as they are.
    collectDefaultMetrics({ register: this.registry });
    this.#open = new Gauge({
      name: 'ec_connections',
      help: 'WebSocket connections on this node, by state (open: all; authenticated: with a session).',
      labelNames: ['state'],
      registers,
      collect() {
        this.labels('authenticated').set(sockets.socketCount());
      },
    });
    this.#open.labels('open').set(0);
    this.#auth = new Counter({
      name: 'ec_auth_total',
      help: 'WebSocket authentications, by result (ok or the error code).',
      labelNames: ['result'],
      registers,
    });
    this.#frames = new Counter({
      name: 'ec_frames_total',
      help: 'Client frames handled, by type (invalid: undecodable) and result (ok or the error code).',
      labelNames: ['type', 'result'],
      registers,
    });
    this.#sends = new Counter({
      name: 'ec_sends_total',
      help: 'Messages accepted from this node’s clients (send frames answered with an ack).',
      registers,
    });
    this.#deliveries = new Counter({
      name: 'ec_deliveries_total',
      help: 'Frames written to this node’s sockets.',
      registers,
    });
    this.#latency = new Histogram({
      name: 'ec_delivery_latency_ms',
      help: 'From a message’s createdAt (server time at store) to its write on a socket of this node, ms; one sample per write batch.',
      buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000],
      registers,
    });
    this.#redis = new Histogram({
      name: 'ec_redis_command_duration_ms',
      help: 'Redis commands of this node’s command connection, from the call to the reply, ms, by command.',
      labelNames: ['command'],
      buckets: [0.25, 0.5, 1, 2, 5, 10, 25, 50, 100, 250, 1000],
      registers,
    });
    for (const type of frameTypes) this.#frameChild(type, 'ok');
    this.#authChild('ok');
  }

  connectionOpened(): void {
    this.#open.labels('open').inc();
  }

  connectionClosed(): void {
    this.#open.labels('open').dec();
  }

  /** One handled frame; `result` is `ok` or an error code (a closed set). */
  frame(type: string, result: string): void {
    const key = this.#knownTypes.has(type) ? type : 'invalid';
    this.#frameChild(key, result).inc();
    if (key === 'send' && result === 'ok') this.#sends.inc();
  }

  /** One authentication's end: `ok` or the error code that refused it. */
  auth(result: string): void {
    this.#authChild(result).inc();
  }

  /**
   * One batch of frames written to one socket: counts them, and samples the latency of the first
   * live message among them (a prefix test per frame; no parse).
   */
  delivered(frames: readonly string[], now: number): void {
    this.#deliveries.inc(frames.length);
    for (const frame of frames) {
      if (!frame.startsWith(messageEventPrefix)) continue;
      const createdAt = createdAtOf(frame);
      if (createdAt !== undefined) this.#latency.observe(Math.max(0, now - createdAt));
      return;
    }
  }

  /** One Redis command's round trip (see timeRedisCommands). */
  redisCommand(command: string, ms: number): void {
    let child = this.#redisChildren.get(command);
    if (!child) {
      child = this.#redis.labels(command);
      this.#redisChildren.set(command, child);
    }
    child.observe(ms);
  }

  #frameChild(type: string, result: string): Bound {
    let byResult = this.#frameChildren.get(type);
    if (!byResult) {
      byResult = new Map();
      this.#frameChildren.set(type, byResult);
    }
    let child = byResult.get(result);
    if (!child) {
      child = this.#frames.labels(type, result);
      byResult.set(result, child);
    }
    return child;
  }

  #authChild(result: string): Bound {
    let child = this.#authChildren.get(result);
    if (!child) {
      child = this.#auth.labels(result);
      this.#authChildren.set(result, child);
    }
    return child;
  }
}

const createdAtKey = '"createdAt":';

/**
 * The message's createdAt from its serialized event. A text cannot fake the key: inside a JSON
 * string every quote is escaped, so `"createdAt":` only matches the field itself.
 */
function createdAtOf(frame: string): number | undefined {
  const at = frame.indexOf(createdAtKey);
  if (at < 0) return undefined;
  const value = Number.parseInt(
    frame.slice(at + createdAtKey.length, at + createdAtKey.length + 16),
    10,
  );
  return Number.isFinite(value) ? value : undefined;
}
