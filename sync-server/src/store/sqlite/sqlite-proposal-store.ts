/**
 * ProposalStore in the data folder's SQLite file (table `proposals`). One process owns the file
 * (the data folder's lock), so a transaction is exclusive and the cap and keys are exact.
 * Invariants: each intake batch is one IMMEDIATE transaction (one fsync), each proposal in its
 * own savepoint; delivery marks need no fsync of their own (every open delivers again whatever
 * a crash left unmarked, idempotently) and ride along with the next commit.
 */

import { DeliveryQueue } from '../delivery-queue.ts';
import type { IntakeOutcome, ProposalRecord, ProposalStore, WriteToPending } from '../proposal-store.ts';
import type { SqliteDatabase } from './sqlite-database.ts';

const COLUMNS = `id, dataset_id, idempotency_key_hash, receipt_hash, receipt_box, body, address_hash,
  created_at, updated_at, revision, delivered_revision, settled_at`;

/**
 * Creates `proposals`, or brings an older one up to date: the `status` column it had (copied
 * to and from the pending document) becomes `settled_at`, set for proposals that were no longer
 * pending. Safe to run at every open.
 */
export function migrateProposals(db: SqliteDatabase): void {
  db.transaction(() => {
    db.exec(`CREATE TABLE IF NOT EXISTS proposals (
      id TEXT PRIMARY KEY,
      dataset_id TEXT NOT NULL,
      idempotency_key_hash TEXT NOT NULL,
      receipt_hash TEXT NOT NULL,
      receipt_box TEXT NOT NULL,
      body TEXT NOT NULL,
      address_hash TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL,
      revision INTEGER NOT NULL DEFAULT 1,
      delivered_revision INTEGER NOT NULL DEFAULT 0,
      settled_at INTEGER,
      UNIQUE (dataset_id, idempotency_key_hash)
    ) STRICT`);
    const columns = db.prepare('SELECT name FROM pragma_table_info(?)').all('proposals') as {
      name: string;
    }[];
    const names = new Set(columns.map((column) => column.name));
    if (!names.has('settled_at')) {
      db.exec('ALTER TABLE proposals ADD COLUMN settled_at INTEGER');
      if (names.has('status'))
        db.exec("UPDATE proposals SET settled_at = updated_at WHERE status <> 'pending'");
    }
    if (names.has('status')) {
      db.exec('DROP INDEX IF EXISTS proposals_pending_by_address');
      db.exec('ALTER TABLE proposals DROP COLUMN status');
    }
    db.exec(`CREATE INDEX IF NOT EXISTS proposals_unsettled_by_address ON proposals (address_hash)
               WHERE settled_at IS NULL;
             CREATE INDEX IF NOT EXISTS proposals_undelivered ON proposals (dataset_id)
               WHERE delivered_revision < revision`);
  })();
}

export class SqliteProposalStore implements ProposalStore {
  readonly #db: SqliteDatabase;
  readonly #statements;
  /** Revisions delivered but not yet recorded, by id (written with the next commit). */
  #marks = new Map<string, number>();
  #marksTimer: ReturnType<typeof setTimeout> | null = null;
  readonly #marksDelayMs: number;
  /** One delivery per dataset at a time in this process, later calls coalesced into the next. */
  readonly #deliveries = new DeliveryQueue();

  constructor(db: SqliteDatabase, options: { marksDelayMs?: number } = {}) {
    this.#db = db;
    this.#marksDelayMs = options.marksDelayMs ?? 50;
    migrateProposals(db);
    this.#statements = {
      insert: db.prepare(
        `INSERT INTO proposals (${COLUMNS})
         VALUES (@id, @dataset_id, @idempotency_key_hash, @receipt_hash, @receipt_box, @body, @address_hash,
           @created_at, @updated_at, @revision, @delivered_revision, @settled_at)
         ON CONFLICT (dataset_id, idempotency_key_hash) DO NOTHING`,
      ),
      get: db.prepare(`SELECT ${COLUMNS} FROM proposals WHERE id = ?`),
      byKey: db.prepare(`SELECT ${COLUMNS} FROM proposals WHERE dataset_id = ? AND idempotency_key_hash = ?`),
      unsettledCount: db.prepare(
        'SELECT count(*) AS n FROM (SELECT 1 FROM proposals WHERE address_hash = ? AND settled_at IS NULL LIMIT ?)',
      ),
      unsettled: db.prepare(
        `SELECT id, dataset_id FROM proposals WHERE address_hash = ? AND settled_at IS NULL
         ORDER BY created_at, id LIMIT ?`,
      ),
      amend: db.prepare(
        `UPDATE proposals SET body = ?, revision = revision + 1, updated_at = ?
         WHERE id = ? AND settled_at IS NULL RETURNING ${COLUMNS}`,
      ),
      settle: db.prepare('UPDATE proposals SET settled_at = ? WHERE id = ? AND settled_at IS NULL'),
      undelivered: db.prepare(
        `SELECT ${COLUMNS} FROM proposals WHERE dataset_id = ? AND delivered_revision < revision
         ORDER BY created_at, id`,
      ),
      mark: db.prepare('UPDATE proposals SET delivered_revision = ? WHERE id = ? AND delivered_revision < ?'),
      forget: db.prepare('UPDATE proposals SET delivered_revision = 0'),
    };
  }

  /**
   * Makes every proposal undelivered, so each reaches its pending document again when that is
   * loaded: a crash may have come between a mark and the document's update being on disk.
   * For the one process that owns the data folder, at start.
   */
  forgetDeliveries(): void {
    this.#statements.forget.run();
  }

  async intake(records: readonly ProposalRecord[], maxPendingPerAddress: number): Promise<IntakeOutcome[]> {
    const db = this.#db;
    const unsettled = new Map<string, number>();
    const one = db.transaction((record: ProposalRecord): IntakeOutcome => {
      const count =
        unsettled.get(record.address_hash) ??
        (this.#statements.unsettledCount.get(record.address_hash, maxPendingPerAddress) as { n: number }).n;
      unsettled.set(record.address_hash, count);
      if (count >= maxPendingPerAddress) return { kind: 'over-cap' };
      if (this.#statements.insert.run(record).changes === 0) {
        const existing = this.#statements.byKey.get(record.dataset_id, record.idempotency_key_hash) as
          | ProposalRecord
          | undefined;
        if (!existing) throw new Error('proposal vanished after a unique-key conflict');
        return { kind: 'existing', record: existing };
      }
      unsettled.set(record.address_hash, count + 1);
      return { kind: 'stored', record: { ...record } };
    });
    return db
      .transaction((): IntakeOutcome[] => {
        const outcomes = records.map((record): IntakeOutcome => {
          try {
            return one(record);
          } catch (error) {
            // SQLite may have ended the whole transaction (disk full, I/O): then fail them all.
            if (!db.inTransaction) throw error;
            return { kind: 'fault', error };
          }
        });
        this.#writeMarks();
        return outcomes;
      })
      .immediate();
  }

  async get(id: string): Promise<ProposalRecord | undefined> {
    return this.#withMarks(this.#statements.get.get(id) as ProposalRecord | undefined);
  }

  async byIdempotencyKey(datasetId: string, keyHash: string): Promise<ProposalRecord | undefined> {
    return this.#withMarks(this.#statements.byKey.get(datasetId, keyHash) as ProposalRecord | undefined);
  }

  async amend(id: string, body: string, at: number): Promise<ProposalRecord | undefined> {
    return this.#withMarks(this.#statements.amend.get(body, at, id) as ProposalRecord | undefined);
  }

  async settle(ids: readonly string[], at: number): Promise<void> {
    if (ids.length === 0) return;
    this.#db.transaction(() => {
      for (const id of ids) this.#statements.settle.run(at, id);
    })();
  }

  async unsettledOf(
    addressHash: string,
    limit: number,
  ): Promise<Pick<ProposalRecord, 'id' | 'dataset_id'>[]> {
    return this.#statements.unsettled.all(addressHash, limit) as Pick<ProposalRecord, 'id' | 'dataset_id'>[];
  }

  deliver(datasetId: string, write: WriteToPending, ids?: readonly string[]): Promise<number> {
    return this.#deliveries.run(datasetId, ids, async (wanted) => {
      const only = wanted ? new Set(wanted) : null;
      const records = (this.#statements.undelivered.all(datasetId) as ProposalRecord[])
        .map((record) => this.#withMarks(record)!)
        .filter((record) => record.delivered_revision < record.revision && (!only || only.has(record.id)));
      if (records.length === 0) return 0;
      await write(records);
      for (const record of records) this.#marks.set(record.id, record.revision);
      this.#scheduleMarks();
      return records.length;
    });
  }

  async close(): Promise<void> {
    await this.#deliveries.idle();
    if (this.#marksTimer) clearTimeout(this.#marksTimer);
    this.#marksTimer = null;
    if (this.#db.open) this.#db.transaction(() => this.#writeMarks())();
  }

  /** A record as delivered as the marks not yet written say. */
  #withMarks(record: ProposalRecord | undefined): ProposalRecord | undefined {
    const marked = record && this.#marks.get(record.id);
    return record && marked && marked > record.delivered_revision
      ? { ...record, delivered_revision: marked }
      : record;
  }

  /** Inside a transaction: writes the marks gathered so far. */
  #writeMarks(): void {
    for (const [id, revision] of this.#marks) this.#statements.mark.run(revision, id, revision);
    this.#marks.clear();
  }

  #scheduleMarks(): void {
    if (this.#marksTimer) return;
    this.#marksTimer = setTimeout(() => {
      this.#marksTimer = null;
      if (!this.#db.open || this.#marks.size === 0) return;
      try {
        this.#db.transaction(() => this.#writeMarks())();
      } catch (error) {
        // Redundant: every start delivers again whatever is not marked.
        console.error('datapatch: delivery marks not recorded', error);
      }
    }, this.#marksDelayMs);
    this.#marksTimer.unref?.();
  }
}
