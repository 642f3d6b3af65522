import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface Pepper {
  secret: Buffer;
  source: 'config' | 'generated' | 'file';
  path?: string;
}

/**
 * The server-side secret mixed into every password hash. From PASSWORD_PEPPER when set;
 * otherwise generated once into `<dataDir>/pepper` (mode 0600) so the embedded default needs no
 * setup. Several nodes on one database must share one pepper: set PASSWORD_PEPPER for them.
 */
export async function loadPepper(configured: string | undefined, dataDir: string): Promise<Pepper> {
  if (configured) return { secret: Buffer.from(configured, 'utf8'), source: 'config' };
  const path = join(dataDir, 'pepper');
  try {
    const stored = (await readFile(path, 'utf8')).trim();
    if (stored.length >= 32) return { secret: Buffer.from(stored, 'utf8'), source: 'file', path };
    throw new Error(`The pepper file ${path} is too short; restore it or set PASSWORD_PEPPER.`);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  await mkdir(dataDir, { recursive: true });
  const fresh = randomBytes(32).toString('base64url');
  // 'wx' fails if another process created it meanwhile: then read theirs.
  try {
    await writeFile(path, `${fresh}\n`, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return loadPepper(undefined, dataDir);
    throw err;
  }
  return { secret: Buffer.from(fresh, 'utf8'), source: 'generated', path };
}
