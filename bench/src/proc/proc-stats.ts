import { readdirSync, readFileSync } from 'node:fs';

/** Linux reports utime/stime in clock ticks; USER_HZ is 100 on every mainstream kernel build. */
const TICKS_PER_SECOND = 100;

/** CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Field 2 (comm) may hold spaces and parentheses: count fields from after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15, i.e. 12th and 13th after comm and state.
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

export interface MemoryReading {
  /** Resident set size now, bytes. */
  rss: number;
  /** Peak resident set size so far, bytes. */
  peakRss: number;
}

/** Resident memory of a process, from /proc/<pid>/status (VmRSS and VmHWM). */
export function memory(pid: number): MemoryReading {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]);
  return { rss: kb('VmRSS') * 1024, peakRss: kb('VmHWM') * 1024 };
}

/** Open file descriptors of a process (its sockets included). */
export function openFiles(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).length;
}

/** CPU used by a process between `start()` and `stop()`, as cores (1.0 = one core busy). */
export class CpuMeter {
  #cpu0 = 0;
  #t0 = 0;

  constructor(private readonly pid: number) {}

  start(): void {
    this.#cpu0 = cpuSeconds(this.pid);
    this.#t0 = performance.now();
  }

  /** Cores used since start(), and the CPU seconds. */
  stop(): { cores: number; seconds: number } {
    const seconds = cpuSeconds(this.pid) - this.#cpu0;
    const wall = (performance.now() - this.#t0) / 1000;
    return { cores: wall > 0 ? seconds / wall : 0, seconds };
  }
}

/** CPU seconds all processes of the machine spent busy so far (first line of /proc/stat). */
export function machineBusySeconds(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
  const [, user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).map(Number);
  return (
    ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) /
    TICKS_PER_SECOND
  );
}
