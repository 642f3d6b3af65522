import { Gauge } from 'prom-client';
import type { ServerMetrics } from '../metrics/server-metrics.js';
import type { FromWorker, ToWorker } from './messages.js';

/** How long a scrape waits for the primary's aggregate (which itself waits ≤ 2 s per worker). */
const askTimeoutMs = 5000;

/**
 * A worker's side of the aggregate `/metrics`: a scrape landing here asks the primary, which
 * collects every worker's `getMetricsAsJSON()` and merges them (prom-client's AggregatorRegistry);
 * and this worker answers the primary's collections with its own registry.
 */
export class WorkerMetrics {
  readonly #pending = new Map<number, { resolve(text: string): void; reject(e: Error): void }>();
  #nextId = 1;
  /** The aggregate being gathered: concurrent scrapes share it, so a burst costs one collection. */
  #inFlight: Promise<string> | undefined;

  constructor(
    private readonly metrics: ServerMetrics,
    index: number,
    private readonly send: (message: FromWorker) => void,
  ) {
    const registry = metrics.registry;
    // Connections per worker survive the merge (their label differs), so an uneven spread of
    // the kernel's SO_REUSEPORT hashing shows; `ec_connections` is their sum.
    new Gauge({
      name: 'ec_worker_connections',
      help: 'Open WebSocket connections of each worker process (WORKERS>1), by worker index.',
      labelNames: ['worker'],
      registers: [registry],
      async collect() {
        const open = await registry.getSingleMetric('ec_connections')?.get();
        const value = open?.values.find((v) => v.labels.state === 'open')?.value ?? 0;
        this.labels(String(index)).set(value);
      },
    });
    metrics.source = () => {
      this.#inFlight ??= this.#aggregate().finally(() => {
        this.#inFlight = undefined;
      });
      return this.#inFlight;
    };
  }

  /** The primary collects: answer with this worker's own registry. */
  async collect(id: number): Promise<void> {
    const json = await this.metrics.registry.getMetricsAsJSON();
    this.send({ type: 'metrics-json', id, json });
  }

  /** The primary's answer to one of this worker's requests. */
  reply(message: ToWorker & { type: 'metrics-reply' }): void {
    const pending = this.#pending.get(message.id);
    if (!pending) return;
    this.#pending.delete(message.id);
    if (message.text !== undefined) pending.resolve(message.text);
    else pending.reject(new Error(`metrics aggregate failed: ${message.error ?? 'no answer'}`));
  }

  #aggregate(): Promise<string> {
    const id = this.#nextId++;
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new Error('the primary did not answer the metrics request in time'));
      }, askTimeoutMs);
      this.#pending.set(id, {
        resolve: (text) => {
          clearTimeout(timer);
          resolve(text);
        },
        reject: (err) => {
          clearTimeout(timer);
          reject(err);
        },
      });
      this.send({ type: 'metrics-request', id });
    });
  }
}
