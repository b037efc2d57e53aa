/**
 * Feeding the TinyBase read model from the dataset's row index, one way: Yjs -> RowIndex ->
 * TinyBase, never back (no persister, so an empty or coerced store can never write to the
 * shared document). Each change touches only the rows it names; a large batch (a whole dataset
 * arriving) can be copied in slices so the first rows show before the last are copied. Once no
 * slice is pending, the store holds exactly the source's live rows.
 */
import type { Store } from 'tinybase/store';

export type CellValue = string | number | boolean | null;
export type Row = { id: string; values: Record<string, CellValue> };

/** What the feed needs from core's RowIndex (structural, so tests can use a fake). */
export interface RowSource {
  ids(): string[];
  get(id: string): Row | undefined;
  onChange(listener: (changedRowIds: Set<string>) => void): () => void;
}

/** The TinyBase table holding one row per record, keyed by the record's stable id. */
export const ROWS_TABLE = 'rows';

export type FeedOptions = {
  /** Rows copied per slice; without it every change is copied at once. */
  slice?: number;
  /** Runs the next slice later (the app yields to the browser between slices). */
  schedule?: (next: () => void) => void;
  /** Told how many rows still wait to be copied, after each slice (0: the store is complete). */
  onPending?: (pending: number) => void;
};

/**
 * Fills `store` with every row of `source`, in order, then keeps it up to date.
 * Returns the function that stops the feed (the store keeps its last state).
 */
export function feedReadModel(source: RowSource, store: Store, options: FeedOptions = {}): () => void {
  const slice = options.slice ?? Number.POSITIVE_INFINITY;
  const schedule = options.schedule ?? ((next: () => void) => setTimeout(next, 0));
  // Rows still to copy, in source order. A row is read when its slice runs, so it is copied
  // with its latest values, or removed if it was deleted meanwhile.
  const pending = new Set<string>();
  let scheduled = false;
  let stopped = false;

  const copy = (ids: Iterable<string>) => {
    store.transaction(() => {
      for (const id of ids) {
        const row = source.get(id);
        if (row === undefined) {
          store.delRow(ROWS_TABLE, id);
        } else {
          // setRow only reports the cells whose value differs, so listeners see one cell.
          store.setRow(ROWS_TABLE, id, row.values);
        }
      }
    });
  };

  const copySlice = () => {
    scheduled = false;
    if (stopped) return;
    const ids: string[] = [];
    for (const id of pending) {
      if (ids.length >= slice) break;
      ids.push(id);
    }
    for (const id of ids) pending.delete(id);
    copy(ids);
    if (pending.size > 0 && !scheduled) {
      scheduled = true;
      schedule(copySlice);
    }
    options.onPending?.(pending.size);
  };

  const receive = (changed: Iterable<string>) => {
    const filling = pending.size > 0;
    const now: string[] = [];
    for (const id of changed) {
      // While slices are pending, a row the citizen already sees follows its edits at once;
      // the others keep their place in the queue.
      if (filling && store.hasRow(ROWS_TABLE, id)) now.push(id);
      else pending.add(id);
    }
    if (now.length > 0) copy(now);
    if (pending.size > 0 && !scheduled) copySlice();
  };

  store.transaction(() => store.delTable(ROWS_TABLE));
  receive(source.ids());
  const off = source.onChange(receive);
  return () => {
    stopped = true;
    off();
  };
}
