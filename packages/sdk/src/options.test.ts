import { describe, expect, it } from 'vitest';
import { fakeWebSocket } from '../test/helpers/fake-socket.js';
import { defaultOptions, resolveOptions } from './options.js';

const { WebSocket } = fakeWebSocket();
const base = { url: 'https://chat.example.com', WebSocket };

describe('resolveOptions', () => {
  it('fills in the documented defaults and derives the socket URL', () => {
    const o = resolveOptions(base);
    expect(o).toMatchObject(defaultOptions);
    expect(o.url).toBe('https://chat.example.com');
    expect(o.wsUrl).toBe('wss://chat.example.com/ws');
    expect(resolveOptions({ ...base, url: 'http://10.0.0.1:8080/chat/' }).wsUrl).toBe(
      'ws://10.0.0.1:8080/chat/ws',
    );
  });

  it('asks the server to use the session cookie on the socket only in cookie mode', () => {
    expect(resolveOptions({ ...base, auth: 'cookie' }).wsUrl).toBe(
      'wss://chat.example.com/ws?auth=cookie',
    );
  });

  it('freezes the result', () => {
    const o = resolveOptions(base);
    expect(Object.isFrozen(o)).toBe(true);
    expect(() => {
      (o as { requestTimeoutMs: number }).requestTimeoutMs = 1;
    }).toThrow(TypeError);
  });

  it.each([
    [{ url: 'chat.example.com' }, /`url` must be an http\(s\) URL/],
    [{ url: 'ftp://chat.example.com' }, /`url` must be an http\(s\) URL/],
    [{ heartbeatIntervalMs: 0 }, /`heartbeatIntervalMs` must be a whole number of ms/],
    [{ requestTimeoutMs: 1.5 }, /`requestTimeoutMs`/],
    [{ defaultTtlMs: 5000 }, /`defaultTtlMs` must be in \[10000, 86400000\]/],
    [{ reconnectBaseDelayMs: 5000, reconnectMaxDelayMs: 1000 }, /at least `reconnectBaseDelayMs`/],
    [{ auth: 'session' }, /`auth` is "token" or "cookie"/],
    [{ autoDelivered: 'yes' }, /`autoDelivered` is true or false/],
  ])('fails fast on %o, saying what to fix', (bad, message) => {
    expect(() => resolveOptions({ ...base, ...bad } as never)).toThrow(message);
    expect(() => resolveOptions({ ...base, ...bad } as never)).toThrow(
      expect.objectContaining({ name: 'ChatError', code: 'invalid_options' }),
    );
  });

  it('needs no WebSocket where the platform has none (Node 20): HTTP calls work without one', () => {
    const g = globalThis as { WebSocket?: unknown };
    const saved = g.WebSocket;
    g.WebSocket = undefined;
    try {
      expect(resolveOptions({ url: base.url }).WebSocket).toBeUndefined();
    } finally {
      g.WebSocket = saved;
    }
  });

  it('fails fast on a `WebSocket` that is not a constructor, naming the package to use', () => {
    expect(() => resolveOptions({ ...base, WebSocket: 'ws' } as never)).toThrow(
      /`WebSocket` must be a WebSocket constructor.*import WebSocket from "ws"/,
    );
  });
});
