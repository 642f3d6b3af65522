/** What a soak run does; every field from an environment variable, validated once. */
export interface SoakOptions {
  /** Whole run: load with faults, then a quiet period and the final sweep. @default 180 */
  seconds: number;
  /** Pairs of users; the two of a pair start on different nodes. @default 20 */
  pairs: number;
  /** Messages per second each user sends. @default 5 */
  rate: number;
}

export const soakDefaults: Readonly<SoakOptions> = Object.freeze({
  seconds: 180,
  pairs: 20,
  rate: 5,
});

/** The faults need about 45 s of load, then the quiet period and the sweep. */
const MIN_SECONDS = 60;

export function soakOptions(env: NodeJS.ProcessEnv = process.env): SoakOptions {
  const read = (name: string, fallback: number, min: number, max: number) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < min || n > max) {
      throw new Error(`${name}=${raw}: use a number from ${min} to ${max}.`);
    }
    return n;
  };
  return Object.freeze({
    seconds: Math.round(read('SOAK_SECONDS', soakDefaults.seconds, MIN_SECONDS, 3600)),
    pairs: Math.round(read('SOAK_PAIRS', soakDefaults.pairs, 1, 500)),
    rate: read('SOAK_RATE', soakDefaults.rate, 0.1, 50),
  });
}
