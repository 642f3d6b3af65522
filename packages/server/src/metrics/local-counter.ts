import type { Metric, Registry } from 'prom-client';

/** One label set's count. */
export interface CounterCell {
  inc(n?: number): void;
}

interface Cell extends CounterCell {
  readonly labels: Readonly<Record<string, string>>;
  value: number;
}

/**
 * A Prometheus counter for the hot path, read by the registry like prom-client's own (see
 * LocalHistogram): a kept cell's `inc` is one addition instead of a label hash per call.
 */
export class LocalCounter {
  readonly type = 'counter';
  readonly aggregator = 'sum';
  readonly #cells: Cell[] = [];

  constructor(
    readonly name: string,
    readonly help: string,
    registry: Registry,
  ) {
    registry.registerMetric(this as unknown as Metric);
  }

  /** The cell of one label set (create each once and keep it; a closed set of label values). */
  cell(labels: Readonly<Record<string, string>> = {}): CounterCell {
    const cell: Cell = {
      labels,
      value: 0,
      inc(n = 1) {
        cell.value += n;
      },
    };
    this.#cells.push(cell);
    return cell;
  }

  /** What prom-client's registry reads (text and JSON alike). */
  async get() {
    return {
      name: this.name,
      help: this.help,
      type: this.type,
      values: this.#cells.map((c) => ({ labels: { ...c.labels }, value: c.value })),
      aggregator: this.aggregator,
    };
  }
}
