/**
 * One `serve` per data folder: the server holds an exclusive SQLite lock on `serve.lock` for
 * as long as it runs. Invariant: a second server on the folder is refused before it opens
 * anything; the lock is the operating system's, so it disappears with the process, even after
 * `kill -9` (no stale lock file to clean). `datapatch import` and the like do not take it.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

export const LOCK_FILE = 'serve.lock';

export interface DataFolderLock {
  release(): void;
}

/** Takes the folder's lock; null when another process holds it. */
export function lockDataFolder(dataDir: string): DataFolderLock | null {
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(join(dataDir, LOCK_FILE));
  try {
    db.pragma('busy_timeout = 0');
    // EXCLUSIVE locking mode keeps the lock of the first write transaction until close.
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('CREATE TABLE IF NOT EXISTS held (pid INTEGER)');
    db.exec('BEGIN EXCLUSIVE');
  } catch (error) {
    db.close();
    if ((error as { code?: string }).code?.startsWith('SQLITE_BUSY')) return null;
    throw error;
  }
  return {
    release() {
      if (!db.open) return;
      db.exec('ROLLBACK');
      db.close();
    },
  };
}
