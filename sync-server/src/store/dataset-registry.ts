/**
 * DatasetRegistry: the small list of datasets the home page shows (id, title, description,
 * row count). The Yjs documents stay the source of truth; this is a summary refreshed from them.
 * Invariant: one entry per dataset id; `upsert` never deletes another entry.
 */

export interface DatasetSummary {
  id: string;
  title: string;
  description: string;
  rowCount: number;
  updatedAt: string;
}

export interface DatasetRegistry {
  list(): Promise<DatasetSummary[]>;
  get(id: string): Promise<DatasetSummary | null>;
  upsert(summary: DatasetSummary): Promise<void>;
}
