import { tmpdir } from 'node:os';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryBus } from '../engine/bus/memory-bus.js';
import { AppError } from '../errors/app-error.js';
import type { BlockTables } from '../stores/blocks/db-schema.js';
import { KyselyBlockStore } from '../stores/blocks/kysely-block-store.js';
import { openDatabase } from '../stores/users/create-user-store.js';
import type { UserStore } from '../stores/users/user-store.js';
import { BlockService } from './block-service.js';

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (err: unknown) => (err instanceof AppError ? err.code : String(err)),
  );

describe('BlockService', () => {
  let users: UserStore;
  let service: BlockService;
  let other: BlockService;
  let ids: string[];

  beforeEach(async () => {
    const opened = await openDatabase({ databaseUrl: 'sqlite::memory:', dataDir: tmpdir() });
    users = opened.users;
    const store = new KyselyBlockStore(opened.db.withTables<BlockTables>(), opened.dialect);
    const bus = new MemoryBus((err) => {
      throw err;
    });
    // Two "nodes" on one bus and one database: the second caches, the first changes.
    service = new BlockService(store, bus, { maxBlocks: 2 });
    other = new BlockService(store, bus, { maxBlocks: 2 });
    await Promise.all([service.start(), other.start()]);
    ids = [];
    for (const name of ['ann', 'ben', 'cat', 'dan']) {
      ids.push((await users.create({ username: name, passwordHash: 'h' })).id);
    }
  });
  afterEach(() => users.close());

  const id = (i: number) => ids[i] ?? '';

  it('maps refusals to documented errors: self and the cap validation_failed, unknown user_not_found', async () => {
    expect(await codeOf(service.block(id(0), id(0)))).toBe('validation_failed');
    expect(await codeOf(service.unblock(id(0), id(0)))).toBe('validation_failed');
    expect(await codeOf(service.block(id(0), 'nobody'))).toBe('user_not_found');
    expect(await codeOf(service.block(id(0), id(1)))).toBe('ok');
    expect(await codeOf(service.block(id(0), id(2)))).toBe('ok');
    expect(await codeOf(service.block(id(0), id(3)))).toBe('validation_failed');
    expect(await codeOf(service.block(id(0), id(1)))).toBe('ok');
    expect(await codeOf(service.unblock(id(0), 'nobody'))).toBe('ok');
  });

  it("drops another node's cached answer before block and unblock resolve", async () => {
    const changes: string[] = [];
    other.onChange((a, b) => changes.push(`${a}>${b}`));
    expect(await other.isBlocked(id(1), id(0))).toBe(false); // now cached on `other`
    await service.block(id(0), id(1));
    expect(await other.isBlocked(id(1), id(0))).toBe(true);
    expect(await codeOf(other.assertNotBlocked(id(0), id(1)))).toBe('blocked');
    await service.unblock(id(0), id(1));
    expect(await other.isBlocked(id(0), id(1))).toBe(false);
    expect(changes).toEqual([`${id(0)}>${id(1)}`, `${id(0)}>${id(1)}`]);
  });

  it('waits for the sends of the pair checked before the block, and refuses those after', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const stored: string[] = [];
    const first = service.guard(id(1), id(0), async () => {
      await gate;
      stored.push('first');
    });
    await new Promise((resolve) => setImmediate(resolve));
    let blockDone = false;
    const block = service.block(id(0), id(1)).then(() => {
      blockDone = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(blockDone).toBe(false); // still waiting for the send checked before it
    release();
    await Promise.all([first, block]);
    expect(stored).toEqual(['first']);
    const late = service.guard(id(1), id(0), async () => {
      stored.push('late');
    });
    expect(await codeOf(late)).toBe('blocked');
    expect(stored).toEqual(['first']);
  });
});
