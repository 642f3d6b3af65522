import { readFileSync } from 'node:fs';
import { CpuMeter, machineBusySeconds, memory } from '../proc/proc-stats.js';
import type { Sut } from './sut.js';

export interface ServerFigures {
  /** CPU of the server process(es), summed, in cores. */
  serverCores: number;
  /** Resident memory of the server process(es) at the end, summed, bytes. */
  serverRss: number;
  /** Highest summed RSS seen while measuring. */
  serverPeakRss: number;
  /** CPU of Redis (INFO used_cpu_*) in cores; undefined without Redis. */
  redisCores: number | undefined;
  /** CPU of every process on the machine (ours, the generator, Redis, and anyone else's). */
  machineCores: number;
  /** CPU of this benchmark's own coordinating process. */
  benchCores: number;
}

/** Samples a system's server CPU (/proc/<pid>/stat), RSS (/proc/<pid>/status) and Redis CPU. */
export class ServerMeter {
  #cpu: CpuMeter[];
  /** Each server's process and its descendants (WORKERS=N: the primary and its workers). */
  readonly #pids: number[];
  #redisCpu0 = 0;
  #machine0 = 0;
  #self0 = process.cpuUsage();
  #t0 = 0;
  #peak = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(private readonly sut: Sut) {
    this.#pids = sut.servers.flatMap((s) => processTree(s.pid));
    this.#cpu = this.#pids.map((pid) => new CpuMeter(pid));
  }

  async start(): Promise<void> {
    for (const m of this.#cpu) m.start();
    this.#redisCpu0 = (await this.sut.redis?.stats())?.cpuSeconds ?? 0;
    this.#machine0 = machineBusySeconds();
    this.#self0 = process.cpuUsage();
    this.#t0 = performance.now();
    this.#peak = this.rss();
    this.#timer = setInterval(() => {
      this.#peak = Math.max(this.#peak, this.rss());
    }, 250);
  }

  rss(): number {
    return this.#pids.reduce((sum, pid) => sum + memory(pid).rss, 0);
  }

  async stop(): Promise<ServerFigures> {
    clearInterval(this.#timer);
    const serverCores = this.#cpu.reduce((sum, m) => sum + m.stop().cores, 0);
    const wall = (performance.now() - this.#t0) / 1000;
    const machineCores = (machineBusySeconds() - this.#machine0) / wall;
    const self = process.cpuUsage(this.#self0);
    const benchCores = (self.user + self.system) / 1e6 / wall;
    const stats = await this.sut.redis?.stats();
    const serverRss = this.rss();
    return {
      serverCores,
      serverRss,
      serverPeakRss: Math.max(this.#peak, serverRss),
      redisCores: stats ? (stats.cpuSeconds - this.#redisCpu0) / wall : undefined,
      machineCores,
      benchCores,
    };
  }
}

/** `pid` and every process below it (/proc/<pid>/task/<tid>/children, Linux ≥ 3.5). */
function processTree(pid: number): number[] {
  let children: number[] = [];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    // no children file (kernel without it): the process alone
  }
  return [pid, ...children.flatMap(processTree)];
}
