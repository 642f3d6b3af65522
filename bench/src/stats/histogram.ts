/**
 * A log-linear latency histogram in microseconds (HdrHistogram's layout, 64 sub-buckets per power
 * of two, so within ~1.6 %). Fixed memory whatever the sample count, and mergeable across
 * processes: workers ship `toJSON()` to the parent, which adds them up.
 */
export class Histogram {
  #counts = new Map<number, number>();
  count = 0;
  max = 0;

  /** Records one latency in milliseconds. */
  record(ms: number): void {
    const us = Math.min(2 ** 31 - 1, Math.max(0, Math.round(ms * 1000)));
    const i = bucketOf(us);
    this.#counts.set(i, (this.#counts.get(i) ?? 0) + 1);
    this.count++;
    if (ms > this.max) this.max = ms;
  }

  merge(other: HistogramJson): void {
    for (const [i, n] of other.buckets) this.#counts.set(i, (this.#counts.get(i) ?? 0) + n);
    this.count += other.count;
    this.max = Math.max(this.max, other.max);
  }

  /** The latency (ms) at or below which fraction `q` (0–1) of the samples fall; NaN when empty. */
  quantile(q: number): number {
    if (this.count === 0) return Number.NaN;
    const rank = Math.max(1, Math.ceil(q * this.count));
    if (rank >= this.count) return this.max;
    let seen = 0;
    for (const i of [...this.#counts.keys()].sort((a, b) => a - b)) {
      seen += this.#counts.get(i) ?? 0;
      if (seen >= rank) return Math.min(bucketValue(i) / 1000, this.max);
    }
    return this.max;
  }

  toJSON(): HistogramJson {
    return { buckets: [...this.#counts], count: this.count, max: this.max };
  }

  static from(json: HistogramJson): Histogram {
    const h = new Histogram();
    h.merge(json);
    return h;
  }
}

export interface HistogramJson {
  buckets: [number, number][];
  count: number;
  max: number;
}

const SUB = 64;

export function bucketOf(us: number): number {
  if (us < SUB) return us;
  const shift = 31 - Math.clz32(us) - 6;
  return (shift + 1) * SUB + ((us >>> shift) - SUB);
}

/** The middle of a bucket, in microseconds. */
export function bucketValue(bucket: number): number {
  if (bucket < SUB) return bucket;
  const width = 2 ** (Math.floor(bucket / SUB) - 1);
  return ((bucket % SUB) + SUB) * width + (width - 1) / 2;
}
