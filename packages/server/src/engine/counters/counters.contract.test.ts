import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineFactories } from '../../../test/helpers/engines.js';
import type { Engine } from '../engine.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What fixed-window counters must do, whatever holds them. */
describe.each(engineFactories)('Counters contract: %s', (_name, open) => {
  let engine: Engine;
  let dispose: () => Promise<void>;
  beforeAll(async () => {
    ({ engine, dispose } = await open());
  });
  afterAll(() => dispose());

  it('counts hits in a window and reports when it resets', async () => {
    expect(await engine.counters.hit('c1', 10_000)).toMatchObject({ count: 1 });
    const second = await engine.counters.hit('c1', 10_000);
    expect(second.count).toBe(2);
    expect(second.resetInMs).toBeGreaterThan(9_000);
    expect(second.resetInMs).toBeLessThanOrEqual(10_000);
    expect((await engine.counters.peek('c1')).count).toBe(2);
  });

  it('does not extend a window with later hits', async () => {
    await engine.counters.hit('c2', 300);
    await sleep(150);
    await engine.counters.hit('c2', 300);
    await sleep(200);
    expect(await engine.counters.peek('c2')).toEqual({ count: 0, resetInMs: 0 });
  });

  it('peeks an absent counter as zero and resets a counter', async () => {
    expect(await engine.counters.peek('c3')).toEqual({ count: 0, resetInMs: 0 });
    await engine.counters.hit('c3', 10_000);
    await engine.counters.reset('c3');
    expect((await engine.counters.peek('c3')).count).toBe(0);
  });

  it('reserves every budget or none, and says when the spent one frees up', async () => {
    const budgets = [
      { key: 'r1:a', max: 2, windowMs: 10_000 },
      { key: 'r1:b', max: 5, windowMs: 10_000 },
    ];
    expect(await engine.counters.reserve(budgets)).toEqual({ ok: true });
    expect(await engine.counters.reserve(budgets)).toEqual({ ok: true });
    const refused = await engine.counters.reserve(budgets);
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.retryInMs).toBeGreaterThan(9_000);
      expect(refused.retryInMs).toBeLessThanOrEqual(10_000);
    }
    expect((await engine.counters.peek('r1:a')).count).toBe(2);
    expect((await engine.counters.peek('r1:b')).count).toBe(2);
  });

  it('counts concurrent reservations one by one: 25 at once against 10 admit exactly 10', async () => {
    const results = await Promise.all(
      Array.from({ length: 25 }, () =>
        engine.counters.reserve([{ key: 'r2', max: 10, windowMs: 10_000 }]),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(10);
    expect((await engine.counters.peek('r2')).count).toBe(10);
  });

  it('stretches an outliving budget to the longest window among those hit', async () => {
    await engine.counters.hit('r3:long', 10_000);
    await engine.counters.reserve([
      { key: 'r3:short', max: 5, windowMs: 300, outlive: true },
      { key: 'r3:long', max: 5, windowMs: 10_000 },
    ]);
    expect((await engine.counters.peek('r3:short')).resetInMs).toBeGreaterThan(9_000);
  });

  it('refunds one hit, never below zero, keeping the window and creating nothing', async () => {
    await engine.counters.hit('r4', 10_000);
    await engine.counters.hit('r4', 10_000);
    await engine.counters.refund('r4');
    const state = await engine.counters.peek('r4');
    expect(state.count).toBe(1);
    expect(state.resetInMs).toBeGreaterThan(9_000);
    await engine.counters.refund('r4');
    await engine.counters.refund('r4');
    expect((await engine.counters.peek('r4')).count).toBe(0);
    await engine.counters.refund('r4:absent');
    expect(await engine.counters.peek('r4:absent')).toEqual({ count: 0, resetInMs: 0 });
  });
});
