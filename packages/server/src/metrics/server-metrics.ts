import { messageEventPrefix } from '@ephemeral-chat/protocol';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { type CounterCell as Bound, LocalCounter } from './local-counter.js';
import { LocalHistogram, type HistogramCell as Observer } from './local-histogram.js';

/** Where the `authenticated` gauge reads from at scrape time (the hub), so no call on the hot path. */
export interface SocketCount {
  socketCount(): number;
}

/**
 * This node's Prometheus metrics, in a registry of its own (two servers in one process, as in
 * tests, do not collide). Labels are closed sets only — frame types from the protocol's table,
 * error codes, `ok` — never a user, room or text: every label value below is a literal or a key
 * of the frame-handler table, never something a client chose.
 *
 * What runs per frame or per message uses LocalCounter / LocalHistogram cells kept here (a few ns
 * each; prom-client hashes labels on every call); the rare ones use prom-client's own.
 */
export class ServerMetrics {
  readonly registry = new Registry();
  /**
   * The body of every `/metrics` answer (the METRICS_TOKEN route and the METRICS_PORT listener).
   * Replaceable, so a process that runs several servers can answer with all of theirs merged.
   */
  source: () => Promise<string> = () => this.registry.metrics();
  readonly #frames: LocalCounter;
  readonly #auth: LocalCounter;
  readonly #open: Gauge<'state'>;
  readonly #sends: Bound;
  readonly #deliveries: Bound;
  readonly #latency: Observer;
  readonly #redis: LocalHistogram;
  readonly #pubsubLag: { direct: Observer; group: Observer };
  readonly #expiryLag: Histogram;
  readonly #expiryOverdue: Bound;
  readonly #expiryDropped: Bound;
  readonly #redisChildren = new Map<string, Observer>();
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
    const registry = this.registry;
    this.#auth = new LocalCounter(
      'ec_auth_total',
      'WebSocket authentications, by result (ok or the error code).',
      registry,
    );
    this.#frames = new LocalCounter(
      'ec_frames_total',
      'Client frames handled, by type (invalid: undecodable) and result (ok or the error code).',
      registry,
    );
    this.#sends = new LocalCounter(
      'ec_sends_total',
      'Messages accepted from this node’s clients (send frames answered with an ack).',
      registry,
    ).cell();
    this.#deliveries = new LocalCounter(
      'ec_deliveries_total',
      'Frames written to this node’s sockets.',
      registry,
    ).cell();
    this.#latency = new LocalHistogram(
      'ec_delivery_latency_ms',
      'From a message’s createdAt (server time at store) to its write on a socket of this node, ms; one sample per write batch.',
      [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000],
      registry,
    ).cell();
    this.#redis = new LocalHistogram(
      'ec_redis_command_duration_ms',
      'Redis commands of this node’s command connection, from the call to the reply, ms, by command.',
      [0.25, 0.5, 1, 2, 5, 10, 25, 50, 100, 250, 1000],
      registry,
    );
    const pubsubLag = new LocalHistogram(
      'ec_pubsub_lag_ms',
      'From a message’s createdAt to its arrival at this node through Redis pub/sub, ms, by kind (direct: another node’s publish; group: a group send’s publish).',
      [0.5, 1, 2, 5, 10, 25, 50, 100, 250, 1000, 5000],
      registry,
    );
    this.#pubsubLag = {
      direct: pubsubLag.cell({ kind: 'direct' }),
      group: pubsubLag.cell({ kind: 'group' }),
    };
    this.#expiryLag = new Histogram({
      name: 'ec_expiry_lag_ms',
      help: 'Sampled (at most one message a second): from a message’s expiresAt to the store no longer holding it, ms (polled every 250 ms; 60000 when overdue).',
      buckets: [50, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000],
      registers,
    });
    this.#expiryOverdue = new Counter({
      name: 'ec_expiry_overdue_total',
      help: 'Sampled messages still held 60 s after their expiresAt.',
      registers,
    });
    this.#expiryDropped = new Counter({
      name: 'ec_expiry_samples_dropped_total',
      help: 'Sampled messages left unmeasured: gone before their expiresAt (burnt, unsent, deleted) or the store could not be asked.',
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
      child = this.#redis.cell({ command });
      this.#redisChildren.set(command, child);
    }
    child.observe(ms);
  }

  /**
   * One payload received through Redis pub/sub: a `message` event's lag from its createdAt
   * (clamped at 0 against clock skew between nodes); other payloads are ignored (a prefix test).
   */
  pubsubReceived(payload: string, group: boolean, now: number): void {
    if (!payload.startsWith(messageEventPrefix)) return;
    const createdAt = createdAtOf(payload);
    if (createdAt === undefined) return;
    (group ? this.#pubsubLag.group : this.#pubsubLag.direct).observe(Math.max(0, now - createdAt));
  }

  /** One sampled message's expiry lag (see ExpirySampler); `overdue` when it was never seen gone. */
  expiryLag(ms: number, overdue: boolean): void {
    this.#expiryLag.observe(Math.max(0, ms));
    if (overdue) this.#expiryOverdue.inc();
  }

  /** A sample abandoned: the message went before its expiresAt, or the store failed to answer. */
  expirySampleDropped(): void {
    this.#expiryDropped.inc();
  }

  #frameChild(type: string, result: string): Bound {
    let byResult = this.#frameChildren.get(type);
    if (!byResult) {
      byResult = new Map();
      this.#frameChildren.set(type, byResult);
    }
    let child = byResult.get(result);
    if (!child) {
      child = this.#frames.cell({ type, result });
      byResult.set(result, child);
    }
    return child;
  }

  #authChild(result: string): Bound {
    let child = this.#authChildren.get(result);
    if (!child) {
      child = this.#auth.cell({ result });
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
  // From the end: the field follows the text, and the shorter scan is about 3× cheaper.
  const at = frame.lastIndexOf(createdAtKey);
  if (at < 0) return undefined;
  // Digits read in place (no substring): this runs for every delivered batch.
  let value = 0;
  let i = at + createdAtKey.length;
  const end = Math.min(frame.length, i + 16);
  for (; i < end; i++) {
    const digit = frame.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) break;
    value = value * 10 + digit;
  }
  return i > at + createdAtKey.length ? value : undefined;
}
