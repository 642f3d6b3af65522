// Handlers are declared through a method so that their parameter is checked bivariantly: the DOM's
// WebSocket and the `ws` package pass richer event types than these minimal ones.
type Handler<E> = { bivariant(event: E): void }['bivariant'] | null;

/** The subset of the WHATWG WebSocket the client uses; the browser's and `ws`'s both fit. */
export interface WebSocketLike {
  readonly readyState: number;
  onopen: Handler<unknown>;
  onmessage: Handler<{ data: unknown }>;
  onclose: Handler<{ code: number }>;
  onerror: Handler<unknown>;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export type WebSocketConstructor = new (url: string) => WebSocketLike;

/** The subset of `fetch` the client uses; the platform's, undici's or node-fetch's fit. */
export type FetchLike = (
  url: string,
  init: {
    method: string;
    headers: Record<string, string>;
    body?: string;
    credentials?: 'include';
    /** Only for the origin probe after a failed cross-origin request. */
    mode?: 'no-cors';
  },
) => Promise<{ status: number; ok: boolean; text(): Promise<string> }>;
