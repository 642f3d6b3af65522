import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Summary } from './ledger.js';

export interface SoakResult {
  seconds: number;
  nodes: number;
  clients: number;
  faults: string[];
  /** When each fault began, seconds into the load. */
  faultsAtS: number[];
  summary: Summary;
}

/** The counters that must be 0 for the run to pass. */
export function failures(s: Summary): string[] {
  const must = {
    lost: s.lost,
    duplicated: s.duplicated,
    'served-after-expiry': s.servedAfterExpiry,
    'answered-failed-but-stored': s.answeredFailedButStored,
  };
  return Object.entries(must)
    .filter(([, n]) => n !== 0)
    .map(([name]) => name);
}

export function formatResult(r: SoakResult): string {
  const s = r.summary;
  return [
    `soak: ${r.seconds} s · ${r.nodes} nodes · ${r.clients} clients · faults: ${r.faults.map((f, i) => `${f} (t=${r.faultsAtS[i]} s)`).join(', ')}`,
    `acknowledged ${s.acknowledged} · lost ${s.lost} · duplicated ${s.duplicated} · ` +
      `served-after-expiry ${s.servedAfterExpiry} · answered-failed-but-stored ` +
      `${s.answeredFailedButStored} · answered-failed ${s.answeredFailed}`,
    `  (reconnects: ${s.reconnects} · unanswered, socket closed first: ${s.unanswered} · acks after the ${'5 s'} deadline: ` +
      `${s.lateAcks} · found by a catch-up only later: ${s.recoveredLate} · duplicates: ` +
      `${s.duplicateStored} stored twice, ${s.duplicateLive} live twice, ${s.seqConflicts} seq conflicts)`,
    `  (acked messages a catch-up audited as delivered: ${s.auditedDelivered} · failed sends ` +
      `the Redis probe found stored first: ${s.storedFoundByProbe} · failures by answer: ` +
      `${JSON.stringify(s.failuresBy)} · served after expiry by path: ` +
      `${JSON.stringify(s.servedAfterExpiryBy)}, at worst ${s.servedAfterExpiryWorstMs} ms late)`,
    ...(s.answeredFailedButStored
      ? [`  (answered failed but stored at t = ${s.storedAfterFailureAtS.join(', ')} s)`]
      : []),
  ].join('\n');
}

/** Writes the result as JSON under bench/results/; returns the path. */
export function writeResult(r: SoakResult): string {
  const dir = fileURLToPath(new URL('../../results/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
  const path = `${dir}soak-${stamp}.json`;
  writeFileSync(path, `${JSON.stringify({ ...r, at: new Date().toISOString() }, null, 2)}\n`);
  return path;
}
