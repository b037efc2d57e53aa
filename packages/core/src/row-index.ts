/**
 * The rows of a validated document, read from chunks + cells + deleted, kept up to date from
 * Yjs events. Invariants: one store per Y.Doc, built once (each chunk parsed once) and then
 * updated by what each transaction touched; a cell edit costs O(1), never a rebuild. Row order
 * is first appearance in chunk order; the first occurrence of a row id wins.
 */
import type * as Y from 'yjs';
import {
  type Chunk,
  cellsMap,
  chunksArray,
  decodeChunk,
  deletedMap,
  isCellValue,
  splitCellKey,
} from './layout.ts';
import type { CellValue, Row } from './types.ts';

type RowTuple = [string, ...CellValue[]];

type ParsedChunk = {
  fields: string[];
  rows: RowTuple[];
  /** Position in the chunks array, refreshed after every change of the array. */
  index: number;
};

type BaseRow = { chunk: ParsedChunk; tuple: RowTuple };

function parseChunk(text: string): ParsedChunk {
  let chunk: Chunk;
  try {
    chunk = decodeChunk(text);
  } catch {
    // A corrupt chunk written by a foreign client must not hide every other row.
    return { fields: [], rows: [], index: 0 };
  }
  const rows = chunk.r.filter((r) => Array.isArray(r) && typeof r[0] === 'string');
  return { fields: chunk.f.map(String), rows, index: 0 };
}

/** The shared, always-current row state of one document. */
export class RowStore {
  private readonly chunks: ParsedChunk[] = [];
  private readonly base = new Map<string, BaseRow>();
  private readonly overrides = new Map<string, Map<string, CellValue>>();
  private readonly deleted = new Set<string>();
  private order: string[] | null = null;
  private changed = new Set<string>();
  private readonly listeners = new Set<(changed: Set<string>) => void>();

  /**
   * Built inside an open transaction: reading saw that transaction's changes, so its events
   * would apply them twice; the store re-reads everything when it ends instead.
   */
  private rereadAtEnd: boolean;
  /** Rows this peer wrote in the open transaction, known before the chunks event tells. */
  private readonly written = new Map<string, BaseRow>();

  constructor(readonly doc: Y.Doc) {
    this.read();
    this.changed.clear();
    this.rereadAtEnd = doc._transaction !== null;
    chunksArray(doc).observe((event) => {
      if (!this.rereadAtEnd) this.onChunks(event.changes.delta as ChunkDelta);
    });
    cellsMap(doc).observe((event) => {
      if (this.rereadAtEnd) return;
      const cells = cellsMap(doc);
      for (const key of event.keysChanged) this.setOverride(key, cells.has(key) ? cells.get(key) : undefined);
    });
    deletedMap(doc).observe((event) => {
      if (this.rereadAtEnd) return;
      const deleted = deletedMap(doc);
      for (const rowId of event.keysChanged) {
        if (deleted.has(rowId)) this.deleted.add(rowId);
        else this.deleted.delete(rowId);
        this.changed.add(rowId);
      }
      this.order = null;
    });
    doc.on('afterTransaction', () => {
      this.written.clear();
      if (this.rereadAtEnd) {
        this.rereadAtEnd = false;
        this.read();
        for (const id of this.base.keys()) this.changed.add(id);
      }
      this.flush();
    });
  }

  private read(): void {
    this.chunks.length = 0;
    this.overrides.clear();
    this.deleted.clear();
    this.order = null;
    for (const text of chunksArray(this.doc)) this.chunks.push(parseChunk(text));
    this.reindexChunks();
    this.rebuildBase();
    for (const [key, value] of cellsMap(this.doc).entries()) this.setOverride(key, value);
    for (const rowId of deletedMap(this.doc).keys()) this.deleted.add(rowId);
  }

  /** Called by writers: rows just pushed as a chunk in the open transaction. */
  noteWritten(fields: string[], tuples: RowTuple[]): void {
    const chunk: ParsedChunk = { fields, rows: tuples, index: Number.POSITIVE_INFINITY };
    for (const tuple of tuples) if (!this.base.has(tuple[0])) this.written.set(tuple[0], { chunk, tuple });
  }

  private baseRow(rowId: string): BaseRow | undefined {
    return this.base.get(rowId) ?? this.written.get(rowId);
  }

  hasRow(rowId: string): boolean {
    return this.base.has(rowId) || this.written.has(rowId);
  }

  isDeleted(rowId: string): boolean {
    return this.deleted.has(rowId);
  }

  /** The row's value before cell overrides (its chunk's value), `null` if its chunk lacks the field. */
  baseValue(rowId: string, field: string): CellValue | undefined {
    const row = this.baseRow(rowId);
    if (!row) return undefined;
    const at = row.chunk.fields.indexOf(field);
    return at < 0 ? null : (row.tuple[at + 1] ?? null);
  }

  get(rowId: string, includeDeleted = false): Row | undefined {
    const row = this.baseRow(rowId);
    if (!row || (!includeDeleted && this.deleted.has(rowId))) return undefined;
    const values: Record<string, CellValue> = {};
    const { fields } = row.chunk;
    const { tuple } = row;
    for (let i = 0; i < fields.length; i++) values[fields[i]!] = tuple[i + 1] ?? null;
    const edits = this.overrides.get(rowId);
    if (edits) for (const [field, value] of edits) values[field] = value;
    return { id: rowId, values };
  }

  /** Ids of live rows, in order. */
  ids(): string[] {
    if (this.order) return this.order;
    const order: string[] = [];
    for (const chunk of this.chunks) {
      for (const tuple of chunk.rows) {
        const id = tuple[0];
        if (this.base.get(id)?.tuple === tuple && !this.deleted.has(id)) order.push(id);
      }
    }
    this.order = order;
    return order;
  }

  /** Ids of deleted rows still in chunks (restorable), in order. */
  deletedIds(): string[] {
    return [...this.deleted].filter((id) => this.base.has(id));
  }

  /** Cell overrides not yet folded into chunks, by row. */
  overrideCount(): number {
    let n = 0;
    for (const edits of this.overrides.values()) n += edits.size;
    return n;
  }

  /** For fold-in: each chunk with its rows, and the overrides of its first-occurrence rows. */
  chunkViews(): { fields: string[]; rows: { tuple: RowTuple; first: boolean }[] }[] {
    return this.chunks.map((chunk) => ({
      fields: chunk.fields,
      rows: chunk.rows.map((tuple) => ({ tuple, first: this.base.get(tuple[0])?.tuple === tuple })),
    }));
  }

  overridesOf(rowId: string): ReadonlyMap<string, CellValue> | undefined {
    return this.overrides.get(rowId);
  }

  subscribe(listener: (changed: Set<string>) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private setOverride(key: string, value: unknown): void {
    const parts = splitCellKey(key);
    if (!parts) return;
    const { rowId, field } = parts;
    let edits = this.overrides.get(rowId);
    if (value === undefined || !isCellValue(value)) {
      edits?.delete(field);
      if (edits?.size === 0) this.overrides.delete(rowId);
    } else {
      if (!edits) {
        edits = new Map();
        this.overrides.set(rowId, edits);
      }
      edits.set(field, value);
    }
    this.changed.add(rowId);
  }

  private onChunks(delta: ChunkDelta): void {
    let at = 0;
    let removed = false;
    const inserted: ParsedChunk[] = [];
    for (const op of delta) {
      if (op.retain !== undefined) at += op.retain;
      else if (op.delete !== undefined) {
        for (const chunk of this.chunks.splice(at, op.delete)) {
          for (const tuple of chunk.rows) this.changed.add(tuple[0]);
        }
        removed = true;
      } else if (op.insert !== undefined) {
        const parsed = op.insert.map((text) => parseChunk(String(text)));
        this.chunks.splice(at, 0, ...parsed);
        at += parsed.length;
        inserted.push(...parsed);
      }
    }
    this.reindexChunks();
    if (removed) this.rebuildBase();
    else {
      for (const chunk of inserted) {
        for (const tuple of chunk.rows) {
          const known = this.base.get(tuple[0]);
          if (!known || known.chunk.index > chunk.index) this.base.set(tuple[0], { chunk, tuple });
        }
      }
    }
    for (const chunk of inserted) for (const tuple of chunk.rows) this.changed.add(tuple[0]);
    this.order = null;
  }

  private reindexChunks(): void {
    for (let i = 0; i < this.chunks.length; i++) this.chunks[i]!.index = i;
  }

  private rebuildBase(): void {
    this.base.clear();
    for (const chunk of this.chunks) {
      for (const tuple of chunk.rows) if (!this.base.has(tuple[0])) this.base.set(tuple[0], { chunk, tuple });
    }
  }

  private flush(): void {
    if (this.changed.size === 0) return;
    const changed = this.changed;
    this.changed = new Set();
    for (const listener of this.listeners) listener(changed);
  }
}

type ChunkDelta = { insert?: unknown[]; retain?: number; delete?: number }[];

const stores = new WeakMap<Y.Doc, RowStore>();

/** The document's row store if something already built it. */
export function builtRowStore(doc: Y.Doc): RowStore | undefined {
  return stores.get(doc);
}

/** The document's row store, built on first use and kept as long as the document lives. */
export function rowStore(doc: Y.Doc): RowStore {
  let store = stores.get(doc);
  if (!store) {
    store = new RowStore(doc);
    stores.set(doc, store);
  }
  return store;
}

/**
 * A read view of a dataset's rows for the app's read model. Views of one document share one
 * store, so creating several costs nothing more than the first.
 */
export class RowIndex {
  private readonly store: RowStore;
  private readonly unsubscribers = new Set<() => void>();

  constructor(doc: Y.Doc) {
    this.store = rowStore(doc);
  }

  /** Number of live (not deleted) rows. */
  get size(): number {
    return this.store.ids().length;
  }

  ids(): string[] {
    return this.store.ids().slice();
  }

  get(id: string, opts?: { includeDeleted?: boolean }): Row | undefined {
    return this.store.get(id, opts?.includeDeleted ?? false);
  }

  has(id: string): boolean {
    return this.store.hasRow(id) && !this.store.isDeleted(id);
  }

  isDeleted(id: string): boolean {
    return this.store.hasRow(id) && this.store.isDeleted(id);
  }

  /** Deleted rows that can still be restored. */
  deletedIds(): string[] {
    return this.store.deletedIds();
  }

  *rows(): Iterable<Row> {
    for (const id of this.store.ids()) {
      const row = this.store.get(id);
      if (row) yield row;
    }
  }

  /**
   * Calls `cb` once per transaction with the ids of rows that may have changed (created,
   * edited, deleted, restored). After a fold-in it may name rows whose values did not change.
   */
  onChange(cb: (changedRowIds: Set<string>) => void): () => void {
    const off = this.store.subscribe(cb);
    this.unsubscribers.add(off);
    return () => {
      off();
      this.unsubscribers.delete(off);
    };
  }

  destroy(): void {
    for (const off of this.unsubscribers) off();
    this.unsubscribers.clear();
  }
}

/** All live rows in order (convenience for one-off reads, e.g. an export). */
export function readRows(doc: Y.Doc): Row[] {
  const index = new RowIndex(doc);
  const rows = [...index.rows()];
  index.destroy();
  return rows;
}
