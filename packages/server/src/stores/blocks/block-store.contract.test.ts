import type { PublicUser } from '@ephemeral-chat/protocol';
import type { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type DatabaseBackend, databaseBackends } from '../../../test/helpers/databases.js';
import { openDatabase } from '../users/create-user-store.js';
import type { UserStore } from '../users/user-store.js';
import type { BlockStore } from './block-store.js';
import type { BlockDatabase, BlockTables } from './db-schema.js';
import { KyselyBlockStore } from './kysely-block-store.js';

type Backend = DatabaseBackend;

let counter = 0;

/** One contract for every BlockStore, on SQLite and on real PostgreSQL. */
function blockStoreContract(backend: Backend) {
  describe(`BlockStore contract: ${backend.name}`, () => {
    let cleanup: () => Promise<void>;
    let users: UserStore;
    let db: Kysely<BlockDatabase>;
    let store: BlockStore;
    let u: PublicUser[];

    beforeEach(async () => {
      const b = await backend.options();
      cleanup = b.cleanup;
      const opened = await openDatabase(b.options);
      users = opened.users;
      db = opened.db.withTables<BlockTables>();
      store = new KyselyBlockStore(db, opened.dialect);
      u = [];
      counter++;
      for (const name of ['carol', 'alice', 'bob', 'dave', 'erin']) {
        u.push(await users.create({ username: `${name}_${counter}`, passwordHash: 'h' }));
      }
    });
    afterEach(async () => {
      await users.close();
      await cleanup();
    });

    const id = (i: number) => u[i]?.id ?? '';

    it('blocks one way; the pair is blocked from both sides until unblocked', async () => {
      expect(await store.block(id(0), id(1), 1000, 10)).toEqual({ created: true });
      expect(await store.between(id(0), id(1))).toBe(true);
      expect(await store.between(id(1), id(0))).toBe(true);
      expect(await store.between(id(0), id(2))).toBe(false);
      expect(await store.unblock(id(1), id(0))).toBe(false); // not theirs to lift
      expect(await store.between(id(0), id(1))).toBe(true);
      expect(await store.unblock(id(0), id(1))).toBe(true);
      expect(await store.between(id(0), id(1))).toBe(false);
    });

    it('is idempotent: blocking twice and unblocking a non-block change nothing', async () => {
      expect(await store.block(id(0), id(1), 1000, 10)).toEqual({ created: true });
      expect(await store.block(id(0), id(1), 2000, 10)).toEqual({ created: false });
      expect(await store.listFor(id(0), 10)).toHaveLength(1);
      expect(await store.unblock(id(0), id(2))).toBe(false);
      expect(await store.unblock(id(0), id(1))).toBe(true);
      expect(await store.unblock(id(0), id(1))).toBe(false);
    });

    it('refuses oneself and unknown users', async () => {
      expect(await store.block(id(0), id(0), 1000, 10)).toEqual({ refused: 'self' });
      expect(await store.block(id(0), 'no-such-user', 1000, 10)).toEqual({
        refused: 'user_not_found',
      });
      expect(await store.listFor(id(0), 10)).toEqual([]);
    });

    it('lists the blocked users by username, bounded by the limit', async () => {
      for (const i of [1, 2, 3]) await store.block(id(0), id(i), 1000, 10);
      await store.block(id(4), id(0), 1000, 10); // the other way: not in the list
      const names = (await store.listFor(id(0), 10)).map((x) => x.username);
      expect(names).toEqual([u[1]?.username, u[2]?.username, u[3]?.username]);
      expect(await store.listFor(id(0), 2)).toHaveLength(2);
    });

    it('refuses a block past the cap, also when blocks race', async () => {
      const results = await Promise.all(
        [1, 2, 3, 4].map((i) => store.block(id(0), id(i), 1000, 2)),
      );
      expect(results.filter((r) => 'created' in r)).toHaveLength(2);
      expect(results.filter((r) => 'refused' in r && r.refused === 'too_many')).toHaveLength(2);
      expect(await store.listFor(id(0), 10)).toHaveLength(2);
      // At the cap, blocking someone already blocked is still no error.
      const kept = (await store.listFor(id(0), 10))[0]?.id ?? '';
      expect(await store.block(id(0), kept, 1000, 2)).toEqual({ created: false });
    });

    it('deletes the rows with either user', async () => {
      await store.block(id(0), id(1), 1000, 10);
      await store.block(id(2), id(0), 1000, 10);
      await db.deleteFrom('users').where('id', '=', id(0)).execute();
      const left = await db.selectFrom('blocks').selectAll().execute();
      expect(left).toEqual([]);
    });

    it('hides either side of a block from the other in user search', async () => {
      const prefix = ''; // the empty prefix matches every user
      await store.block(id(0), id(1), 1000, 10);
      const names = async (me: number) =>
        (await users.search(prefix, { excludeId: id(me), hideBlocksOf: id(me), limit: 20 }))
          .map((x) => x.id)
          .sort();
      expect(await names(0)).not.toContain(id(1));
      expect(await names(1)).not.toContain(id(0));
      expect(await names(2)).toEqual(expect.arrayContaining([id(0), id(1)]));
      await store.unblock(id(0), id(1));
      expect(await names(1)).toContain(id(0));
    });
  });
}

for (const backend of databaseBackends) blockStoreContract(backend);
