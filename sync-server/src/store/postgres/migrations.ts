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
  // 30–49: anonymous proposals (postgres-proposal-store.ts); same tables and columns as the
  // data folder's, so `datapatch store copy` moves them as they are.
  {
    version: 30,
    name: 'anonymous proposals',
    sql: `
      CREATE TABLE proposals (
        id text PRIMARY KEY,
        dataset_id text NOT NULL,
        idempotency_key_hash text NOT NULL,
        receipt_hash text NOT NULL,
        receipt_box text NOT NULL,
        body text NOT NULL,
        address_hash text NOT NULL,
        created_at bigint NOT NULL,
        updated_at bigint NOT NULL,
        revision integer NOT NULL DEFAULT 1,
        delivered_revision integer NOT NULL DEFAULT 0,
        settled_at bigint,
        UNIQUE (dataset_id, idempotency_key_hash)
      );
      CREATE INDEX proposals_unsettled_by_address ON proposals (address_hash) WHERE settled_at IS NULL;
      CREATE INDEX proposals_undelivered ON proposals (dataset_id) WHERE delivered_revision < revision;`,
  },
];
