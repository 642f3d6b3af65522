import { AggregatorRegistry, Counter, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { LocalCounter } from './local-counter.js';
import { LocalHistogram } from './local-histogram.js';

// The hot-path metrics against prom-client's own: the same samples in the text format, and a
// WORKERS primary can merge their JSON with AggregatorRegistry.

/** Sample lines, labels sorted, so label order does not matter. */
function samples(text: string): string[] {
  return text
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) =>
      l.replace(/\{([^}]*)\}/, (_, inner: string) => `{${inner.split(',').sort().join(',')}}`),
    )
    .sort();
}

describe('LocalCounter and LocalHistogram', () => {
  const buckets = [1, 5, 10];
  const values = [0.5, 1, 3, 7, 10, 11, 250];

  it('write the same samples as prom-client’s Counter and Histogram', async () => {
    const ours = new Registry();
    const theirs = new Registry();
    const h = new LocalHistogram('h_ms', 'help', buckets, ours);
    const a = h.cell({ command: 'get' });
    const b = h.cell({ command: 'set' });
    const c = new LocalCounter('c_total', 'help', ours).cell({ type: 'send', result: 'ok' });
    const ph = new Histogram({
      name: 'h_ms',
      help: 'help',
      buckets,
      labelNames: ['command'],
      registers: [theirs],
    });
    const pc = new Counter({
      name: 'c_total',
      help: 'help',
      labelNames: ['type', 'result'],
      registers: [theirs],
    });
    for (const v of values) {
      a.observe(v);
      ph.labels('get').observe(v);
      c.inc();
      pc.labels('send', 'ok').inc();
    }
    b.observe(2);
    ph.labels('set').observe(2);
    expect(samples(await ours.metrics())).toEqual(samples(await theirs.metrics()));
  });

  it('merge across registries with AggregatorRegistry (as a WORKERS primary does)', async () => {
    const workers = [new Registry(), new Registry()].map((r) => {
      new LocalHistogram('h_ms', 'help', buckets, r).cell().observe(3);
      new LocalCounter('c_total', 'help', r).cell().inc(2);
      return r;
    });
    const merged = AggregatorRegistry.aggregate(
      await Promise.all(workers.map((r) => r.getMetricsAsJSON())),
    );
    const text = await merged.metrics();
    expect(text).toContain('h_ms_bucket{le="5"} 2');
    expect(text).toContain('h_ms_count 2');
    expect(text).toContain('c_total 4');
  });
});
