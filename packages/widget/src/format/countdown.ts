const pad = (n: number) => String(n).padStart(2, '0');

/** Time left as a clock, rounded up to the second: `0:09`, `4:59`, `1:00:00`, `23:59:59`. */
export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
}
