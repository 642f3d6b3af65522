import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { commonPasswords, weakPasswordReason } from './common-passwords.js';
import { PasswordHasher } from './password-hasher.js';
import { loadPepper } from './pepper.js';

describe('PasswordHasher', () => {
  const hasher = new PasswordHasher(Buffer.from('p'.repeat(32)), 4);

  it('verifies the password it hashed and rejects another', async () => {
    const hash = await hasher.hash('correct horse battery');
    expect(hash).toMatch(/^\$2b\$04\$/);
    expect(await hasher.verify('correct horse battery', hash)).toBe(true);
    expect(await hasher.verify('correct horse batterY', hash)).toBe(false);
  });

  it('tells apart long passwords that differ only after 72 bytes', async () => {
    const hash = await hasher.hash(`${'a'.repeat(100)}1`);
    expect(await hasher.verify(`${'a'.repeat(100)}2`, hash)).toBe(false);
  });

  it('matches the same password in composed and decomposed Unicode (NFKC)', async () => {
    const hash = await hasher.hash('caf\u00e9 au lait!');
    expect(await hasher.verify('cafe\u0301 au lait!', hash)).toBe(true);
  });

  it('depends on the pepper', async () => {
    const hash = await hasher.hash('correct horse battery');
    const other = new PasswordHasher(Buffer.from('q'.repeat(32)), 4);
    expect(await other.verify('correct horse battery', hash)).toBe(false);
  });

  it('asks for a rehash of a hash made at another cost, and of one it cannot read', async () => {
    const stronger = new PasswordHasher(Buffer.from('p'.repeat(32)), 5);
    const atFour = await hasher.hash('correct horse battery');
    expect(hasher.needsRehash(atFour)).toBe(false);
    expect(stronger.needsRehash(atFour)).toBe(true);
    expect(stronger.needsRehash(await stronger.hash('correct horse battery'))).toBe(false);
    expect(hasher.needsRehash('not a bcrypt hash')).toBe(true);
  });

  it('never matches through the dummy verification', async () => {
    expect(await hasher.verifyDummy('dummy password that never matches')).toBe(false);
  });
});

describe('common passwords', () => {
  it('bundles a few thousand entries', () => {
    expect(commonPasswords().size).toBe(5000);
  });

  it('refuses listed passwords in any case, and the username', () => {
    expect(weakPasswordReason('PassWord1', 'alice')).toMatch(/common/);
    expect(weakPasswordReason('alice_smith', 'Alice_Smith')).toMatch(/username/);
    expect(weakPasswordReason('a less common phrase', 'alice')).toBeUndefined();
  });
});

describe('loadPepper', () => {
  const dirs: string[] = [];
  afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

  it('prefers the configured pepper', async () => {
    const pepper = await loadPepper('x'.repeat(40), '/nonexistent');
    expect(pepper).toMatchObject({ source: 'config' });
  });

  it('generates a pepper file once (mode 0600) and reuses it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ec-pepper-'));
    dirs.push(dir);
    const first = await loadPepper(undefined, dir);
    expect(first.source).toBe('generated');
    expect((await stat(join(dir, 'pepper'))).mode & 0o777).toBe(0o600);
    const second = await loadPepper(undefined, dir);
    expect(second.source).toBe('file');
    expect(second.secret.equals(first.secret)).toBe(true);
    expect((await readFile(join(dir, 'pepper'), 'utf8')).trim().length).toBeGreaterThanOrEqual(32);
  });
});
