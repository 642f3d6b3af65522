import { describe, expect, it } from 'vitest';
import { roomFor } from '../../src/services/rooms.js';
import { fuzzConfig } from './fuzz-config.js';
import { startFuzzServer } from './server-process.js';
import { openSocket, register, runWsFuzz } from './ws-runner.js';

/** The fuzz servers raise the rate limits; with the defaults, a flood is answered `rate_limited`. */
describe.each([
  { engine: 'MemoryEngine', redis: false },
  { engine: 'RedisEngine', redis: true },
])('fuzzing under the default rate limits with $engine', ({ redis }) => {
  it('answers a flood with rate_limited and retryAfter, and keeps serving', async () => {
    const server = await startFuzzServer(redis, {});
    try {
      const [a, b] = await Promise.all([
        register(server.url, 'ratea'),
        register(server.url, 'rateb'),
      ]);
      if (!a || !b) throw new Error('register');
      const socket = await openSocket(server.url, a);
      const room = roomFor(a.id, b.id);
      const n = 300;
      for (let id = 1; id <= n; id++) {
        const frame =
          id % 5 === 0
            ? { type: 'send', id, room, text: `flood ${id}`, ttl: 10_000, clientMsgId: `f-${id}` }
            : { type: 'ping', id };
        socket.send(JSON.stringify(frame), false);
      }
      const answered = () => socket.frames.filter((f) => 'id' in f && f.id !== 0).length >= n;
      expect(await socket.until(answered, 10_000)).toBe(true);
      const limited = socket.frames.filter(
        (f) => f.type === 'error' && f.error.code === 'rate_limited',
      );
      expect(limited.length).toBeGreaterThan(0);
      for (const f of socket.frames) {
        if (f.type === 'error')
          expect(f.error).toMatchObject({ code: 'rate_limited', retryAfter: expect.any(Number) });
        else expect(['pong', 'ack', 'message']).toContain(f.type);
      }
      expect(socket.malformed).toEqual([]);
      expect(server.exited()).toBeUndefined();
      socket.close();
    } finally {
      await server.close();
    }
  });

  it('answers fuzzed frames as documented under the default limits', async () => {
    const report = await runWsFuzz({ redis, ...fuzzConfig, frames: 400, env: {} });
    console.log(report.summary('ws'));
    expect([...report.failures.keys()]).toEqual([]);
  }, 60_000);
});
