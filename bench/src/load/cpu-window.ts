import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { CpuReport } from './commands.js';

const RESOLUTION_MS = 10;

/** This process's CPU and event-loop delay over a window: says whether the generator lagged. */
export class CpuWindow {
  #cpu = process.cpuUsage();
  #t0 = performance.now();
  #delay = monitorEventLoopDelay({ resolution: RESOLUTION_MS });

  constructor() {
    this.#delay.enable();
  }

  stop(): CpuReport {
    const used = process.cpuUsage(this.#cpu);
    this.#delay.disable();
    const cpuSeconds = (used.user + used.system) / 1e6;
    const wall = (performance.now() - this.#t0) / 1000;
    return {
      cpuSeconds,
      cores: wall > 0 ? cpuSeconds / wall : 0,
      // The histogram holds whole timer intervals: the delay is what exceeds the resolution.
      loopDelayP99: Math.max(0, this.#delay.percentile(99) / 1e6 - RESOLUTION_MS),
      rss: process.memoryUsage.rss(),
    };
  }
}
