import type { Group } from '@ephemeral-chat/protocol';
import { describe, expect, it } from 'vitest';
import { GroupCache } from './group-cache.js';

const group = (room: string, name = 'n'): Group => ({ room, name, createdAt: 1, members: [] });

describe('GroupCache', () => {
  it('serves a loaded group from memory until it is invalidated', async () => {
    const cache = new GroupCache();
    let loads = 0;
    const load = async () => {
      loads++;
      return group('g:1', `v${loads}`);
    };
    expect((await cache.get('g:1', load))?.name).toBe('v1');
    expect((await cache.get('g:1', load))?.name).toBe('v1');
    cache.invalidate('g:1');
    expect((await cache.get('g:1', load))?.name).toBe('v2');
    expect(loads).toBe(2);
  });

  it('does not keep a read that an invalidation overtook', async () => {
    const cache = new GroupCache();
    let release: (g: Group) => void = () => {};
    const slow = cache.get('g:1', () => new Promise<Group>((r) => (release = r)));
    cache.invalidate('g:1'); // the change committed while the read was in flight
    release(group('g:1', 'before the change'));
    expect((await slow)?.name).toBe('before the change');
    expect((await cache.get('g:1', async () => group('g:1', 'after')))?.name).toBe('after');
  });

  it('reads again after its ttl, and keeps at most maxEntries groups', async () => {
    let now = 0;
    const cache = new GroupCache({ maxEntries: 2, ttlMs: 100 }, () => now);
    await cache.get('g:1', async () => group('g:1', 'old'));
    now = 100;
    expect((await cache.get('g:1', async () => group('g:1', 'new')))?.name).toBe('new');
    await cache.get('g:2', async () => group('g:2'));
    await cache.get('g:3', async () => group('g:3'));
    expect(cache.size).toBe(2);
  });

  it('caches no missing group', async () => {
    const cache = new GroupCache();
    expect(await cache.get('g:x', async () => undefined)).toBeUndefined();
    expect(cache.size).toBe(0);
  });
});
