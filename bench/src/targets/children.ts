import type { ChildProcess } from 'node:child_process';

const live = new Set<ChildProcess>();

/**
 * Every process the benchmark starts is tracked here and killed when the benchmark exits for any
 * reason (end, error, Ctrl-C), so no server or redis-server outlives a run.
 */
export function track<T extends ChildProcess>(child: T): T {
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

function killAll(): void {
  for (const child of live) child.kill('SIGKILL');
}

process.once('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killAll();
    process.exit(130);
  });
}
