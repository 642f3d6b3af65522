import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config/config.js';
import { workerCount, workerPlanProblems } from './plan.js';

const redis = { REDIS_URL: 'redis://127.0.0.1:6379' };

describe('WORKERS', () => {
  it('defaults to 1 (one process, as before) and reads auto or 1–64', () => {
    expect(loadConfig({}).WORKERS).toBe(1);
    expect(loadConfig({ WORKERS: '' }).WORKERS).toBe(1);
    expect(loadConfig({ WORKERS: 'auto' }).WORKERS).toBe('auto');
    expect(loadConfig({ WORKERS: ' AUTO ' }).WORKERS).toBe('auto');
    expect(loadConfig({ WORKERS: '1' }).WORKERS).toBe(1);
    expect(loadConfig({ WORKERS: '64' }).WORKERS).toBe(64);
    expect(workerCount('auto', 2)).toBe(2);
    expect(workerCount('auto', 128)).toBe(64);
    expect(workerCount(3, 2)).toBe(3);
  });

  it.each(['0', '65', '-1', '1.5', '2e1', '0x2', 'two', 'auto2', '１'])(
    'refuses %s with a message naming WORKERS',
    (junk) => {
      expect(() => loadConfig({ WORKERS: junk })).toThrow(ConfigError);
      expect(() => loadConfig({ WORKERS: junk })).toThrow(/WORKERS: Use auto .* 1–64/);
    },
  );

  it('never crashes on junk: a valid count or a clean ConfigError', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme-ascii', maxLength: 12 }), fc.string(), (a, b) => {
        for (const value of [a, b, ` ${a}`, `${a}0`]) {
          try {
            const w = loadConfig({ WORKERS: value }).WORKERS;
            expect(w === 'auto' || (Number.isInteger(w) && w >= 1 && w <= 64)).toBe(true);
          } catch (err) {
            expect(err).toBeInstanceOf(ConfigError);
            expect((err as ConfigError).problems).toEqual([
              'WORKERS: Use auto (one per core) or a whole number 1–64.',
            ]);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('refuses several workers on the in-memory engine, naming REDIS_URL', () => {
    const problems = workerPlanProblems(loadConfig({ WORKERS: '2' }), 2, 'linux');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^WORKERS: 2 workers need the Redis engine: set REDIS_URL=/);
    const auto = workerPlanProblems(loadConfig({ WORKERS: 'auto' }), 4, 'linux');
    expect(auto[0]).toMatch(/^WORKERS: auto \(4 cores\) workers need the Redis engine/);
  });

  it('accepts several workers on Redis with a SQLite file or PostgreSQL, one on anything', () => {
    expect(workerPlanProblems(loadConfig({ ...redis, WORKERS: '2' }), 2, 'linux')).toEqual([]);
    const pg = loadConfig({ ...redis, WORKERS: '8', DATABASE_URL: 'postgres://db/chat' });
    expect(workerPlanProblems(pg, 8, 'linux')).toEqual([]);
    expect(workerPlanProblems(loadConfig({ WORKERS: 'auto' }), 1, 'darwin')).toEqual([]);
  });

  it('refuses a SQLite database in memory (one per worker) and non-Linux hosts', () => {
    const memory = loadConfig({ ...redis, WORKERS: '2', DATABASE_URL: 'sqlite::memory:' });
    expect(workerPlanProblems(memory, 2, 'linux')).toEqual([
      expect.stringMatching(/sqlite::memory:.*one database per process/),
    ]);
    expect(workerPlanProblems(loadConfig({ ...redis, WORKERS: '2' }), 2, 'darwin')).toEqual([
      expect.stringMatching(/need Linux \(SO_REUSEPORT\)/),
    ]);
  });
});
