import { closeCodes } from '@ephemeral-chat/protocol';
import { describe, expect, it, vi } from 'vitest';
import type { Logger } from '../logger.js';
import type { ConnectionData, Socket } from './connection.js';
import { guardSocket } from './socket-guard.js';

function fakeSocket(closedAlready = false) {
  const closed: number[] = [];
  const data = { closed: false, outbox: undefined } as unknown as ConnectionData;
  const ws = {
    getUserData() {
      if (closedAlready) throw new Error('Invalid access of closed uWS.WebSocket');
      return data;
    },
    cork: (fn: () => void) => fn(),
    send: () => 1,
    getBufferedAmount: () => 0,
    end: (code: number) => closed.push(code),
  } as unknown as Socket;
  return { ws, closed };
}

const logger = () =>
  ({ error: vi.fn() }) as unknown as Logger & { error: ReturnType<typeof vi.fn> };

describe('guardSocket', () => {
  it('logs a throwing handler and ends only that socket with 1011', () => {
    const log = logger();
    const { ws, closed } = fakeSocket();
    const handler = guardSocket(log, 'message', () => {
      throw new RangeError('Maximum call stack size exceeded');
    });
    expect(() => handler(ws)).not.toThrow();
    expect(closed).toEqual([closeCodes.internal_error.code]);
    expect(log.error).toHaveBeenCalledOnce();
  });

  it('does not throw when the socket is already closed', () => {
    const { ws } = fakeSocket(true);
    const handler = guardSocket(logger(), 'close', () => {
      throw new Error('boom');
    });
    expect(() => handler(ws)).not.toThrow();
  });

  it('passes arguments through when nothing throws', () => {
    const { ws, closed } = fakeSocket();
    const seen: unknown[] = [];
    guardSocket(logger(), 'message', (_ws, a: number, b: boolean) => seen.push(a, b))(ws, 1, true);
    expect(seen).toEqual([1, true]);
    expect(closed).toEqual([]);
  });
});
