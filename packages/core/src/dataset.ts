/**
 * Creating a dataset and importing rows into the validated document.
 * Invariants: imported rows are written as immutable chunks of at most CHUNK_SIZE rows, each
 * row once, with a fresh stable id; one import batch writes one changelog entry.
 */
import type * as Y from 'yjs';
import { DataPatchError } from './codes.ts';
import { newId, newRowIds } from './ids.ts';
import {
  assertCellValue,
  CHUNK_SIZE,
  type Chunk,
  changelogArray,
  chunksArray,
  encodeChunk,
  fieldsArray,
  metaMap,
} from './layout.ts';
import { builtRowStore } from './row-index.ts';
import type {
  Actor,
  CellValue,
  ChangeBatch,
  ChangelogEntry,
  DatasetMeta,
  Field,
  TableSchema,
} from './types.ts';

const META_KEYS = ['datasetId', 'title', 'description', 'licence', 'source', 'hub', 'createdAt'] as const;

export function createDataset(
  doc: Y.Doc,
  init: { meta: DatasetMeta; schema: TableSchema; rows?: Record<string, CellValue>[] },
  actor: Actor,
): { rowIds: string[] } {
  const meta = metaMap(doc);
  if (meta.has('datasetId')) throw new DataPatchError('already-created');
  let rowIds: string[] = [];
  doc.transact(() => {
    for (const key of META_KEYS) {
      const value = init.meta[key];
      if (value !== undefined) meta.set(key, value);
    }
    if (!meta.has('createdAt')) meta.set('createdAt', new Date().toISOString());
    const { fields, ...extras } = init.schema;
    meta.set('schema', structuredClone(extras));
    fieldsArray(doc).push(fields.map((field) => structuredClone(field)));
    if (init.rows && init.rows.length > 0) rowIds = appendRows(doc, init.rows, actor);
  });
  return { rowIds };
}

/** True once `createDataset` ran on this document (or a peer's creation arrived). */
export function isDataset(doc: Y.Doc): boolean {
  return metaMap(doc).has('datasetId');
}

export function readMeta(doc: Y.Doc): DatasetMeta {
  const meta = metaMap(doc);
  const datasetId = meta.get('datasetId');
  if (typeof datasetId !== 'string') throw new DataPatchError('invalid-document', 'no dataset here');
  const out: DatasetMeta = { datasetId, title: String(meta.get('title') ?? '') };
  for (const key of META_KEYS) {
    if (key === 'datasetId' || key === 'title') continue;
    const value = meta.get(key);
    if (typeof value === 'string') out[key] = value;
  }
  return out;
}

export function readSchema(doc: Y.Doc): TableSchema {
  const extras = metaMap(doc).get('schema');
  const fields = fieldsArray(doc).toArray() as Field[];
  return { ...(extras && typeof extras === 'object' ? extras : {}), fields };
}

export function fieldNames(doc: Y.Doc): string[] {
  return fieldsArray(doc)
    .toArray()
    .map((field) => String(field.name));
}

/** Changes title, description, licence, source or hub; `undefined` removes an optional one. */
export function setMeta(
  doc: Y.Doc,
  patch: Partial<Omit<DatasetMeta, 'datasetId' | 'createdAt'>>,
  actor: Actor,
): void {
  const meta = metaMap(doc);
  doc.transact(() => {
    for (const key of META_KEYS) {
      if (key === 'datasetId' || key === 'createdAt' || !(key in patch)) continue;
      const value = patch[key];
      if (value === undefined) meta.delete(key);
      else meta.set(key, value);
    }
    // Who last changed the description is shown beside it; meta is not in the row changelog.
    meta.set('updatedBy', actor);
    meta.set('updatedAt', new Date().toISOString());
  });
}

/** Field names for new chunks: the schema's, then any other key the rows carry. */
function chunkFields(doc: Y.Doc, rows: Record<string, CellValue>[]): string[] {
  const names = fieldNames(doc);
  const known = new Set(names);
  for (const row of rows) {
    for (const key of Object.keys(row)) {
      if (!known.has(key)) {
        known.add(key);
        names.push(key);
      }
    }
  }
  return names;
}

/**
 * Appends rows as new chunks; returns their ids in order. One changelog entry `create`
 * with `count` records the batch.
 */
export function appendRows(doc: Y.Doc, rows: Record<string, CellValue>[], actor: Actor): string[] {
  return writeRows(doc, rows, actor).rowIds;
}

/** appendRows, also giving the changelog entry's id (moderation records it in its decision). */
export function writeRows(
  doc: Y.Doc,
  rows: Record<string, CellValue>[],
  actor: Actor,
  opts?: { proposalId?: string; rowIds?: string[]; batch?: ChangeBatch },
): { rowIds: string[]; changeId: string | undefined } {
  if (rows.length === 0) return { rowIds: [], changeId: undefined };
  const fields = chunkFields(doc, rows);
  const ids = opts?.rowIds ?? newRowIds(doc, rows.length);
  const texts: string[] = [];
  const tuples: [string, ...CellValue[]][] = [];
  for (let start = 0; start < rows.length; start += CHUNK_SIZE) {
    const chunk: Chunk = { f: fields, r: [] };
    const end = Math.min(rows.length, start + CHUNK_SIZE);
    for (let i = start; i < end; i++) {
      const row = rows[i]!;
      const tuple: [string, ...CellValue[]] = [ids[i]!];
      for (const field of fields) {
        const value = row[field] ?? null;
        assertCellValue(value, field);
        tuple.push(value);
      }
      chunk.r.push(tuple);
      tuples.push(tuple);
    }
    texts.push(encodeChunk(chunk));
  }
  const entry: ChangelogEntry = {
    id: newId(),
    at: new Date().toISOString(),
    by: actor,
    kind: 'create',
    rowId: ids[0]!,
    ...(rows.length === 1 ? { new: { ...rows[0]! } } : { count: rows.length }),
    ...(opts?.proposalId ? { proposalId: opts.proposalId } : {}),
    ...(opts?.batch ? { batch: { ...opts.batch } } : {}),
  };
  doc.transact(() => {
    chunksArray(doc).push(texts);
    changelogArray(doc).push([entry]);
    // Lets a write later in the same transaction (e.g. a cell of this new record) find it.
    builtRowStore(doc)?.noteWritten(fields, tuples);
  });
  return { rowIds: ids, changeId: entry.id };
}
