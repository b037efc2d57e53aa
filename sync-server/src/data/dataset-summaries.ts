/**
 * Keeps the dataset list (`GET /api/datasets`) in step with the validated documents: a summary
 * is read from a document when its room leaves memory. Invariant: only a `ds/<id>/validated`
 * document that holds a dataset updates the registry; anything else is ignored.
 */
import { isDataset, readMeta, readRows } from '@datapatch/core';
import { parseRoomName } from '@datapatch/protocol';
import type * as Y from 'yjs';
import type { DatasetRegistry, DatasetSummary } from '../store/dataset-registry.ts';

export function summarizeDataset(doc: Y.Doc): DatasetSummary | null {
  if (!isDataset(doc)) return null;
  const meta = readMeta(doc);
  return {
    id: meta.datasetId,
    title: meta.title,
    description: meta.description ?? '',
    rowCount: readRows(doc).length,
    updatedAt: new Date().toISOString(),
  };
}

export function refreshSummaryOnEviction(registry: DatasetRegistry) {
  return async (room: string, doc: Y.Doc): Promise<void> => {
    const parsed = parseRoomName(room);
    if (parsed?.kind !== 'validated') return;
    const summary = summarizeDataset(doc);
    if (summary && summary.id === parsed.datasetId) await registry.upsert(summary);
  };
}
