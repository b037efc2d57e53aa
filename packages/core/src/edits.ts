/**
 * Direct edits of the validated document by editors and moderators.
 * Invariants: every edit writes its data and its changelog entry in one transaction; a cell
 * edit touches only its own key in `cells`, so edits of different cells never clobber each other.
 */
import type * as Y from 'yjs';
import { DataPatchError } from './codes.ts';
import { fieldNames, writeRows } from './dataset.ts';
import { newId, newRowIds } from './ids.ts';
import { assertCellValue, assertName, cellKey, cellsMap, changelogArray, deletedMap } from './layout.ts';
import { rowStore } from './row-index.ts';
import type { Actor, CellValue, ChangeBatch, ChangelogEntry } from './types.ts';

export type EditOptions = { proposalId?: string; batch?: ChangeBatch };

function stamp(
  actor: Actor,
  opts: EditOptions | undefined,
): Pick<ChangelogEntry, 'id' | 'at' | 'by'> & {
  proposalId?: string;
  batch?: ChangeBatch;
} {
  return {
    id: newId(),
    at: new Date().toISOString(),
    by: actor,
    ...(opts?.proposalId ? { proposalId: opts.proposalId } : {}),
    ...(opts?.batch ? { batch: { ...opts.batch } } : {}),
  };
}

/** The row exists in a chunk (deleted or not); rows added in a still-open transaction are not seen. */
export function hasRow(doc: Y.Doc, rowId: string): boolean {
  return rowStore(doc).hasRow(rowId);
}

export function isRowDeleted(doc: Y.Doc, rowId: string): boolean {
  return deletedMap(doc).has(rowId);
}

/** The cell's current value: its latest edit, else its chunk value; `undefined` for an unknown row. */
export function readCell(doc: Y.Doc, rowId: string, field: string): CellValue | undefined {
  const cells = cellsMap(doc);
  const key = cellKey(rowId, field);
  if (cells.has(key)) return cells.get(key) ?? null;
  return rowStore(doc).baseValue(rowId, field);
}

function assertKnownRow(doc: Y.Doc, rowId: string): void {
  if (!rowStore(doc).hasRow(rowId)) throw new DataPatchError('unknown-row', `unknown row ${rowId}`);
}

function assertKnownField(doc: Y.Doc, field: string): void {
  if (!fieldNames(doc).includes(field)) throw new DataPatchError('unknown-field', `unknown field ${field}`);
}

/**
 * Sets one cell. Returns the changelog entry's id, or `undefined` when the cell already held
 * the value (nothing written).
 */
export function setCell(
  doc: Y.Doc,
  rowId: string,
  field: string,
  value: CellValue,
  actor: Actor,
  opts?: EditOptions,
): string | undefined {
  assertCellValue(value, field);
  assertKnownRow(doc, rowId);
  assertKnownField(doc, field);
  const old = readCell(doc, rowId, field) ?? null;
  if (old === value) return undefined;
  const entry: ChangelogEntry = { ...stamp(actor, opts), kind: 'set', rowId, field, old, new: value };
  doc.transact(() => {
    cellsMap(doc).set(cellKey(rowId, field), value);
    changelogArray(doc).push([entry]);
  });
  return entry.id;
}

/** Adds one record as a one-row chunk; returns its id. */
export function addRow(
  doc: Y.Doc,
  values: Record<string, CellValue>,
  actor: Actor,
  opts?: EditOptions & { rowId?: string },
): string {
  return addRowRecorded(doc, values, actor, opts).rowId;
}

export function addRowRecorded(
  doc: Y.Doc,
  values: Record<string, CellValue>,
  actor: Actor,
  opts?: EditOptions & { rowId?: string },
): { rowId: string; changeId: string } {
  let rowId = opts?.rowId;
  if (rowId !== undefined) {
    assertName(rowId, 'row id');
    if (rowStore(doc).hasRow(rowId)) rowId = undefined;
  }
  rowId ??= newRowIds(doc, 1)[0]!;
  const written = writeRows(doc, [values], actor, { ...opts, rowIds: [rowId] });
  return { rowId, changeId: written.changeId! };
}

/** Marks a row deleted (it stays in its chunk, so it can be restored). */
export function deleteRow(doc: Y.Doc, rowId: string, actor: Actor, opts?: EditOptions): string | undefined {
  assertKnownRow(doc, rowId);
  const deleted = deletedMap(doc);
  if (deleted.has(rowId)) return undefined;
  const old = rowStore(doc).get(rowId, true)?.values;
  const entry: ChangelogEntry = { ...stamp(actor, opts), kind: 'delete', rowId, ...(old ? { old } : {}) };
  doc.transact(() => {
    deleted.set(rowId, { by: actor.id, at: entry.at });
    changelogArray(doc).push([entry]);
  });
  return entry.id;
}

export function restoreRow(doc: Y.Doc, rowId: string, actor: Actor, opts?: EditOptions): string | undefined {
  assertKnownRow(doc, rowId);
  const deleted = deletedMap(doc);
  if (!deleted.has(rowId)) return undefined;
  const entry: ChangelogEntry = { ...stamp(actor, opts), kind: 'restore', rowId };
  doc.transact(() => {
    deleted.delete(rowId);
    changelogArray(doc).push([entry]);
  });
  return entry.id;
}

/** Writes an `undo` entry and its effect; used by moderation's undo. */
export function writeUndo(
  doc: Y.Doc,
  undone: ChangelogEntry,
  effect: { field: string; old: CellValue; new: CellValue } | { row: 'delete' | 'restore' },
  actor: Actor,
  opts?: EditOptions,
): string {
  const entry: ChangelogEntry = {
    ...stamp(actor, opts),
    kind: 'undo',
    rowId: undone.rowId,
    undoes: undone.id,
    ...('field' in effect ? { field: effect.field, old: effect.old, new: effect.new } : {}),
  };
  doc.transact(() => {
    if ('field' in effect) cellsMap(doc).set(cellKey(undone.rowId, effect.field), effect.new);
    else if (effect.row === 'delete') deletedMap(doc).set(undone.rowId, { by: actor.id, at: entry.at });
    else deletedMap(doc).delete(undone.rowId);
    changelogArray(doc).push([entry]);
  });
  return entry.id;
}

export function readChangelog(
  doc: Y.Doc,
  filter?: { rowId?: string; proposalId?: string },
): ChangelogEntry[] {
  const all = changelogArray(doc).toArray();
  if (!filter) return all;
  return all.filter(
    (entry) =>
      (filter.rowId === undefined || entry.rowId === filter.rowId) &&
      (filter.proposalId === undefined || entry.proposalId === filter.proposalId),
  );
}
