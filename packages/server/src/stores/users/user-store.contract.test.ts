import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  dropSchema,
  requirePostgres,
  testDatabaseUrl,
  uniqueSchemaName,
} from '@ephemeral-chat/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError, UnavailableError } from '../../errors/app-error.js';
import { createUserStore } from './create-user-store.js';
import { KyselyUserStore } from './kysely-user-store.js';
import { openPostgres } from './open-postgres.js';
import type { UserStore } from './user-store.js';

/** A fresh, empty database; `open` opens another store on the same one. */
interface Fixture {
  open(): Promise<UserStore>;
  cleanup(): Promise<void>;
}

interface Backend {
  name: string;
  fixture(): Promise<Fixture>;
}

const sqliteBackend: Backend = {
  name: 'SQLite',
  async fixture() {
    const dataDir = await mkdtemp(join(tmpdir(), 'ec-users-'));
    return {
      open: () => createUserStore({ dataDir }),
      cleanup: () => rm(dataDir, { recursive: true, force: true }),
    };
  },
};

let postgresReady: Promise<void> | undefined;
const postgresBackend: Backend = {
  name: 'PostgreSQL',
  async fixture() {
    // Fails every test with the reason when PostgreSQL is down, rather than skipping them.
    postgresReady ??= requirePostgres();
    await postgresReady;
    const pgSchema = uniqueSchemaName();
    return {
      open: () => createUserStore({ databaseUrl: testDatabaseUrl, dataDir: tmpdir(), pgSchema }),
      cleanup: () => dropSchema(pgSchema),
    };
  },
};

const hash = 'bcrypt-hash-placeholder';

/** One contract for every UserStore: what accounts must do, whatever database keeps them. */
function userStoreContract(backend: Backend) {
  describe(`UserStore contract: ${backend.name}`, () => {
    let fixture: Fixture | undefined;
    let store: UserStore;
    const opened: UserStore[] = [];
    const open = async () => {
      if (!fixture) throw new Error('no fixture');
      const s = await fixture.open();
      opened.push(s);
      return s;
    };
    const add = (username: string) => store.create({ username, passwordHash: hash });

    beforeEach(async () => {
      fixture = await backend.fixture();
      store = await open();
    });
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((s) => s.close()));
      await fixture?.cleanup();
      fixture = undefined;
    });

    it('creates a user and finds it by id and by username in any case', async () => {
      const user = await add('Alice_1');
      expect(await store.findById(user.id)).toEqual(user);
      for (const name of ['Alice_1', 'alice_1', 'ALICE_1']) {
        expect(await store.findByUsername(name)).toMatchObject(user);
      }
    });

    it('keeps the username in the case it was typed', async () => {
      const user = await add('MiXeD');
      expect(user.username).toBe('MiXeD');
      expect((await store.findByUsername('mixed'))?.username).toBe('MiXeD');
      expect((await store.findById(user.id))?.username).toBe('MiXeD');
    });

    it('returns the password hash and creation time with a lookup by username', async () => {
      const before = Date.now();
      await add('bob');
      const record = await store.findByUsername('BOB');
      expect(record?.passwordHash).toBe(hash);
      expect(record?.createdAt).toBeInstanceOf(Date);
      expect(record?.createdAt.getTime()).toBeGreaterThanOrEqual(before);
      expect(record?.createdAt.getTime()).toBeLessThanOrEqual(Date.now());
    });

    it('replaces a password hash only while it is still the one read (compare and set)', async () => {
      const user = await add('carol');
      const rehashed = `${hash}-rehashed`;
      expect(await store.replacePasswordHash(user.id, hash, rehashed)).toBe(true);
      expect((await store.findByUsername('carol'))?.passwordHash).toBe(rehashed);
      // A writer that read the old hash loses: the newer one stays.
      expect(await store.replacePasswordHash(user.id, hash, `${hash}-stale`)).toBe(false);
      expect((await store.findByUsername('carol'))?.passwordHash).toBe(rehashed);
      expect(await store.replacePasswordHash('no-such-id', hash, rehashed)).toBe(false);
    });

    it('rejects a username taken in another case with username_taken', async () => {
      await add('carol');
      const err = await add('CaRoL').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AppError);
      expect(err).toMatchObject({ code: 'username_taken', message: 'That username is taken.' });
    });

    it('lets exactly one of two racing registrations for a name win', async () => {
      const results = await Promise.allSettled([add('dave'), add('DAVE')]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    });

    it('finds several users by username in any case, leaving unknown names out', async () => {
      const a = await add('Gina');
      const b = await add('hank');
      const found = await store.findByUsernames(['gina', 'HANK', 'nobody', 'Gina']);
      expect(found.sort((x, y) => byLower(x.username, y.username))).toEqual([a, b]);
      expect(await store.findByUsernames([])).toEqual([]);
    });

    it('returns undefined for an unknown id or username', async () => {
      expect(await store.findById('00000000-0000-0000-0000-000000000000')).toBeUndefined();
      expect(await store.findByUsername('nobody')).toBeUndefined();
    });

    it('searches by case-insensitive prefix, ordered by username', async () => {
      for (const name of ['Anna', 'andy', 'ANT', 'bert', 'xan']) await add(name);
      const found = await store.search('AN', { limit: 10 });
      expect(found.map((u) => u.username)).toEqual(['Anna', 'ANT', 'andy'].sort(byLower));
    });

    it('leaves the caller out of search results', async () => {
      const me = await add('sam');
      await add('sammy');
      const found = await store.search('sam', { excludeId: me.id, limit: 10 });
      expect(found.map((u) => u.username)).toEqual(['sammy']);
    });

    it('returns at most the limit, the first by username (20 of 25)', async () => {
      const names = Array.from({ length: 25 }, (_, i) => `user${String(24 - i).padStart(2, '0')}`);
      for (const name of names) await add(name);
      const found = await store.search('user', { limit: 20 });
      expect(found.map((u) => u.username)).toEqual(names.sort().slice(0, 20));
    });

    it('matches _ in a search prefix literally, not as a wildcard', async () => {
      await add('abc');
      await add('a_b');
      expect((await store.search('a_', { limit: 10 })).map((u) => u.username)).toEqual(['a_b']);
    });

    it('matches % and \\ in a search prefix literally', async () => {
      await add('abc');
      expect(await store.search('a%', { limit: 10 })).toEqual([]);
      expect(await store.search('%', { limit: 10 })).toEqual([]);
      expect(await store.search('a\\', { limit: 10 })).toEqual([]);
    });

    it('suspends and unsuspends a user; an unknown id is never suspended', async () => {
      const user = await add('susan');
      expect(await store.isSuspended(user.id)).toBe(false);
      expect(await store.setSuspended(user.id, true)).toBe(true);
      expect(await store.isSuspended(user.id)).toBe(true);
      expect(await store.setSuspended(user.id, false)).toBe(true);
      expect(await store.isSuspended(user.id)).toBe(false);
      expect(await store.setSuspended('no-such-id', true)).toBe(false);
      expect(await store.isSuspended('no-such-id')).toBe(false);
    });

    it('deletes a user for good: no lookup finds them and their name is free again', async () => {
      const user = await add('dora');
      expect(await store.deleteUser(user.id)).toBe(true);
      expect(await store.findById(user.id)).toBeUndefined();
      expect(await store.findByUsername('dora')).toBeUndefined();
      expect(await store.deleteUser(user.id)).toBe(false);
      const again = await add('DORA');
      expect(again.id).not.toBe(user.id);
    });

    it('answers a ping', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });

    it('opens the same database again without re-running its migrations', async () => {
      const user = await add('erin');
      const again = await open();
      expect(await again.findByUsername('ERIN')).toMatchObject(user);
      expect(again.dialect).toBe(store.dialect);
    });
  });
}

userStoreContract(sqliteBackend);
userStoreContract(postgresBackend);

function byLower(a: string, b: string): number {
  return a.toLowerCase() < b.toLowerCase() ? -1 : 1;
}

describe('createUserStore on PostgreSQL outages', () => {
  const closedPort = 'postgres://postgres@127.0.0.1:1/test';

  it('fails start-up within seconds, naming the database, when PostgreSQL is not listening', async () => {
    const started = Date.now();
    await expect(createUserStore({ databaseUrl: closedPort, dataDir: tmpdir() })).rejects.toThrow(
      /Cannot open the users database \(PostgreSQL at postgres:\/\/postgres@127\.0\.0\.1:1\/test.*ECONNREFUSED/,
    );
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('reports a database it cannot reach as UnavailableError', async () => {
    const db = openPostgres({ url: closedPort, schema: 'public', onIdleError: () => {} });
    const store = new KyselyUserStore(db, 'postgres');
    try {
      await expect(store.ping()).rejects.toBeInstanceOf(UnavailableError);
      await expect(store.findById('x')).rejects.toMatchObject({ code: 'unavailable' });
    } finally {
      await store.close();
    }
  });

  it('refuses a schema name that is not a plain identifier', async () => {
    await expect(
      createUserStore({ databaseUrl: testDatabaseUrl, dataDir: tmpdir(), pgSchema: 'x; drop' }),
    ).rejects.toThrow(/not a plain lowercase identifier/);
  });
});

describe('createUserStore database URLs', () => {
  it('runs SQLite in memory for sqlite::memory:', async () => {
    const store = await createUserStore({ databaseUrl: 'sqlite::memory:', dataDir: tmpdir() });
    expect(store.dialect).toBe('sqlite');
    await store.close();
  });

  it('opens a SQLite file at a sqlite: path, creating its directory', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ec-users-'));
    try {
      const databaseUrl = `sqlite:${join(dir, 'nested', 'users.db')}`;
      const store = await createUserStore({ databaseUrl, dataDir: dir });
      await store.create({ username: 'fred', passwordHash: hash });
      await store.close();
      const again = await createUserStore({ databaseUrl, dataDir: dir });
      expect(await again.findByUsername('fred')).toBeDefined();
      await again.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('rejects a DATABASE_URL of an unknown kind, saying which are supported', async () => {
    await expect(
      createUserStore({ databaseUrl: 'mysql://root@localhost/db', dataDir: tmpdir() }),
    ).rejects.toThrow(/"mysql:" is not supported: use postgres/);
  });
});
