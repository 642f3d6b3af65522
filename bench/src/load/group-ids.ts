/**
 * Client message ids of group runs carry the sender's node and the send time, so that any
 * generator process can time a delivery: `<node>_<sender>_<n>_<µs>` (the protocol allows
 * A–Z, a–z, 0–9, `_` and `-`, up to 64 characters). The time is CLOCK_MONOTONIC
 * (`process.hrtime`), one clock for every process on the machine, unlike `performance.now()`,
 * whose origin is each process's own start.
 */
export function groupMsgId(node: number, sender: number, n: number, atMs: number): string {
  return `${node}_${sender}_${n}_${Math.round(atMs * 1000)}`;
}

/** The sender's node and send time (ms, on `monoMs`'s clock) of a group run's message id. */
export function parseGroupMsgId(id: string): { node: number; atMs: number } | undefined {
  const parts = id.split('_');
  if (parts.length !== 4) return undefined;
  const node = Number(parts[0]);
  const us = Number(parts[3]);
  if (!Number.isInteger(node) || !Number.isFinite(us) || parts[3] === '') return undefined;
  return { node, atMs: us / 1000 };
}

/** Milliseconds on the machine-wide monotonic clock (comparable between processes). */
export function monoMs(): number {
  const [s, ns] = process.hrtime();
  return s * 1000 + ns / 1e6;
}
