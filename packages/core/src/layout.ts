/**
 * The validated and pending documents' top-level types and the compact chunk format
 * (documented in ../README.md). Invariant: chunks are immutable JSON strings, a cell key is
 * `rowId + U+001F + field` and a row id never holds U+001F, so a key splits at its first U+001F.
 */
import type * as Y from 'yjs';
import { DataPatchError } from './codes.ts';
import type { CellValue, ChangelogEntry, Decision, Proposal } from './types.ts';

export const CELL_KEY_SEPARATOR = '\u001f';
/** Rows per chunk written by an import or a fold-in. */
export const CHUNK_SIZE = 1000;

export type Tombstone = { by: string; at: string };

export function metaMap(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap('meta');
}
export function fieldsArray(doc: Y.Doc): Y.Array<Record<string, unknown>> {
  return doc.getArray('fields');
}
export function chunksArray(doc: Y.Doc): Y.Array<string> {
  return doc.getArray('chunks');
}
export function cellsMap(doc: Y.Doc): Y.Map<CellValue> {
  return doc.getMap('cells');
}
export function deletedMap(doc: Y.Doc): Y.Map<Tombstone> {
  return doc.getMap('deleted');
}
export function changelogArray(doc: Y.Doc): Y.Array<ChangelogEntry> {
  return doc.getArray('changelog');
}
export function proposalsMap(doc: Y.Doc): Y.Map<Proposal> {
  return doc.getMap('proposals');
}
export function decisionsMap(doc: Y.Doc): Y.Map<Decision> {
  return doc.getMap('decisions');
}

export function cellKey(rowId: string, field: string): string {
  return rowId + CELL_KEY_SEPARATOR + field;
}

export function splitCellKey(key: string): { rowId: string; field: string } | undefined {
  const at = key.indexOf(CELL_KEY_SEPARATOR);
  if (at <= 0) return undefined;
  return { rowId: key.slice(0, at), field: key.slice(at + 1) };
}

/** A chunk as parsed: field names, and rows as `[rowId, v1, v2, …]` in field order. */
export type Chunk = { f: string[]; r: [string, ...CellValue[]][] };

export function encodeChunk(chunk: Chunk): string {
  return JSON.stringify(chunk);
}

export function decodeChunk(text: string): Chunk {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new DataPatchError('invalid-document', 'a chunk is not JSON');
  }
  const chunk = parsed as Partial<Chunk> | null;
  if (!chunk || !Array.isArray(chunk.f) || !Array.isArray(chunk.r)) {
    throw new DataPatchError('invalid-document', 'a chunk lacks "f" or "r"');
  }
  return chunk as Chunk;
}

export function isCellValue(value: unknown): value is CellValue {
  return (
    value === null ||
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value))
  );
}

export function assertCellValue(value: unknown, where: string): asserts value is CellValue {
  if (!isCellValue(value)) throw new DataPatchError('invalid-value', `invalid value for ${where}`);
}

export function assertName(name: string, what: string): void {
  if (typeof name !== 'string' || name.length === 0 || name.includes(CELL_KEY_SEPARATOR)) {
    throw new DataPatchError('invalid-name', `invalid ${what}: ${JSON.stringify(name)}`);
  }
}
