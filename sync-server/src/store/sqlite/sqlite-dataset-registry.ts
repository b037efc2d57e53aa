/**
 * DatasetRegistry on SQLite: the `datasets` table. Invariant: upsert by id, nothing else
 * touches other rows.
 */
import type { DatasetRegistry, DatasetSummary } from '../dataset-registry.ts';
import type { SqliteDatabase } from './sqlite-database.ts';

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

export class SqliteDatasetRegistry implements DatasetRegistry {
  readonly #all;
  readonly #one;
  readonly #upsert;

  constructor(db: SqliteDatabase) {
    this.#all = db.prepare<[], DatasetRow>('SELECT * FROM datasets ORDER BY title, id');
    this.#one = db.prepare<[string], DatasetRow>('SELECT * FROM datasets WHERE id = ?');
    this.#upsert = db.prepare<[DatasetRow]>(
      `INSERT INTO datasets (id, title, description, row_count, updated_at)
       VALUES (@id, @title, @description, @row_count, @updated_at)
       ON CONFLICT (id) DO UPDATE SET title = excluded.title, description = excluded.description,
         row_count = excluded.row_count, updated_at = excluded.updated_at`,
    );
  }

  async list(): Promise<DatasetSummary[]> {
    return this.#all.all().map(toSummary);
  }

  async get(id: string): Promise<DatasetSummary | null> {
    const row = this.#one.get(id);
    return row === undefined ? null : toSummary(row);
  }

  async upsert(summary: DatasetSummary): Promise<void> {
    this.#upsert.run({
      id: summary.id,
      title: summary.title,
      description: summary.description,
      row_count: summary.rowCount,
      updated_at: summary.updatedAt,
    });
  }
}
