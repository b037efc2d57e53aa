/**
 * Feeding the TinyBase read model from the dataset's row index, one way: Yjs -> RowIndex ->
 * TinyBase, never back (no persister, so an empty or coerced store can never write to the
 * shared document). After the first fill, each change touches only the rows it names.
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

/**
 * Fills `store` with every row of `source`, in order, then keeps it up to date.
 * Returns the function that stops the feed (the store keeps its last state).
 */
export function feedReadModel(source: RowSource, store: Store): () => void {
  store.transaction(() => {
    store.delTable(ROWS_TABLE);
    for (const id of source.ids()) {
      const row = source.get(id);
      if (row !== undefined) store.setRow(ROWS_TABLE, id, row.values);
    }
  });
  return source.onChange((changed) => {
    store.transaction(() => {
      for (const id of changed) {
        const row = source.get(id);
        if (row === undefined) {
          store.delRow(ROWS_TABLE, id);
        } else {
          // setRow only reports the cells whose value differs, so listeners see one cell.
          store.setRow(ROWS_TABLE, id, row.values);
        }
      }
    });
  });
}
