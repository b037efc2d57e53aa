/**
 * The folded searchable text of every row of the read model, kept in step with the store by
 * a row listener: a changed row is folded again, a deleted row forgotten, nothing else.
 */
import type { Store } from 'tinybase/store';
import { searchableText } from '../search/fold.ts';
import { ROWS_TABLE } from './feed.ts';

type Id = string;

export class SearchIndex {
  readonly #texts = new Map<Id, string>();
  readonly #store: Store;
  readonly #listener: Id;

  constructor(store: Store) {
    this.#store = store;
    for (const id of store.getRowIds(ROWS_TABLE)) this.#index(id);
    this.#listener = store.addRowListener(ROWS_TABLE, null, (_store, _table, rowId) => this.#index(rowId));
  }

  #index(id: Id): void {
    if (this.#store.hasRow(ROWS_TABLE, id)) {
      this.#texts.set(id, searchableText(this.#store.getRow(ROWS_TABLE, id)));
    } else {
      this.#texts.delete(id);
    }
  }

  /** The folded text of a row, '' when the row is unknown. */
  text(id: Id): string {
    return this.#texts.get(id) ?? '';
  }

  destroy(): void {
    this.#store.delListener(this.#listener);
    this.#texts.clear();
  }
}
