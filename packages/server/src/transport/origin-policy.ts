/**
 * Which browser origins may call the API with credentials: the server's own host (the demo page)
 * and the exact origins in ALLOWED_ORIGINS. Requests without an Origin header (apps, Node, curl)
 * are not browsers acting for another site, so they pass.
 */
export class OriginPolicy {
  readonly #allowed: ReadonlySet<string>;

  constructor(allowedOrigins: readonly string[]) {
    this.#allowed = new Set(allowedOrigins);
  }

  /** 'none' when no Origin was sent, 'same' for the server's own host, else cross/denied. */
  classify(
    origin: string | undefined,
    host: string | undefined,
  ): 'none' | 'same' | 'cross' | 'denied' {
    if (!origin) return 'none';
    if (host && hostOf(origin) === host.toLowerCase()) return 'same';
    return this.#allowed.has(origin) ? 'cross' : 'denied';
  }
}

function hostOf(origin: string): string | undefined {
  try {
    return new URL(origin).host.toLowerCase();
  } catch {
    return undefined;
  }
}
