import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { connected } from '../../test/helpers/scripted-client.js';

const pinged = (s: { sent: { type?: unknown }[] } | undefined) =>
  !!s?.sent.some((f) => f.type === 'ping');

describe('noticing a lost network', () => {
  let network: EventTarget;

  beforeEach(() => {
    vi.useFakeTimers({ now: 1_700_000_000_000 });
    // The browser's window: Node has no online/offline events of its own.
    network = new EventTarget();
    Object.assign(globalThis, {
      addEventListener: network.addEventListener.bind(network),
      removeEventListener: network.removeEventListener.bind(network),
    });
  });

  afterEach(() => {
    vi.useRealTimers();
    const g = globalThis as { addEventListener?: unknown; removeEventListener?: unknown };
    delete g.addEventListener;
    delete g.removeEventListener;
  });

  it('brings a heartbeat forward while a send waits, and reconnects after 5 s of silence', async () => {
    const { client, chat, states, sockets } = await connected();
    const sending = chat.send('are you there?');
    sending.catch(() => {});
    await vi.advanceTimersByTimeAsync(1999);
    expect(pinged(sockets[0])).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(pinged(sockets[0])).toBe(true);
    await vi.advanceTimersByTimeAsync(3000);
    expect(states.at(-1)).toBe('reconnecting');
    expect(sockets[0]?.closedByClient).toBe(true);
    client.disconnect();
  });

  it('sends no early heartbeat for a send that is answered in time', async () => {
    const { client, chat, socket } = await connected();
    const sending = chat.send('hello');
    const frame = socket().last('send');
    socket().push({
      type: 'ack',
      id: frame.id,
      message: {
        room: String(frame.room),
        seq: 2,
        from: 'u1',
        text: 'hello',
        clientMsgId: String(frame.clientMsgId),
        createdAt: Date.now(),
        ttl: 3_600_000,
        expiresAt: Date.now() + 3_600_000,
      },
    });
    await sending;
    await vi.advanceTimersByTimeAsync(5000);
    expect(pinged(socket())).toBe(false);
    client.disconnect();
  });

  it('drops the socket at the offline event and tries again at once when the network is back', async () => {
    const { client, states, sockets } = await connected({
      reconnectBaseDelayMs: 30_000,
      reconnectMaxDelayMs: 60_000,
    });
    network.dispatchEvent(new Event('offline'));
    expect(states.at(-1)).toBe('reconnecting');
    expect(sockets[0]?.closedByClient).toBe(true);
    await vi.advanceTimersByTimeAsync(0);
    const before = sockets.length;
    network.dispatchEvent(new Event('online'));
    await vi.advanceTimersByTimeAsync(0);
    expect(sockets.length).toBe(before + 1);
    client.disconnect();
  });

  it('stops listening to the network once disconnected', async () => {
    const { client, sockets } = await connected();
    client.disconnect();
    const before = sockets.length;
    network.dispatchEvent(new Event('offline'));
    network.dispatchEvent(new Event('online'));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(sockets.length).toBe(before);
    expect(client.state).toBe('closed');
  });
});
