import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ChatError } from './errors.js';
import { HostSession } from './host-session.js';

const user = { id: 'u1', username: 'Ada' };

describe('HostSession', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function setup(lifetimeMs = 600_000) {
    const provider = vi.fn(async () => `host-token-${provider.mock.calls.length}`);
    const exchange = vi.fn(async (_token: string) => ({
      user,
      expiresAt: Date.now() + lifetimeMs,
    }));
    return { provider, exchange, host: new HostSession(exchange) };
  }

  it('exchanges the provider token for a session', async () => {
    const { provider, exchange, host } = setup();
    const s = await host.signIn(provider);
    expect(s.user).toEqual(user);
    expect(provider).toHaveBeenCalledTimes(1);
    expect(exchange).toHaveBeenCalledWith('host-token-1');
  });

  it('calls the provider again before the session ends', async () => {
    const { provider, host } = setup(600_000);
    await host.signIn(provider);
    await vi.advanceTimersByTimeAsync(530_000);
    expect(provider).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(20_000);
    expect(provider).toHaveBeenCalledTimes(2);
    host.stop();
  });

  it('renews for a reconnect only when the session is ending or was ended', async () => {
    const { provider, host } = setup();
    await host.signIn(provider);
    expect(await host.renew()).toBe(true);
    expect(provider).toHaveBeenCalledTimes(1);
    host.stale();
    expect(await host.renew()).toBe(true);
    expect(provider).toHaveBeenCalledTimes(2);
    host.stop();
    expect(await host.renew()).toBe(false);
  });

  it('shares one exchange between concurrent sign-ins', async () => {
    const { provider, host } = setup();
    await Promise.all([host.signIn(provider), host.signIn(provider), host.renew()]);
    expect(provider).toHaveBeenCalledTimes(1);
    host.stop();
  });

  it('reports a failing or empty provider as host_token_unavailable', async () => {
    const { exchange } = setup();
    const host = new HostSession(exchange);
    await expect(host.signIn(async () => Promise.reject(new Error('no')))).rejects.toMatchObject({
      code: 'host_token_unavailable',
    });
    await expect(host.signIn(async () => '')).rejects.toBeInstanceOf(ChatError);
    expect(exchange).not.toHaveBeenCalled();
  });
});
