import { createStore } from 'tinybase/store';
import { describe, expect, it } from 'vitest';
import { ROWS_TABLE } from './feed.ts';
import { SearchIndex } from './search-index.ts';

function storeWith(n: number) {
  const store = createStore();
  for (let i = 0; i < n; i++) store.setRow(ROWS_TABLE, `r${i}`, { nom: `École ${i}`, ville: 'Orléans' });
  return store;
}

describe('the search text of a row', () => {
  it('is the folded text of the row as it is now, before and after warming', () => {
    const store = storeWith(5);
    const search = new SearchIndex(store);
    expect(search.text('r1')).toBe('ecole 1\norleans');
    store.setCell(ROWS_TABLE, 'r1', 'nom', 'Mairie');
    expect(search.text('r1')).toBe('mairie\norleans');
    const later: (() => void)[] = [];
    search.warm((next) => later.push(next), 2);
    while (later.length > 0) later.shift()?.();
    store.setCell(ROWS_TABLE, 'r3', 'ville', 'Évry');
    store.delRow(ROWS_TABLE, 'r4');
    expect(search.text('r3')).toBe('ecole 3\nevry');
    expect(search.text('r4')).toBe('');
    expect(search.text('r0')).toBe('ecole 0\norleans');
  });

  it('warms in slices, one slice per scheduled call', () => {
    const store = storeWith(5);
    const search = new SearchIndex(store);
    const later: (() => void)[] = [];
    search.warm((next) => later.push(next), 2);
    let slices = 0;
    while (later.length > 0) {
      later.shift()?.();
      slices++;
    }
    expect(slices).toBe(3);
  });
});
