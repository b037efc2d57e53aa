/**
 * The PostgreSQL schema, as numbered migrations recorded in `datapatch_migrations`. Invariant:
 * a migration, once released, is never edited or renumbered; new tables or columns come as a
 * new entry, so a database migrated by an older version is brought up to date, never rewritten.
 */

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'update log with per-room sequence numbers',
    // `room_sequences` is the per-room counter: the append bumps it in its own transaction, so
    // its row lock orders the appends of a room and a rolled-back append leaves no gap.
    sql: `
      CREATE TABLE room_sequences (
        room text PRIMARY KEY,
        last_seq bigint NOT NULL
      );
      CREATE TABLE updates (
        room text NOT NULL,
        seq bigint NOT NULL,
        data bytea NOT NULL,
        PRIMARY KEY (room, seq)
      );`,
  },
  {
    version: 2,
    name: 'dataset summaries',
    sql: `
      CREATE TABLE datasets (
        id text PRIMARY KEY,
        title text NOT NULL,
        description text NOT NULL,
        row_count integer NOT NULL,
        updated_at text NOT NULL
      );`,
  },
];
