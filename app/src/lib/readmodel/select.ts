/**
 * Which rows the citizen sees, in which order: every search word must match, every facet
 * filter must hold, then an optional sort by one field. Empty values always sort last,
 * whatever the direction; numbers sort as numbers, text as folded text, ties keep row order.
 */
import type { Store } from 'tinybase/store';
import { type FacetSelection, matchesFacets } from '../search/facets.ts';
import { foldText, matchesAllWords } from '../search/fold.ts';
import { ROWS_TABLE } from './feed.ts';
import type { SearchIndex } from './search-index.ts';

export type Sort = { field: string; descending: boolean };
export type Selection = { words: readonly string[]; facets: FacetSelection; sort: Sort | null };

type SortKey = { id: string; empty: boolean; num: number; text: string; order: number };

export function selectRowIds(store: Store, search: SearchIndex, selection: Selection): string[] {
  const { words, facets, sort } = selection;
  const activeFacets = [...facets.values()].some((keys) => keys.size > 0);
  let ids = store.getRowIds(ROWS_TABLE);
  if (words.length > 0 || activeFacets) {
    ids = ids.filter(
      (id) =>
        matchesAllWords(search.text(id), words) &&
        (!activeFacets || matchesFacets((field) => store.getCell(ROWS_TABLE, id, field), facets)),
    );
  }
  if (sort === null) return ids;
  const keys: SortKey[] = ids.map((id, order) => {
    const value = store.getCell(ROWS_TABLE, id, sort.field);
    const empty = value === undefined || value === null || value === '';
    const num = typeof value === 'number' ? value : typeof value === 'boolean' ? Number(value) : Number.NaN;
    return { id, empty, num, text: empty || !Number.isNaN(num) ? '' : foldText(String(value)), order };
  });
  const direction = sort.descending ? -1 : 1;
  keys.sort((a, b) => {
    if (a.empty !== b.empty) return a.empty ? 1 : -1;
    const aNum = !Number.isNaN(a.num);
    const bNum = !Number.isNaN(b.num);
    let c = 0;
    if (aNum && bNum) c = a.num - b.num;
    else if (aNum !== bNum) c = aNum ? -1 : 1;
    else c = a.text < b.text ? -1 : a.text > b.text ? 1 : 0;
    return c === 0 ? a.order - b.order : c * direction;
  });
  return keys.map((k) => k.id);
}
