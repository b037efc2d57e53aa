import { createStore } from 'tinybase/store';
import { describe, expect, it } from 'vitest';
import { queryWords } from '../search/fold.ts';
import { ROWS_TABLE } from './feed.ts';
import { SearchIndex } from './search-index.ts';
import { type Selection, selectRowIds } from './select.ts';

function storeOf(rows: Record<string, Record<string, string | number | boolean | null>>) {
  const store = createStore();
  store.transaction(() => {
    for (const [id, row] of Object.entries(rows)) store.setRow(ROWS_TABLE, id, row);
  });
  return store;
}

const places = {
  a: { nom: 'Médiathèque Émile Zola', ville: 'Villeurbanne', type: 'bibliothèque', places: 40 },
  b: { nom: 'Espace numérique', ville: 'Lyon', type: 'tiers-lieu', places: 12 },
  c: { nom: 'École élémentaire', ville: 'Lyon', type: 'école', places: null },
  d: { nom: 'Bibliothèque du 8e', ville: 'Lyon', type: 'bibliothèque', places: 8 },
};
const none: Selection = { words: [], facets: new Map(), sort: null };

describe('finding records', () => {
  it('finds a place from part of its name typed without accents', () => {
    const store = storeOf(places);
    const search = new SearchIndex(store);
    expect(selectRowIds(store, search, { ...none, words: queryWords('mediatheque zola') })).toEqual(['a']);
    expect(selectRowIds(store, search, { ...none, words: queryWords('ECOLE') })).toEqual(['c']);
  });

  it('requires all words, across fields', () => {
    const store = storeOf(places);
    const search = new SearchIndex(store);
    expect(selectRowIds(store, search, { ...none, words: queryWords('biblio lyon') })).toEqual(['d']);
  });

  it('combines search and filters', () => {
    const store = storeOf(places);
    const search = new SearchIndex(store);
    const facets = new Map([['ville', new Set(['Lyon'])]]);
    expect(selectRowIds(store, search, { ...none, facets })).toEqual(['b', 'c', 'd']);
    expect(selectRowIds(store, search, { ...none, facets, words: queryWords('bibliotheque') })).toEqual([
      'd',
    ]);
  });

  it('sees a live change in the search', () => {
    const store = storeOf(places);
    const search = new SearchIndex(store);
    store.setCell(ROWS_TABLE, 'b', 'nom', 'Fabrique numérique Gerland');
    expect(selectRowIds(store, search, { ...none, words: queryWords('gerland') })).toEqual(['b']);
    store.delRow(ROWS_TABLE, 'b');
    expect(selectRowIds(store, search, { ...none, words: queryWords('gerland') })).toEqual([]);
  });

  it('sorts numbers as numbers, text without accents, empty values last either way', () => {
    const store = storeOf(places);
    const search = new SearchIndex(store);
    const byPlaces = (descending: boolean) =>
      selectRowIds(store, search, { ...none, sort: { field: 'places', descending } });
    expect(byPlaces(false)).toEqual(['d', 'b', 'a', 'c']);
    expect(byPlaces(true)).toEqual(['a', 'b', 'd', 'c']);
    expect(selectRowIds(store, search, { ...none, sort: { field: 'nom', descending: false } })).toEqual([
      'd',
      'c',
      'b',
      'a',
    ]);
  });

  it('keeps the dataset order among equal values', () => {
    const store = storeOf(places);
    const search = new SearchIndex(store);
    expect(selectRowIds(store, search, { ...none, sort: { field: 'ville', descending: false } })).toEqual([
      'b',
      'c',
      'd',
      'a',
    ]);
  });
});
