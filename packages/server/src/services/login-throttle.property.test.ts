import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EngineFactory, engineFactories } from '../../test/helpers/engines.js';
import type { Engine } from '../engine/engine.js';
import { MemoryEngine } from '../engine/memory-engine.js';
import { AppError } from '../errors/app-error.js';
import { LoginThrottle, type ThrottlePolicy } from './login-throttle.js';

const policy: ThrottlePolicy = {
  maxPerAccountAndIp: 3,
  maxPerAccount: 7,
  maxPerIp: 9,
  windowMs: 60_000,
  // Out of the way: this property is about the shared counters, not the node-local slots.
  maxConcurrentPerAccount: 1000,
  maxRegistrationsPerIp: 1,
  registrationWindowMs: 60_000,
};

interface Attempt {
  account: number;
  address: number;
  /** The password was right. */
  right: boolean;
}

const attempt = fc.record({
  account: fc.nat(1),
  address: fc.nat(3),
  right: fc.nat(4).map((n) => n === 0),
});
/** Attempts within a batch run concurrently; batches run one after the other. */
const batches = fc.array(fc.array(attempt, { minLength: 1, maxLength: 12 }), { maxLength: 6 });

const everyPair: Attempt[] = [0, 1].flatMap((account) =>
  [0, 1, 2, 3].map((address) => ({ account, address, right: false })),
);

/** The counter keys of an attempt; `run` namespaces the account and the address. */
const keys = (a: Attempt, run = '') => {
  const account = `${run}acct${a.account}`;
  const ip = `${run}ip${a.address}`;
  return {
    acctIp: `login:acct-ip:${account}:${ip}`,
    acct: `login:acct:${account}`,
    ip: `login:ip:${ip}`,
  };
};

/**
 * The rules in a plain map. Within a batch every reservation happens in call order before any
 * verification ends (memory reserves synchronously; Redis runs one connection's scripts in order),
 * then each success clears its address's budget on the account and takes its other hits back.
 */
function model(run: Attempt[][]) {
  const counts = new Map<string, number>();
  const get = (k: string) => counts.get(k) ?? 0;
  const outcomes: boolean[] = [];
  for (const batch of run) {
    const reserved: Attempt[] = [];
    for (const a of batch) {
      const k = keys(a);
      const ok =
        get(k.acctIp) < policy.maxPerAccountAndIp &&
        get(k.acct) < policy.maxPerAccount &&
        get(k.ip) < policy.maxPerIp;
      outcomes.push(ok);
      if (!ok) continue;
      for (const key of Object.values(k)) counts.set(key, get(key) + 1);
      reserved.push(a);
    }
    for (const a of reserved.filter((r) => r.right)) {
      const k = keys(a);
      counts.set(k.acctIp, 0);
      counts.set(k.acct, Math.max(0, get(k.acct) - 1));
      counts.set(k.ip, Math.max(0, get(k.ip) - 1));
    }
  }
  return { counts, outcomes };
}

let runId = 0;

/** Runs the attempts through the throttle, under keys of this run's own. */
async function system(engine: Engine, run: Attempt[][]) {
  runId += 1;
  const tag = `r${runId}`;
  const throttle = new LoginThrottle(engine.counters, policy);
  const outcomes: boolean[] = [];
  for (const batch of run) {
    const results = await Promise.all(
      batch.map((a) =>
        throttle
          .attemptLogin(`${tag}acct${a.account}`, `${tag}ip${a.address}`, async () =>
            a.right ? 'signed in' : undefined,
          )
          .then(
            () => true,
            (err: unknown) => {
              if (err instanceof AppError && err.code === 'rate_limited') return false;
              throw err;
            },
          ),
      ),
    );
    outcomes.push(...results);
  }
  const read = async (pick: (k: ReturnType<typeof keys>) => string, a: Attempt) =>
    (await engine.counters.peek(pick(keys(a, tag)))).count;
  return { outcomes, read };
}

describe.each(engineFactories)(
  'login throttle against a model (%s)',
  (_name, factory: EngineFactory) => {
    let engine: Engine;
    let dispose: () => Promise<void>;
    beforeAll(async () => {
      ({ engine, dispose } = await factory());
    });
    afterAll(() => dispose());

    it('admits and counts interleaved attempts from many addresses exactly as the model does', async () => {
      await fc.assert(
        fc.asyncProperty(batches, async (run) => {
          const expected = model(run);
          const actual = await system(engine, run);
          expect(actual.outcomes).toEqual(expected.outcomes);
          for (const a of everyPair) {
            for (const kind of ['acctIp', 'acct', 'ip'] as const) {
              const want = expected.counts.get(keys(a)[kind]) ?? 0;
              expect(await actual.read((k) => k[kind], a)).toBe(want);
            }
          }
        }),
        { numRuns: 40 },
      );
    });

    it('never lets one address that never signs in add more than its own budget to the account', async () => {
      const lone: Attempt = { account: 0, address: 0, right: false };
      await fc.assert(
        fc.asyncProperty(fc.array(fc.nat(40), { minLength: 1, maxLength: 5 }), async (sizes) => {
          const run = sizes.map((n) => Array.from({ length: n + 1 }, () => lone));
          const { read } = await system(engine, run);
          expect(await read((k) => k.acct, lone)).toBeLessThanOrEqual(policy.maxPerAccountAndIp);
        }),
        { numRuns: 20 },
      );
    });
  },
);

describe('one address across windows (MemoryEngine on a test clock)', () => {
  it('adds at most its own budget to any one window of the account counter', async () => {
    const step = fc.record({ advanceMs: fc.nat(700), attacker: fc.boolean() });
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 60 }), async (steps) => {
        let now = 0;
        const engine = new MemoryEngine({ now: () => now });
        const windowPolicy = { ...policy, maxPerAccount: 1000, maxPerIp: 1000, windowMs: 1000 };
        const throttle = new LoginThrottle(engine.counters, windowPolicy);
        // Attacker attempts admitted, by the end of the account window they landed in.
        const perWindow = new Map<number, number>();
        try {
          for (const s of steps) {
            now += s.advanceMs;
            const ip = s.attacker ? 'attacker' : 'someone-else';
            const admitted = await throttle
              .attemptLogin('victim', ip, async () => undefined)
              .then(
                () => true,
                () => false,
              );
            if (!admitted || !s.attacker) continue;
            const end = now + (await engine.counters.peek('login:acct:victim')).resetInMs;
            perWindow.set(end, (perWindow.get(end) ?? 0) + 1);
          }
          for (const n of perWindow.values()) {
            expect(n).toBeLessThanOrEqual(windowPolicy.maxPerAccountAndIp);
          }
        } finally {
          await engine.close();
        }
      }),
      { numRuns: 200 },
    );
  });
});
