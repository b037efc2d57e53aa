/**
 * DatasetRegistry on PostgreSQL: the `datasets` table. Invariant: upsert by id, nothing else
 * touches other rows.
 */
import type { DatasetRegistry, DatasetSummary } from '../dataset-registry.ts';
import type { PostgresDatabase } from './postgres-database.ts';

interface DatasetRow {
  id: string;
  title: string;
  description: string;
  row_count: number;
  updated_at: string;
}

function toSummary(row: DatasetRow): DatasetSummary {
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    rowCount: row.row_count,
    updatedAt: row.updated_at,
  };
}

export class PostgresDatasetRegistry implements DatasetRegistry {
  readonly #db: PostgresDatabase;

  constructor(db: PostgresDatabase) {
    this.#db = db;
  }

  async list(): Promise<DatasetSummary[]> {
    // COLLATE "C": the same order as SQLite's default (byte order), whatever the server's locale.
    const result = await this.#db.pool.query<DatasetRow>(
      'SELECT * FROM datasets ORDER BY title COLLATE "C", id COLLATE "C"',
    );
    return result.rows.map(toSummary);
  }

  async get(id: string): Promise<DatasetSummary | null> {
    const result = await this.#db.pool.query<DatasetRow>('SELECT * FROM datasets WHERE id = $1', [id]);
    const row = result.rows[0];
    return row === undefined ? null : toSummary(row);
  }

  async upsert(summary: DatasetSummary): Promise<void> {
    await this.#db.pool.query(
      `INSERT INTO datasets (id, title, description, row_count, updated_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (id) DO UPDATE SET title = excluded.title, description = excluded.description,
         row_count = excluded.row_count, updated_at = excluded.updated_at`,
      [summary.id, summary.title, summary.description, summary.rowCount, summary.updatedAt],
    );
  }
}
