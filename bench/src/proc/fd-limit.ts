import { readFileSync } from 'node:fs';

/** The soft "Max open files" limit of a process, from /proc/<pid>/limits. */
export function maxOpenFiles(pid: number): number {
  const limits = readFileSync(`/proc/${pid}/limits`, 'utf8');
  const soft = /^Max open files\s+(\d+|unlimited)/m.exec(limits)?.[1];
  return soft === undefined || soft === 'unlimited' ? Number.POSITIVE_INFINITY : Number(soft);
}
