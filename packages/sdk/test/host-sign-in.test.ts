import { startTestServer } from '@ephemeral-chat/testkit';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type ConnectionState, createClient } from '../src/index.js';

const secret = 'sdk host-sign-in test secret, 32+ bytes';
const env = {
  HOST_JWT_SECRET: secret,
  HOST_JWT_ISSUER: 'https://site.test',
  HOST_JWT_AUDIENCE: 'chat',
};

function signer(sub: string, lifetimeS: number) {
  const calls: number[] = [];
  const provider = async () => {
    calls.push(Date.now());
    return new SignJWT({ preferred_username: `site_${sub}`.slice(0, 32) })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(sub)
      .setIssuer('https://site.test')
      .setAudience('chat')
      .setExpirationTime(Math.floor(Date.now() / 1000) + lifetimeS)
      .sign(new TextEncoder().encode(secret));
  };
  return { provider, calls };
}

describe('SDK sign-in with the host identity', () => {
  it('signs in with a host token and keeps the connection past the end of the first session', async () => {
    await using server = await startTestServer({ env });
    const sub = `s${process.pid}${Date.now() % 100_000}`;
    // A 4 s token: its session ends while the client is connected.
    const { provider, calls } = signer(sub, 4);
    const client = createClient({ url: server.url, WebSocket, hostToken: provider });
    const session = await client.signInWithHost();
    expect(session.user.username).toBe(`site_${sub}`.slice(0, 32));
    const states: ConnectionState[] = [];
    client.on('state', (s) => states.push(s));
    await client.connect();
    expect(client.user?.id).toBe(session.user.id);
    // The provider is asked again before (or as) the session ends, and the client reconnects.
    await expect.poll(() => calls.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    await expect
      .poll(() => states.filter((s) => s === 'open').length, { timeout: 10_000 })
      .toBeGreaterThanOrEqual(2);
    expect(states).not.toContain('unauthorized');
    expect(client.state).toBe('open');
    expect(client.user?.id).toBe(session.user.id);
    client.disconnect();
  }, 20_000);

  it('rejects with host_token_unavailable when the provider fails', async () => {
    await using server = await startTestServer({ env });
    const client = createClient({
      url: server.url,
      WebSocket,
      hostToken: async () => {
        throw new Error('not signed in at the site');
      },
    });
    await expect(client.signInWithHost()).rejects.toMatchObject({ code: 'host_token_unavailable' });
  });
});
