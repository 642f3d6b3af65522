/** Counts of one engine's run, and each distinct failure class with its shortest example. */
export class FuzzReport {
  frames = 0;
  requests = 0;
  crashes = 0;
  undocumented = 0;
  documentedCloses = 0;
  rssStart = 0;
  rssMax = 0;
  stoppedBy = 'count';
  readonly failures = new Map<string, { count: number; example: string }>();
  /** Findings that are not failures of the documented protocol (see each call). */
  readonly notes = new Map<string, { count: number; example: string }>();
  readonly #started = Date.now();

  constructor(
    readonly engine: string,
    readonly seed: number,
  ) {}

  /** One failure of class `kind`; the shortest example of each class is kept. */
  fail(kind: string, example: string): void {
    this.undocumented += 1;
    const seen = this.failures.get(kind);
    if (!seen) this.failures.set(kind, { count: 1, example });
    else {
      seen.count += 1;
      if (example.length < seen.example.length) seen.example = example;
    }
  }

  note(kind: string, example: string): void {
    const seen = this.notes.get(kind);
    if (seen) seen.count += 1;
    else this.notes.set(kind, { count: 1, example });
  }

  rss(bytes: number): void {
    if (!this.rssStart) this.rssStart = bytes;
    this.rssMax = Math.max(this.rssMax, bytes);
  }

  summary(kind: 'ws' | 'http'): string {
    const mb = (b: number) => Math.round(b / 2 ** 20);
    const s = Math.round((Date.now() - this.#started) / 1000);
    const count = kind === 'ws' ? `${this.frames} frames (ws)` : `${this.requests} requests (http)`;
    const lines = [
      `fuzz ${this.engine}: ${count} · ${this.crashes} crashes · ${this.undocumented} undocumented answers · ` +
        `${this.documentedCloses} closes (documented) · rss max ${mb(this.rssMax)} MB (start ${mb(this.rssStart)} MB) · ` +
        `${s} s · stopped by ${this.stoppedBy} · seed ${this.seed}`,
    ];
    for (const [k, v] of this.failures)
      lines.push(`  FAIL ×${v.count} ${k}\n      e.g. ${v.example}`);
    for (const [k, v] of this.notes) lines.push(`  NOTE ×${v.count} ${k}\n      e.g. ${v.example}`);
    return lines.join('\n');
  }
}

/** A frame for a report line: short, with its length, escapes visible. */
export function show(data: Uint8Array | string, max = 160): string {
  const text = typeof data === 'string' ? data : readable(data);
  const len = typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength;
  const body = JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);
  return `${body} (${len} B)`;
}

const strict = new TextDecoder('utf-8', { fatal: true });

/** UTF-8 as text; anything else with its non-ASCII bytes as \\xNN. */
function readable(bytes: Uint8Array): string {
  try {
    return strict.decode(bytes);
  } catch {
    return Array.from(bytes, (b) =>
      b < 0x80 ? String.fromCharCode(b) : `\\x${b.toString(16)}`,
    ).join('');
  }
}
