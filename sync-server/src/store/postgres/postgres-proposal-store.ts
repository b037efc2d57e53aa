/**
 * ProposalStore on PostgreSQL, shared by every server process. Invariants: an intake batch is
 * one transaction that first takes the advisory lock of each address it holds (in one global
 * order, so two batches never deadlock), so counting an address's unsettled proposals and
 * inserting is exact across processes; the (dataset, key) UNIQUE constraint and ON CONFLICT make
 * a key one proposal; `deliver` holds the dataset's delivery lock (an advisory lock of its
 * transaction) from reading the undelivered rows to recording them, so each revision is handed
 * to one process once. Use a pool of its own: a delivery holds a connection while the relay
 * appends through the update store's.
 */
import type pg from 'pg';
import { DeliveryQueue } from '../delivery-queue.ts';
import type { IntakeOutcome, ProposalRecord, ProposalStore, WriteToPending } from '../proposal-store.ts';
import { inTransaction, type PostgresDatabase } from './postgres-database.ts';

const COLUMNS = `id, dataset_id, idempotency_key_hash, receipt_hash, receipt_box, body, address_hash,
  created_at, updated_at, revision, delivered_revision, settled_at`;

type RawRecord = Omit<ProposalRecord, 'created_at' | 'updated_at' | 'settled_at'> & {
  created_at: string;
  updated_at: string;
  settled_at: string | null;
};

/** bigint columns arrive as strings: milliseconds fit a double. */
function toRecord(raw: RawRecord): ProposalRecord {
  return {
    ...raw,
    created_at: Number(raw.created_at),
    updated_at: Number(raw.updated_at),
    settled_at: raw.settled_at === null ? null : Number(raw.settled_at),
  };
}

function keyOf(record: Pick<ProposalRecord, 'dataset_id' | 'idempotency_key_hash'>): string {
  return `${record.dataset_id}\0${record.idempotency_key_hash}`;
}

export class PostgresProposalStore implements ProposalStore {
  readonly #db: PostgresDatabase;
  /** One delivery per dataset at a time in this process, later calls coalesced into the next. */
  readonly #deliveries = new DeliveryQueue();

  constructor(db: PostgresDatabase) {
    this.#db = db;
  }

  get #pool(): pg.Pool {
    return this.#db.pool;
  }

  #transaction<T>(run: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    return inTransaction(this.#pool, run);
  }

  async intake(records: readonly ProposalRecord[], maxPendingPerAddress: number): Promise<IntakeOutcome[]> {
    if (records.length === 0) return [];
    try {
      return await this.#transaction((client) => this.#intakeIn(client, records, maxPendingPerAddress));
    } catch (error) {
      if (records.length === 1) throw error;
      // One proposal broke the batch: each alone, so it fails alone and the others are kept.
      return Promise.all(
        records.map(async (record): Promise<IntakeOutcome> => {
          try {
            const [outcome] = await this.#transaction((client) =>
              this.#intakeIn(client, [record], maxPendingPerAddress),
            );
            return outcome!;
          } catch (alone) {
            return { kind: 'fault', error: alone };
          }
        }),
      );
    }
  }

  async #intakeIn(
    client: pg.PoolClient,
    records: readonly ProposalRecord[],
    cap: number,
  ): Promise<IntakeOutcome[]> {
    const addresses = [...new Set(records.map((record) => record.address_hash))];
    // Every intake touching an address waits here for the others: the count below stays true
    // until COMMIT. Locks in key order, so two batches never wait on each other in a cycle.
    await client.query(
      `SELECT pg_advisory_xact_lock(k) FROM (
         SELECT hashtextextended('datapatch-pending-cap:' || current_schema() || ':' || a, 0) AS k
           FROM unnest($1::text[]) AS a ORDER BY 1 OFFSET 0) AS keys`,
      [addresses],
    );
    const counted = await client.query<{ address_hash: string; n: number }>(
      `SELECT address_hash, count(*)::int AS n FROM proposals
        WHERE address_hash = ANY($1::text[]) AND settled_at IS NULL GROUP BY address_hash`,
      [addresses],
    );
    const unsettled = new Map(counted.rows.map((row) => [row.address_hash, row.n]));
    const existing = await this.#byKeys(client, records);

    const outcomes: (IntakeOutcome | null)[] = [];
    const candidates = new Map<string, ProposalRecord>();
    for (const record of records) {
      const key = keyOf(record);
      const first = existing.get(key);
      if (first) outcomes.push({ kind: 'existing', record: first });
      else if (candidates.has(key))
        outcomes.push(null); // a twin in this batch: answered below
      else {
        const count = unsettled.get(record.address_hash) ?? 0;
        if (count >= cap) outcomes.push({ kind: 'over-cap' });
        else {
          unsettled.set(record.address_hash, count + 1);
          candidates.set(key, record);
          outcomes.push(null);
        }
      }
    }
    const rows = [...candidates.values()];
    const inserted = new Set<string>();
    if (rows.length > 0) {
      const column = <K extends keyof ProposalRecord>(name: K) => rows.map((row) => row[name]);
      const result = await client.query<{ id: string }>(
        `INSERT INTO proposals (${COLUMNS})
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                              $8::bigint[], $9::bigint[], $10::int[], $11::int[], $12::bigint[])
         ON CONFLICT (dataset_id, idempotency_key_hash) DO NOTHING
         RETURNING id`,
        [
          column('id'),
          column('dataset_id'),
          column('idempotency_key_hash'),
          column('receipt_hash'),
          column('receipt_box'),
          column('body'),
          column('address_hash'),
          column('created_at'),
          column('updated_at'),
          column('revision'),
          column('delivered_revision'),
          column('settled_at'),
        ],
      );
      for (const row of result.rows) inserted.add(row.id);
    }
    // Keys another process committed meanwhile (ON CONFLICT skipped them), and this batch's twins.
    const lost = rows.filter((row) => !inserted.has(row.id));
    const winners = lost.length > 0 ? await this.#byKeys(client, lost) : new Map<string, ProposalRecord>();
    const stored = new Set<string>();
    return records.map((record, index) => {
      const known = outcomes[index];
      if (known) return known;
      const key = keyOf(record);
      const candidate = candidates.get(key)!;
      if (inserted.has(candidate.id)) {
        if (candidate === record && !stored.has(key)) {
          stored.add(key);
          return { kind: 'stored', record: { ...record } };
        }
        return { kind: 'existing', record: { ...candidate } };
      }
      const winner = winners.get(key);
      return winner
        ? { kind: 'existing', record: winner }
        : { kind: 'fault', error: new Error('proposal vanished after a unique-key conflict') };
    });
  }

  async #byKeys(
    client: pg.PoolClient | pg.Pool,
    records: readonly Pick<ProposalRecord, 'dataset_id' | 'idempotency_key_hash'>[],
  ): Promise<Map<string, ProposalRecord>> {
    const result = await client.query<RawRecord>(
      `SELECT ${COLUMNS} FROM proposals
        WHERE (dataset_id, idempotency_key_hash) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
      [records.map((record) => record.dataset_id), records.map((record) => record.idempotency_key_hash)],
    );
    return new Map(result.rows.map((raw) => [keyOf(raw), toRecord(raw)]));
  }

  async get(id: string): Promise<ProposalRecord | undefined> {
    const result = await this.#pool.query<RawRecord>(`SELECT ${COLUMNS} FROM proposals WHERE id = $1`, [id]);
    return result.rows[0] && toRecord(result.rows[0]);
  }

  async byIdempotencyKey(datasetId: string, keyHash: string): Promise<ProposalRecord | undefined> {
    const result = await this.#pool.query<RawRecord>(
      `SELECT ${COLUMNS} FROM proposals WHERE dataset_id = $1 AND idempotency_key_hash = $2`,
      [datasetId, keyHash],
    );
    return result.rows[0] && toRecord(result.rows[0]);
  }

  async amend(id: string, body: string, at: number): Promise<ProposalRecord | undefined> {
    const result = await this.#pool.query<RawRecord>(
      `UPDATE proposals SET body = $2, revision = revision + 1, updated_at = $3
        WHERE id = $1 AND settled_at IS NULL RETURNING ${COLUMNS}`,
      [id, body, at],
    );
    return result.rows[0] && toRecord(result.rows[0]);
  }

  async settle(ids: readonly string[], at: number): Promise<void> {
    if (ids.length === 0) return;
    await this.#pool.query(
      'UPDATE proposals SET settled_at = $2 WHERE id = ANY($1::text[]) AND settled_at IS NULL',
      [ids, at],
    );
  }

  async unsettledOf(
    addressHash: string,
    limit: number,
  ): Promise<Pick<ProposalRecord, 'id' | 'dataset_id'>[]> {
    const result = await this.#pool.query<Pick<ProposalRecord, 'id' | 'dataset_id'>>(
      `SELECT id, dataset_id FROM proposals WHERE address_hash = $1 AND settled_at IS NULL
        ORDER BY created_at, id LIMIT $2`,
      [addressHash, limit],
    );
    return result.rows;
  }

  deliver(datasetId: string, write: WriteToPending, ids?: readonly string[]): Promise<number> {
    return this.#deliveries.run(datasetId, ids, (wanted) => this.#deliver(datasetId, write, wanted));
  }

  async #deliver(datasetId: string, write: WriteToPending, ids?: readonly string[]): Promise<number> {
    const client = await this.#pool.connect();
    try {
      await client.query('BEGIN');
      // The dataset's delivery lease, across processes, until COMMIT.
      await client.query(
        `SELECT pg_advisory_xact_lock(hashtextextended('datapatch-deliver:' || current_schema() || ':' || $1, 0))`,
        [datasetId],
      );
      const found = await client.query<RawRecord>(
        `SELECT ${COLUMNS} FROM proposals
          WHERE dataset_id = $1 AND delivered_revision < revision AND ($2::text[] IS NULL OR id = ANY($2::text[]))
          ORDER BY created_at, id`,
        [datasetId, ids ? [...ids] : null],
      );
      const records = found.rows.map(toRecord);
      if (records.length > 0) {
        await write(records);
        // An amendment stored meanwhile keeps its higher revision undelivered.
        await client.query(
          `UPDATE proposals SET delivered_revision = d.revision
             FROM unnest($1::text[], $2::int[]) AS d(id, revision)
            WHERE proposals.id = d.id AND proposals.delivered_revision < d.revision`,
          [records.map((record) => record.id), records.map((record) => record.revision)],
        );
      }
      await client.query('COMMIT');
      return records.length;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    await this.#deliveries.idle();
    await this.#db.close();
  }
}
