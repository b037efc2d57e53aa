/**
 * Opens the instance's SQLite database in the data folder (WAL, fsync on every commit) and
 * brings its tables up to date. Invariant: migrations only ever add; `user_version` records
 * the last one applied, so reopening an existing folder never rewrites data.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

export type SqliteDatabase = Database.Database;

export const DATABASE_FILE = 'datapatch.sqlite';

const MIGRATIONS: readonly string[] = [
  `CREATE TABLE updates (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     room TEXT NOT NULL,
     data BLOB NOT NULL
   );
   CREATE INDEX updates_by_room ON updates (room, seq);
   CREATE TABLE datasets (
     id TEXT PRIMARY KEY,
     title TEXT NOT NULL,
     description TEXT NOT NULL,
     row_count INTEGER NOT NULL,
     updated_at TEXT NOT NULL
   );`,
];

export function openDatabase(dataDir: string): SqliteDatabase {
  return openAndMigrate(dataDir).db;
}

/** Opens the folder's database and says which migrations (by number, from 1) this open applied. */
export function openAndMigrate(dataDir: string): { db: SqliteDatabase; applied: number[] } {
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(join(dataDir, DATABASE_FILE));
  db.pragma('journal_mode = WAL');
  // FULL: a commit is fsynced before it returns, so "appended" means "survives a power cut".
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  const version = db.pragma('user_version', { simple: true }) as number;
  const applied: number[] = [];
  for (let i = version; i < MIGRATIONS.length; i++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[i]!);
      db.pragma(`user_version = ${i + 1}`);
    })();
    applied.push(i + 1);
  }
  return { db, applied };
}

/** An empty database in memory, with no table: for tests that bring their own. */
export function openMemoryDatabase(): SqliteDatabase {
  return new Database(':memory:');
}
