import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';
import type { Logger } from '../log';
import { SettingsError } from '../settings';

/**
 * Takes DATA_DIR for this server (proper-lockfile: a lock directory whose time it keeps fresh, so
 * a server killed with -9 frees it within `stale` ms). Resolves to the release; refuses with one
 * clear line when another server holds it.
 */
export async function lockDataDir(dataDir: string, log: Logger): Promise<() => Promise<void>> {
  mkdirSync(dataDir, { recursive: true });
  try {
    return await lockfile.lock(dataDir, {
      lockfilePath: join(dataDir, 'server.lock'),
      realpath: false,
      stale: 10_000,
      // The lock was taken over (a suspended laptop, a clock jump): say so rather than crash.
      onCompromised: (err) => log.warn('DATA_DIR lock lost', { dataDir, error: err }),
    });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ELOCKED') {
      throw new SettingsError(`DATA_DIR ${dataDir} is in use by another local server: stop it, or set DATA_DIR to another directory`);
    }
    throw err;
  }
}
