/**
 * The folded searchable text of the rows of the read model. A row is folded when first asked
 * for (or when `warm` gets to it) and forgotten when the store changes it, so opening a dataset
 * folds nothing and an edit costs one deletion; a text read is always that of the current row.
 */
import type { Store } from 'tinybase/store';
import { searchableText } from '../search/fold.ts';
import { ROWS_TABLE } from './feed.ts';

type Id = string;

export class SearchIndex {
  readonly #texts = new Map<Id, string>();
  readonly #store: Store;
  readonly #listener: Id;
  #warming = false;
  #destroyed = false;

  constructor(store: Store) {
    this.#store = store;
    this.#listener = store.addRowListener(ROWS_TABLE, null, (_store, _table, rowId) =>
      this.#texts.delete(rowId),
    );
  }

  /** The folded text of a row, '' when the row is unknown. */
  text(id: Id): string {
    let text = this.#texts.get(id);
    if (text === undefined) {
      if (!this.#store.hasRow(ROWS_TABLE, id)) return '';
      text = searchableText(this.#store.getRow(ROWS_TABLE, id));
      this.#texts.set(id, text);
    }
    return text;
  }

  /**
   * Folds every row not folded yet, `slice` rows at a time, each slice run by `schedule`
   * (the app gives it idle time), so the first search does not pay for all of them.
   */
  warm(schedule: (next: () => void) => void, slice = 1000): void {
    if (this.#warming) return;
    this.#warming = true;
    const ids = this.#store.getRowIds(ROWS_TABLE);
    let at = 0;
    const step = () => {
      if (this.#destroyed) return;
      const end = Math.min(ids.length, at + slice);
      for (; at < end; at++) this.text(ids[at] as Id);
      if (at < ids.length) schedule(step);
      else this.#warming = false;
    };
    schedule(step);
  }

  destroy(): void {
    this.#destroyed = true;
    this.#store.delListener(this.#listener);
    this.#texts.clear();
  }
}
