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
import { AppError } from '../../errors/app-error.js';
import { type OpenedDatabase, openDatabase } from './create-user-store.js';
import type { HostIdentityTables } from './host-identity-schema.js';
import { HostIdentityStore } from './host-identity-store.js';

describe.each([
  { name: 'SQLite', postgres: false },
  { name: 'PostgreSQL', postgres: true },
])('HostIdentityStore on $name', ({ postgres }) => {
  let opened: OpenedDatabase;
  let store: HostIdentityStore;
  let cleanup: () => Promise<void>;

  beforeEach(async () => {
    if (postgres) {
      await requirePostgres();
      const pgSchema = uniqueSchemaName();
      opened = await openDatabase({ databaseUrl: testDatabaseUrl, dataDir: tmpdir(), pgSchema });
      cleanup = () => dropSchema(pgSchema);
    } else {
      const dataDir = await mkdtemp(join(tmpdir(), 'ec-host-ids-'));
      opened = await openDatabase({ dataDir });
      cleanup = () => rm(dataDir, { recursive: true, force: true });
    }
    store = new HostIdentityStore(opened.db.withTables<HostIdentityTables>(), opened.dialect);
  });
  afterEach(async () => {
    await opened.users.close();
    await cleanup();
  });

  const newUser = (username: string, subject = 'sub-1') => ({
    issuer: 'https://host.test',
    subject,
    username,
    passwordHash: 'unusable',
  });

  it('links a new account to (issuer, sub) and finds it', async () => {
    const made = await store.create(newUser('Ada'));
    expect(made?.username).toBe('Ada');
    expect(await store.find('https://host.test', 'sub-1')).toEqual(made);
    expect(await store.find('https://other.test', 'sub-1')).toBeUndefined();
    expect(await opened.users.findByUsername('ada')).toMatchObject({ id: made?.id });
  });

  it('lets exactly one of racing first logins make the account, leaving no orphan user', async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => store.create(newUser(`racer_${i}`))),
    );
    const made = results.filter((r) => r !== undefined);
    expect(made).toHaveLength(1);
    expect(await store.find('https://host.test', 'sub-1')).toEqual(made[0]);
    // The losers' user rows were rolled back with their transaction.
    const names = await opened.users.search('racer_', { limit: 50 });
    expect(names).toEqual(made);
  });

  it('throws username_taken when the name is registered already', async () => {
    await store.create(newUser('Bob', 'a'));
    await expect(store.create(newUser('BOB', 'b'))).rejects.toSatisfy(
      (e) => e instanceof AppError && e.code === 'username_taken',
    );
    expect(await store.find('https://host.test', 'b')).toBeUndefined();
  });

  it('forgets the link when the account is deleted', async () => {
    const made = await store.create(newUser('Cy'));
    await opened.users.deleteUser(made?.id ?? '');
    expect(await store.find('https://host.test', 'sub-1')).toBeUndefined();
    expect(await store.create(newUser('Cy'))).toBeDefined();
  });
});
