import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SqliteProposalStore } from './sqlite-proposal-store.ts';

/** The table as releases before the store had it: status copied to and from the document. */
const OLD_TABLE = `CREATE TABLE proposals (
  id TEXT PRIMARY KEY, dataset_id TEXT NOT NULL, idempotency_key_hash TEXT NOT NULL,
  receipt_hash TEXT NOT NULL, receipt_box TEXT NOT NULL, body TEXT NOT NULL, address_hash TEXT NOT NULL,
  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'accepted', 'partially-accepted', 'rejected', 'withdrawn')),
  revision INTEGER NOT NULL DEFAULT 1, delivered_revision INTEGER NOT NULL DEFAULT 0,
  UNIQUE (dataset_id, idempotency_key_hash)
) STRICT;
CREATE INDEX proposals_pending_by_address ON proposals (address_hash) WHERE status = 'pending';
CREATE INDEX proposals_undelivered ON proposals (dataset_id) WHERE delivered_revision < revision`;

describe('the SQLite proposal store', () => {
  it('brings an older data folder up to date: decided proposals stop counting, none is lost', async () => {
    const db = new Database(':memory:');
    db.exec(OLD_TABLE);
    const insert = db.prepare(
      `INSERT INTO proposals VALUES (?, 'toilets', ?, 'h', 'b', '{}', 'addr', 1, 2, ?, 1, 1)`,
    );
    insert.run('waiting', 'k1', 'pending');
    insert.run('refused', 'k2', 'rejected');
    insert.run('taken-back', 'k3', 'withdrawn');
    const store = new SqliteProposalStore(db);
    expect((await store.unsettledOf('addr', 10)).map((row) => row.id)).toEqual(['waiting']);
    expect(await store.get('refused')).toMatchObject({ settled_at: 2, revision: 1, delivered_revision: 1 });
    const columns = db.prepare("SELECT name FROM pragma_table_info('proposals')").all() as { name: string }[];
    expect(columns.map((column) => column.name)).not.toContain('status');
    // Opening again changes nothing.
    new SqliteProposalStore(db);
    expect(await store.get('waiting')).toMatchObject({ settled_at: null });
    await store.close();
  });
});
