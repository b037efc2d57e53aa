/**
 * Changes made as one (a new release of the official source taken in) and undone as one.
 * Invariants: an undo never overwrites what someone changed after the batch — such an entry is
 * skipped and reported; the undo is itself one batch written in one transaction; a batch is
 * undone at most once.
 */
import type * as Y from 'yjs';
import { isRowDeleted, readCell, readChangelog, writeUndo } from './edits.ts';
import { newId } from './ids.ts';
import { changelogArray } from './layout.ts';
import type { Actor, CellValue, ChangeBatch, ChangelogEntry } from './types.ts';

/** The entries of one batch, in the order they were written. */
export function batchEntries(doc: Y.Doc, batchId: string): ChangelogEntry[] {
  return readChangelog(doc).filter((entry) => entry.batch?.id === batchId);
}

/** The id of the batch that undid `batchId`, if any. */
export function batchUndoneBy(doc: Y.Doc, batchId: string): string | undefined {
  for (const entry of changelogArray(doc).toArray()) {
    if (entry.batch?.origin === 'undo' && entry.batch.undoes === batchId) return entry.batch.id;
  }
  return undefined;
}

/** An entry the undo left alone, and why: the value or record changed after the batch. */
export type SkippedUndo = { entryId: string; rowId: string; field?: string; current?: CellValue };

export type UndoBatchResult =
  | { ok: true; batchId: string; undone: number; skipped: SkippedUndo[] }
  | { ok: false; code: 'not-found' | 'already-undone' };

export function undoBatch(doc: Y.Doc, batchId: string, actor: Actor): UndoBatchResult {
  const entries = batchEntries(doc, batchId);
  if (entries.length === 0) return { ok: false, code: 'not-found' };
  if (batchUndoneBy(doc, batchId) !== undefined) return { ok: false, code: 'already-undone' };
  const batch: ChangeBatch = { id: newId(), origin: 'undo', undoes: batchId };
  const inBatch = new Set(entries.map((e) => e.id));
  const all = readChangelog(doc);
  const first = all.findIndex((e) => inBatch.has(e.id));
  // Rows someone touched after the batch began (outside it): their creation is not undone.
  const touchedLater = new Set(
    all
      .slice(first)
      .filter((e) => !inBatch.has(e.id))
      .map((e) => e.rowId),
  );
  const skipped: SkippedUndo[] = [];
  let undone = 0;
  doc.transact(() => {
    for (const entry of [...entries].reverse()) {
      if (entry.kind === 'set' && entry.field !== undefined) {
        const current = readCell(doc, entry.rowId, entry.field) ?? null;
        if (current !== (entry.new ?? null)) {
          skipped.push({ entryId: entry.id, rowId: entry.rowId, field: entry.field, current });
          continue;
        }
        const old = (entry.old ?? null) as CellValue;
        writeUndo(doc, entry, { field: entry.field, old: current, new: old }, actor, { batch });
        undone++;
      } else if (entry.kind === 'create' && entry.count === undefined) {
        if (touchedLater.has(entry.rowId) || isRowDeleted(doc, entry.rowId)) {
          skipped.push({ entryId: entry.id, rowId: entry.rowId });
          continue;
        }
        writeUndo(doc, entry, { row: 'delete' }, actor, { batch });
        undone++;
      } else if (entry.kind === 'delete') {
        if (!isRowDeleted(doc, entry.rowId)) {
          skipped.push({ entryId: entry.id, rowId: entry.rowId });
          continue;
        }
        writeUndo(doc, entry, { row: 'restore' }, actor, { batch });
        undone++;
      }
    }
  });
  return { ok: true, batchId: batch.id, undone, skipped };
}
