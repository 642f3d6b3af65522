import { ChatError } from '@ephemeral-chat/sdk';
import { describe, expect, it, vi } from 'vitest';
import { signInWithHost } from './host-sign-in.js';

const user = { id: 'u1', username: 'Ada' };

describe('signInWithHost', () => {
  it('does nothing without a provider', async () => {
    const client = { signInWithHost: vi.fn() };
    expect(await signInWithHost(client, undefined, vi.fn())).toBe(false);
    expect(client.signInWithHost).not.toHaveBeenCalled();
  });

  it('enters the user the host token names', async () => {
    const client = { signInWithHost: vi.fn(async () => ({ user, expiresAt: 1 })) };
    const enter = vi.fn(async () => {});
    expect(await signInWithHost(client, async () => 'jwt', enter)).toBe(true);
    expect(enter).toHaveBeenCalledWith(user);
  });

  it('falls back to the usual sign-in when the provider has no token', async () => {
    const unavailable = new ChatError('host_token_unavailable', 'no token');
    const client = { signInWithHost: vi.fn(async () => Promise.reject(unavailable)) };
    expect(await signInWithHost(client, async () => '', vi.fn())).toBe(false);
  });

  it('passes a refused host token on', async () => {
    const refused = new ChatError('host_token_expired', 'expired');
    const client = { signInWithHost: vi.fn(async () => Promise.reject(refused)) };
    await expect(signInWithHost(client, async () => 'jwt', vi.fn())).rejects.toBe(refused);
  });
});
