/**
 * Backup and restore of a data folder's SQLite file. Invariants: a backup is one read
 * transaction of its own connection (`VACUUM INTO`), so it is a consistent snapshot taken while
 * a server writes (WAL), never a half-written file (written aside, fsynced, then renamed); a
 * backup is marked as Data Patch's (`application_id`), and restore checks that mark, the file's
 * integrity and its tables before it replaces anything, and never touches a folder being served.
 */
import {
  closeSync,
  copyFileSync,
  existsSync,
  fsyncSync,
  openSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { lockDataFolder } from './data-folder-lock.ts';
import { DATABASE_FILE } from './sqlite-database.ts';

/** "DaPa" in the SQLite header's application id: what says a file is a Data Patch backup. */
export const BACKUP_APPLICATION_ID = 0x44615061;

/** Tables every data folder has since its first migration; a backup without them is not one. */
const REQUIRED_TABLES = ['updates', 'datasets'];

export type BackupRefusal =
  | 'no-data'
  | 'out-exists'
  | 'not-a-backup'
  | 'backup-damaged'
  | 'folder-in-use'
  | 'folder-has-data';

export class BackupError extends Error {
  readonly code: BackupRefusal;
  constructor(code: BackupRefusal, message: string) {
    super(message);
    this.code = code;
  }
}

export interface BackupSummary {
  bytes: number;
  /** Rows per table in the backup, by table name. */
  rows: Record<string, number>;
}

/** Writes a consistent copy of the folder's database to `outFile`, which must not exist. */
export function backupDataFolder(dataDir: string, outFile: string): BackupSummary {
  const source = join(dataDir, DATABASE_FILE);
  if (!existsSync(source)) throw new BackupError('no-data', `no Data Patch database in ${dataDir}`);
  if (existsSync(outFile)) throw new BackupError('out-exists', `${outFile} already exists`);
  const partial = `${outFile}.partial-${process.pid}`;
  rmSync(partial, { force: true });
  // Not openDatabase: a backup must not migrate (or otherwise write to) the folder it copies.
  const db = new Database(source, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    db.prepare('VACUUM INTO ?').run(partial);
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  } finally {
    db.close();
  }
  try {
    const copy = new Database(partial);
    try {
      copy.pragma(`application_id = ${BACKUP_APPLICATION_ID}`);
    } finally {
      copy.close();
    }
    fsyncFile(partial);
    renameSync(partial, outFile);
    fsyncFile(dirname(outFile));
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
  return { bytes: statSync(outFile).size, rows: checkBackup(outFile) };
}

/** Throws a BackupError unless `file` is an intact Data Patch backup; returns its row counts. */
export function checkBackup(file: string): Record<string, number> {
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new BackupError('not-a-backup', `${file}: ${(error as Error).message}`);
  }
  try {
    let id: number;
    try {
      id = db.pragma('application_id', { simple: true }) as number;
    } catch (error) {
      // Not a database at all ("file is not a database").
      throw new BackupError('not-a-backup', `${file}: ${(error as Error).message}`);
    }
    if (id !== BACKUP_APPLICATION_ID)
      throw new BackupError('not-a-backup', `${file} is not a backup made by "datapatch backup"`);
    const integrity = db.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok')
      throw new BackupError('backup-damaged', `${file} is damaged: ${String(integrity)}`);
    const tables = (
      db
        .prepare(
          "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
        )
        .all() as { name: string }[]
    ).map((row) => row.name);
    const missing = REQUIRED_TABLES.filter((name) => !tables.includes(name));
    if (missing.length > 0)
      throw new BackupError('backup-damaged', `${file} has no table ${missing.join(', ')}`);
    const rows: Record<string, number> = {};
    for (const table of tables.sort()) {
      rows[table] = (db.prepare(`SELECT count(*) AS n FROM "${table}"`).get() as { n: number }).n;
    }
    return rows;
  } finally {
    db.close();
  }
}

export interface RestoreOptions {
  /** Replace a folder that already holds data (its database is overwritten). */
  replace?: boolean;
}

/** Puts the backup in place as the folder's database, with the folder locked against `serve`. */
export function restoreDataFolder(
  backupFile: string,
  dataDir: string,
  options: RestoreOptions = {},
): BackupSummary {
  const rows = checkBackup(backupFile);
  const lock = lockDataFolder(dataDir);
  if (lock === null)
    throw new BackupError(
      'folder-in-use',
      `a "datapatch serve" is using ${dataDir}: stop it before restoring`,
    );
  try {
    const target = join(dataDir, DATABASE_FILE);
    if (existsSync(target) && !options.replace)
      throw new BackupError('folder-has-data', `${dataDir} already holds a Data Patch database`);
    const incoming = `${target}.restoring-${process.pid}`;
    rmSync(incoming, { force: true });
    copyFileSync(backupFile, incoming);
    const restored = new Database(incoming);
    try {
      // A live database is not a backup: only files made by `backupDataFolder` carry the mark.
      restored.pragma('application_id = 0');
    } finally {
      restored.close();
    }
    fsyncFile(incoming);
    // The old file's journal belongs to the old file: it must not be replayed into the new one.
    for (const suffix of ['-wal', '-shm']) rmSync(`${target}${suffix}`, { force: true });
    renameSync(incoming, target);
    fsyncFile(dataDir);
    return { bytes: statSync(target).size, rows };
  } finally {
    lock.release();
  }
}

function fsyncFile(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
