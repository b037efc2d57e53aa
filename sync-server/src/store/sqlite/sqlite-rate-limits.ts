/**
 * Sign-in limits kept in the data folder's SQLite file: rate-limiter-flexible's RateLimiterSQLite
 * on the folder's handle, so a slowed pair stays slowed across a restart. Invariant: the table
 * exists before the first call (made here), so concurrent first calls never race to create it.
 */
import { RateLimiterSQLite } from 'rate-limiter-flexible';
import type { LimiterStore } from '../../access/rate-limits.ts';
import type { SqliteDatabase } from './sqlite-database.ts';

const TABLE = 'rate_limits';

export function sqliteLimiterStore(db: SqliteDatabase): LimiterStore {
  db.exec(`CREATE TABLE IF NOT EXISTS ${TABLE} (
    key TEXT PRIMARY KEY,
    points INTEGER NOT NULL DEFAULT 0,
    expire INTEGER
  )`);
  return {
    kind: 'shared',
    create: (options) =>
      new RateLimiterSQLite({
        ...options,
        storeClient: db,
        storeType: 'better-sqlite3',
        tableName: TABLE,
        tableCreated: true,
        clearExpiredByTimeout: true,
      }),
  };
}

/** The keys the limits hold (tests check no clear email or address is among them). */
export function sqliteLimiterKeys(db: SqliteDatabase): string[] {
  return (db.prepare(`SELECT key FROM ${TABLE}`).all() as { key: string }[]).map((row) => row.key);
}
