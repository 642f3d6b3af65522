/**
 * The sizing scenario runs ours with `/metrics` on (as an operator following docs/deployment.md
 * would), and reads the V8 heap from it: RSS alone cannot tell JS objects from native buffers.
 */
export const SIZING_METRICS_TOKEN = 'bench-sizing-metrics-token-0123456789abcdef';

export const metricsEnv = { METRICS_TOKEN: SIZING_METRICS_TOKEN } as const;

/** The sum of every sample of `name` (any labels) in a server's `/metrics`; NaN if absent. */
export async function scrapeMetric(url: string, name: string): Promise<number> {
  const res = await fetch(`${url}/metrics`, {
    headers: { Authorization: `Bearer ${SIZING_METRICS_TOKEN}` },
  });
  if (res.status !== 200) throw new Error(`GET ${url}/metrics answered ${res.status}`);
  let sum = Number.NaN;
  const sample = new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`);
  for (const line of (await res.text()).split('\n')) {
    const value = Number(sample.exec(line)?.[1]);
    if (Number.isFinite(value)) sum = (Number.isNaN(sum) ? 0 : sum) + value;
  }
  return sum;
}
