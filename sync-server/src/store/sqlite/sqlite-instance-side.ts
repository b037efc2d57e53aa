/**
 * A data folder as one side of `datapatch store copy`. Invariants: a source reads in one
 * deferred transaction (a WAL snapshot, consistent while a server writes); a target holds the
 * folder's `serve.lock` (no server starts on it meanwhile, and a served folder is refused) and
 * writes in one IMMEDIATE transaction; tables come from `sqlite_master`.
 */
import type { Cell, LoggedUpdate, Row, TableShape, WritableInstanceSide } from '../copy/instance-tables.ts';
import { lockDataFolder } from './data-folder-lock.ts';
import { migrateAccessTables } from './sqlite-access-tables.ts';
import { openDatabase, type SqliteDatabase } from './sqlite-database.ts';
import { migrateProposals } from './sqlite-proposal-store.ts';
import { migrateWebhooks } from './sqlite-webhook-store.ts';

/** Not content: SQLite's own tables and the update log (copied room by room). */
const NOT_COPIED = new Set(['updates']);
const BATCH = 1000;

export class DataFolderInUseError extends Error {
  readonly code = 'data-folder-in-use';
}

export function openSqliteSide(dataDir: string, mode: 'read' | 'write'): WritableInstanceSide {
  const lock = mode === 'write' ? lockDataFolder(dataDir) : null;
  if (mode === 'write' && lock === null)
    throw new DataFolderInUseError(`a "datapatch serve" is using ${dataDir}: stop it before copying into it`);
  const db = openDatabase(dataDir);
  try {
    // A target gets every table the server creates at start, so a fresh folder can take them all.
    if (mode === 'write') {
      migrateAccessTables(db);
      migrateProposals(db);
      migrateWebhooks(db);
    }
    // Foreign keys stay checked: tables are written parents first, and cleared children first.
    db.pragma('foreign_keys = ON');
    db.exec(mode === 'write' ? 'BEGIN IMMEDIATE' : 'BEGIN');
    // A deferred transaction takes its snapshot at its first read: take it now.
    db.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (error) {
    db.close();
    lock?.release();
    throw error;
  }
  const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;
  const inserts = new Map<string, ReturnType<SqliteDatabase['prepare']>>();

  return {
    description: dataDir,
    sequence: 'global',
    async tables() {
      const names = db
        .prepare(
          "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
        )
        .all() as { name: string }[];
      return names
        .filter(({ name }) => !NOT_COPIED.has(name))
        .map(({ name }): TableShape => {
          const columns = (db.prepare(`PRAGMA table_info(${quote(name)})`).all() as { name: string }[]).map(
            (column) => column.name,
          );
          const references = (
            db.prepare(`PRAGMA foreign_key_list(${quote(name)})`).all() as { table: string }[]
          ).map((key) => key.table);
          return { name, columns, references: [...new Set(references)] };
        });
    },
    async *rows(table, columns) {
      const select = db.prepare(`SELECT ${columns.map(quote).join(', ')} FROM ${quote(table)}`);
      let batch: Row[] = [];
      for (const row of select.iterate() as Iterable<Row>) {
        batch.push(row);
        if (batch.length === BATCH) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length > 0) yield batch;
    },
    async count(table) {
      return (db.prepare(`SELECT count(*) AS n FROM ${quote(table)}`).get() as { n: number }).n;
    },
    async rooms() {
      return (db.prepare('SELECT DISTINCT room FROM updates ORDER BY room').all() as { room: string }[]).map(
        (row) => row.room,
      );
    },
    async roomLog(room) {
      return (
        db.prepare('SELECT seq, data FROM updates WHERE room = ? ORDER BY seq').all(room) as {
          seq: number;
          data: Buffer;
        }[]
      ).map((row) => ({ seq: row.seq, data: new Uint8Array(row.data) }));
    },
    async insert(table, columns, rows) {
      const key = `${table}\u0000${columns.join('\u0000')}`;
      let insert = inserts.get(key);
      if (!insert) {
        insert = db.prepare(
          `INSERT INTO ${quote(table)} (${columns.map(quote).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
        );
        inserts.set(key, insert);
      }
      for (const row of rows) insert.run(columns.map((column) => storable(row[column] ?? null)));
    },
    async appendRoomLog(room, updates: readonly LoggedUpdate[], keepSeqs) {
      const insert = keepSeqs
        ? db.prepare('INSERT INTO updates (seq, room, data) VALUES (?, ?, ?)')
        : db.prepare('INSERT INTO updates (room, data) VALUES (?, ?)');
      for (const update of updates) {
        if (keepSeqs) insert.run(update.seq, room, update.data);
        else insert.run(room, update.data);
      }
    },
    async clear(tables) {
      for (const table of tables) db.prepare(`DELETE FROM ${quote(table)}`).run();
      db.prepare('DELETE FROM updates').run();
    },
    async settle() {
      // AUTOINCREMENT counters (sqlite_sequence) already follow the highest id inserted.
    },
    async finish(commit) {
      try {
        if (db.inTransaction) db.exec(commit ? 'COMMIT' : 'ROLLBACK');
      } finally {
        db.close();
        lock?.release();
      }
    },
  };
}

/** What better-sqlite3 can bind: booleans as 0/1, dates as ISO text, JSON values as text. */
function storable(cell: Cell): string | number | bigint | null | Uint8Array {
  if (cell === null || typeof cell === 'string' || typeof cell === 'number' || typeof cell === 'bigint')
    return cell;
  if (typeof cell === 'boolean') return cell ? 1 : 0;
  if (cell instanceof Uint8Array) return cell;
  if (cell instanceof Date) return cell.toISOString();
  return JSON.stringify(cell);
}
