/** A fixed-window counter: how many hits in the current window, and when it ends. */
export interface CounterState {
  count: number;
  /** Milliseconds until the window resets (0 when there is no window). */
  resetInMs: number;
}

/** One fixed-window counter that `reserve` checks against its maximum. */
export interface CounterBudget {
  key: string;
  /** The reservation is refused while the count is at or above this. */
  max: number;
  /** The window (started by the first hit) in ms. */
  windowMs: number;
  /** After the hit, the window ends no earlier than the longest window of the other budgets. */
  outlive?: boolean;
}

/** Either every budget was hit once, or none was and `retryInMs` says when one frees up. */
export type Reservation = { ok: true } | { ok: false; retryInMs: number };

/**
 * Fixed-window throttling counters, shared by every node. Every method rejects with
 * `UnavailableError` when the backing store cannot answer, quickly, never hanging.
 */
export interface Counters {
  /** Adds one hit to `key`; the window starts at the first hit and lasts `windowMs`. */
  hit(key: string, windowMs: number): Promise<CounterState>;
  peek(key: string): Promise<CounterState>;
  reset(key: string): Promise<void>;
  /**
   * Atomically (one step, shared by every node): when every budget is under its `max`, adds one
   * hit to each; otherwise adds nothing. N concurrent callers are counted as N.
   */
  reserve(budgets: readonly CounterBudget[]): Promise<Reservation>;
  /** Takes one hit back (never below zero), keeping the window. */
  refund(key: string): Promise<void>;
}
