import type { ReportStore } from '../../stores/reports/report-store.js';

/**
 * Deletes reports past their retention every `everyMs` (reads already skip them). Every node runs
 * one; the DELETE is idempotent, so running it on several at once only repeats work.
 */
export class ReportSweep {
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly reports: Pick<ReportStore, 'purge'>,
    private readonly everyMs: number,
    private readonly onError: (err: unknown) => void,
    private readonly now: () => number = Date.now,
  ) {}

  start(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => void this.sweep(), this.everyMs);
    this.#timer.unref();
    void this.sweep();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  async sweep(): Promise<number> {
    try {
      return await this.reports.purge(this.now());
    } catch (err) {
      this.onError(err);
      return 0;
    }
  }
}
