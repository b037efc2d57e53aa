/**
 * The changelog as people read it: newest first, per dataset or per record, and "put this value
 * back". Invariant: putting a value back is a new cell edit (through core's setCell, so it is in
 * the changelog too); nothing here rewrites history.
 */
import {
  type Actor,
  type CellValue,
  type ChangelogEntry,
  readCell,
  readChangelog,
  setCell,
} from '@datapatch/core';
import type * as Y from 'yjs';

/**
 * An import (or any batch of rows added at once): core names it by its first row, but it is a
 * change of the dataset, so the history shows it as the dataset's and never in a record's.
 */
export function isImport(entry: ChangelogEntry): boolean {
  return entry.kind === 'create' && entry.count !== undefined;
}

/** Newest first; `limit` keeps the newest ones. A record's history leaves imports out. */
export function historyOf(doc: Y.Doc, filter?: { rowId?: string }, limit = 500): ChangelogEntry[] {
  const all = readChangelog(doc, filter);
  const out: ChangelogEntry[] = [];
  for (let i = all.length - 1; i >= 0 && out.length < limit; i--) {
    const entry = all[i];
    if (entry === undefined || (filter?.rowId !== undefined && isImport(entry))) continue;
    out.push(entry);
  }
  return out;
}

/** One line of the history: a single change, or the changes of one batch shown as one. */
export type HistoryItem =
  | { kind: 'entry'; entry: ChangelogEntry }
  | {
      kind: 'batch';
      id: string;
      origin: 'upstream' | 'undo';
      at: string;
      by: ChangelogEntry['by'];
      entries: ChangelogEntry[];
      /** Cells set and records created by the batch. */
      fields: number;
      added: number;
      /** The batch that undid this one, if any. */
      undoneBy?: string;
    };

/**
 * The dataset's history newest first, each batch (a release of the official source taken in,
 * its undo) as one line at the place of its newest change; `limit` keeps the newest lines.
 */
export function historyItems(doc: Y.Doc, limit = 500): HistoryItem[] {
  const all = readChangelog(doc);
  const batches = new Map<string, Extract<HistoryItem, { kind: 'batch' }>>();
  const undoneBy = new Map<string, string>();
  for (const entry of all) {
    if (entry.batch?.origin === 'undo' && entry.batch.undoes)
      undoneBy.set(entry.batch.undoes, entry.batch.id);
  }
  const out: HistoryItem[] = [];
  for (let i = all.length - 1; i >= 0; i--) {
    const entry = all[i];
    if (entry === undefined) continue;
    const batch = entry.batch;
    if (batch === undefined) {
      if (out.length < limit) out.push({ kind: 'entry', entry });
      continue;
    }
    let item = batches.get(batch.id);
    if (item === undefined) {
      const undoer = undoneBy.get(batch.id);
      item = {
        kind: 'batch',
        id: batch.id,
        origin: batch.origin,
        at: entry.at,
        by: entry.by,
        entries: [],
        fields: 0,
        added: 0,
        ...(undoer ? { undoneBy: undoer } : {}),
      };
      batches.set(batch.id, item);
      if (out.length < limit) out.push(item);
    }
    item.entries.unshift(entry);
    if (entry.kind === 'set') item.fields++;
    if (entry.kind === 'create') item.added++;
  }
  return out;
}

function isCellValue(value: unknown): value is CellValue {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}

/**
 * The value that "put this value back" would restore: the value a cell edit replaced, when
 * the cell does not already hold it. Null when there is nothing to put back.
 */
export function valueToPutBack(
  doc: Y.Doc,
  entry: ChangelogEntry,
): { field: string; value: CellValue } | null {
  if ((entry.kind !== 'set' && entry.kind !== 'undo') || entry.field === undefined) return null;
  if (!isCellValue(entry.old)) return null;
  const current = readCell(doc, entry.rowId, entry.field);
  if (current === undefined || current === entry.old) return null;
  return { field: entry.field, value: entry.old };
}

export function putBack(doc: Y.Doc, entry: ChangelogEntry, actor: Actor): string | null {
  const target = valueToPutBack(doc, entry);
  if (target === null) return null;
  return setCell(doc, entry.rowId, target.field, target.value, actor) ?? null;
}

/** A cell value as text for the history list; objects (whole records) as `field: value` pairs. */
export function shownValue(value: ChangelogEntry['old']): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'object') {
    return Object.entries(value)
      .filter(([, v]) => v !== null && v !== '')
      .map(([k, v]) => `${k}: ${String(v)}`)
      .join(' · ');
  }
  return String(value);
}
