/**
 * `--metrics`: ours runs with METRICS_TOKEN set, and its `/metrics` is fetched every second while a
 * run goes on, as Prometheus would scrape it; the same run without measures the overhead.
 */
export const BENCH_METRICS_TOKEN = 'bench-metrics-overhead-token-0123456789abcdef';

export const benchMetricsEnv = { METRICS_TOKEN: BENCH_METRICS_TOKEN } as const;

/** Runs `body` while scraping each server's `/metrics` every `everyMs`; a failed scrape throws. */
export async function whileScraping<T>(
  urls: readonly string[],
  body: () => Promise<T>,
  everyMs = 1000,
): Promise<T> {
  let failure: Error | undefined;
  let inFlight: Promise<void> = Promise.resolve();
  const scrape = async () => {
    for (const url of urls) {
      const res = await fetch(`${url}/metrics`, {
        headers: { Authorization: `Bearer ${BENCH_METRICS_TOKEN}` },
      });
      // Read the whole body, as a scraper does: the server's cost includes writing it.
      const text = await res.text();
      if (res.status !== 200) throw new Error(`GET ${url}/metrics answered ${res.status}: ${text}`);
    }
  };
  const timer = setInterval(() => {
    inFlight = inFlight.then(scrape).catch((err: unknown) => {
      failure ??= err as Error;
    });
  }, everyMs);
  const stop = async () => {
    clearInterval(timer);
    await inFlight;
  };
  let result: T;
  try {
    result = await body();
  } catch (err) {
    await stop();
    throw err;
  }
  await stop();
  if (failure) throw failure;
  return result;
}
