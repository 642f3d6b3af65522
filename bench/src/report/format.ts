import { availableParallelism } from 'node:os';

/** Cores of this machine, to read the CPU rows against. */
export const coreCount = availableParallelism();

/** Cell formatting shared by every table. */
export const fmt = {
  int: (n: number | undefined) =>
    n === undefined || !Number.isFinite(n) ? '—' : Math.round(n).toLocaleString('en-US'),
  ms: (n: number | undefined) =>
    n === undefined || !Number.isFinite(n) ? '—' : n < 10 ? n.toFixed(2) : n.toFixed(1),
  cores: (n: number | undefined) => (n === undefined || !Number.isFinite(n) ? '—' : n.toFixed(2)),
  mb: (bytes: number | undefined) =>
    bytes === undefined || !Number.isFinite(bytes) ? '—' : (bytes / 1048576).toFixed(1),
  kb: (bytes: number | undefined) =>
    bytes === undefined || !Number.isFinite(bytes) ? '—' : (bytes / 1024).toFixed(1),
  s: (ms: number | undefined) =>
    ms === undefined || !Number.isFinite(ms) ? '—' : (ms / 1000).toFixed(1),
  /** ours ÷ theirs, as "5.2×"; "—" when either is missing. */
  ratio: (ours: number | undefined, theirs: number | undefined) =>
    ours === undefined || theirs === undefined || !Number.isFinite(ours) || !theirs
      ? '—'
      : `${(ours / theirs).toFixed(2)}×`,
};
