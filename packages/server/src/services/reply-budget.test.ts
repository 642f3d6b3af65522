import { limits } from '@ephemeral-chat/protocol';
import { describe, expect, it } from 'vitest';
import { MemoryEngine } from '../engine/memory-engine.js';
import { ChatService } from './chat-service.js';
import { ReplyBudget } from './reply-budget.js';
import type { UserDirectory } from './user-directory.js';

/** A read that stays in flight until released. */
function held() {
  let release = () => {};
  const done = new Promise<string>((resolve) => {
    release = () => resolve('read');
  });
  return { read: () => done, release };
}

describe('ReplyBudget', () => {
  it('refuses a read past the node budget with rate_limited and retryAfter, and frees it when done', async () => {
    const budget = new ReplyBudget(100);
    const first = held();
    const running = budget.run(60, first.read);
    expect(budget.inFlight).toBe(60);
    await expect(budget.run(60, async () => 'second')).rejects.toMatchObject({
      code: 'rate_limited',
      retryAfter: 1,
    });
    expect(await budget.run(40, async () => 'fits')).toBe('fits');
    first.release();
    expect(await running).toBe('read');
    expect(budget.inFlight).toBe(0);
    expect(await budget.run(60, async () => 'again')).toBe('again');
  });

  it('always lets one read run, even one larger than the whole budget', async () => {
    const budget = new ReplyBudget(10);
    expect(await budget.run(1000, async () => 'alone')).toBe('alone');
  });

  it('frees the bytes of a read that fails', async () => {
    const budget = new ReplyBudget(100);
    await expect(budget.run(80, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(budget.inFlight).toBe(0);
  });
});

describe('ChatService reply cap', () => {
  const directory = {} as UserDirectory;

  it('caps a reply at limits.replyMaxBytes, and at a quarter of a smaller send buffer', async () => {
    const engine = new MemoryEngine();
    expect(
      new ChatService(engine.messages, engine.presence, engine.bus, directory).replyMaxBytes,
    ).toBe(limits.replyMaxBytes);
    const small = new ChatService(
      engine.messages,
      engine.presence,
      engine.bus,
      directory,
      Date.now,
      { maxBackpressureBytes: 64 * 1024 },
    );
    expect(small.replyMaxBytes).toBe(16 * 1024);
    await engine.close();
  });
});
