import type { Metric, Registry } from 'prom-client';

/** One label set's buckets: `observe` is a short bucket scan and three additions. */
export interface HistogramCell {
  observe(value: number): void;
}

interface Cell extends HistogramCell {
  readonly labels: Readonly<Record<string, string>>;
  /** Per bucket (not cumulative); the last slot is above the largest bound (+Inf). */
  readonly counts: Float64Array;
  sum: number;
  count: number;
}

/**
 * A Prometheus histogram for the hot path, read by the registry like prom-client's own (same text,
 * same `getMetricsAsJSON` shape, `sum` aggregation). prom-client's `observe` hashes its labels on
 * every call (about 0.3–0.5 µs); here a caller keeps its cell and observing costs a few ns.
 */
export class LocalHistogram {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  readonly #cells: Cell[] = [];

  constructor(
    readonly name: string,
    readonly help: string,
    readonly buckets: readonly number[],
    registry: Registry,
  ) {
    registry.registerMetric(this as unknown as Metric);
  }

  /** The cell of one label set (create each once and keep it; a closed set of label values). */
  cell(labels: Readonly<Record<string, string>> = {}): HistogramCell {
    const bounds = this.buckets;
    const cell: Cell = {
      labels,
      counts: new Float64Array(bounds.length + 1),
      sum: 0,
      count: 0,
      observe(value) {
        let i = 0;
        while (i < bounds.length && value > (bounds[i] as number)) i++;
        cell.counts[i] = (cell.counts[i] as number) + 1;
        cell.sum += value;
        cell.count++;
      },
    };
    this.#cells.push(cell);
    return cell;
  }

  /** What prom-client's registry reads (text and JSON alike). */
  async get() {
    const values: { labels: Record<string, string | number>; value: number; metricName: string }[] =
      [];
    for (const cell of this.#cells) {
      let cumulative = 0;
      for (let i = 0; i <= this.buckets.length; i++) {
        cumulative += cell.counts[i] as number;
        const le = i < this.buckets.length ? (this.buckets[i] as number) : '+Inf';
        values.push({
          labels: { ...cell.labels, le },
          value: cumulative,
          metricName: `${this.name}_bucket`,
        });
      }
      values.push({ labels: { ...cell.labels }, value: cell.sum, metricName: `${this.name}_sum` });
      values.push({
        labels: { ...cell.labels },
        value: cell.count,
        metricName: `${this.name}_count`,
      });
    }
    return {
      name: this.name,
      help: this.help,
      type: this.type,
      values,
      aggregator: this.aggregator,
    };
  }
}
