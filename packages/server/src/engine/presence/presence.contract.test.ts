import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineFactories } from '../../../test/helpers/engines.js';
import type { Engine } from '../engine.js';

const engines = engineFactories;

const user = () => `u${randomUUID().slice(0, 8)}`;

describe.each(engines)('Presence contract: %s', (_name, open) => {
  let engine: Engine;
  let dispose: () => Promise<void>;
  beforeAll(async () => {
    ({ engine, dispose } = await open());
  });
  afterAll(() => dispose());

  const t0 = Date.now();
  const TTL = 60_000;

  it('reports coming online only for the first node, going offline only for the last', async () => {
    const u = user();
    expect(await engine.presence.markOnline(u, 'node-a', TTL, t0)).toBe(true);
    expect(await engine.presence.markOnline(u, 'node-b', TTL, t0)).toBe(false);
    expect(await engine.presence.markOnline(u, 'node-a', TTL, t0 + 1)).toBe(false);
    expect(await engine.presence.onlineUsers([u], t0 + 1)).toEqual(new Set([u]));

    expect(await engine.presence.markOffline(u, 'node-a', t0 + 2)).toBe(false);
    expect(await engine.presence.onlineUsers([u], t0 + 2)).toEqual(new Set([u]));
    expect(await engine.presence.markOffline(u, 'node-b', t0 + 3)).toBe(true);
    expect(await engine.presence.onlineUsers([u], t0 + 3)).toEqual(new Set());
  });

  it("lets a node's mark lapse after its TTL when the node never says goodbye", async () => {
    const u = user();
    await engine.presence.markOnline(u, 'crashed', 1_000, t0);
    expect(await engine.presence.onlineUsers([u], t0 + 999)).toEqual(new Set([u]));
    expect(await engine.presence.onlineUsers([u], t0 + 1_000)).toEqual(new Set());
    // Coming back after the lapse counts as coming online.
    expect(await engine.presence.markOnline(u, 'node-a', TTL, t0 + 1_000)).toBe(true);
  });

  it("reports offline when the last live node leaves and the others' marks have lapsed", async () => {
    const u = user();
    await engine.presence.markOnline(u, 'crashed', 1_000, t0);
    await engine.presence.markOnline(u, 'node-a', TTL, t0 + 10);
    expect(await engine.presence.markOffline(u, 'node-a', t0 + 2_000)).toBe(true);
  });

  it('keeps a renewed mark alive past its first TTL', async () => {
    const [u, v] = [user(), user()];
    await engine.presence.markOnline(u, 'node-a', 1_000, t0);
    await engine.presence.markOnline(v, 'node-a', 1_000, t0);
    await engine.presence.refreshOnline([u], 'node-a', 1_000, t0 + 800);
    expect(await engine.presence.onlineUsers([u, v], t0 + 1_500)).toEqual(new Set([u]));
    expect(await engine.presence.onlineUsers([u, v], t0 + 1_800)).toEqual(new Set());
  });

  it('answers which of several users are online', async () => {
    const [on1, on2, off] = [user(), user(), user()];
    await engine.presence.markOnline(on1, 'node-a', TTL, t0);
    await engine.presence.markOnline(on2, 'node-b', TTL, t0);
    expect(await engine.presence.onlineUsers([on1, off, on2], t0)).toEqual(new Set([on1, on2]));
    expect(await engine.presence.onlineUsers([], t0)).toEqual(new Set());
  });

  it('treats markOffline of a user who was never online as offline', async () => {
    expect(await engine.presence.markOffline(user(), 'node-a', t0)).toBe(true);
  });
});
