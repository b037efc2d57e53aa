import { createStore } from 'tinybase/store';
import { describe, expect, it } from 'vitest';
import { type CellValue, feedReadModel, ROWS_TABLE, type Row, type RowSource } from './feed.ts';

/** A stand-in for core's RowIndex: rows in order, changes announced by id. */
class FakeRowSource implements RowSource {
  rows = new Map<string, Row>();
  listeners = new Set<(ids: Set<string>) => void>();
  ids(): string[] {
    return [...this.rows.keys()];
  }
  get(id: string): Row | undefined {
    return this.rows.get(id);
  }
  onChange(listener: (ids: Set<string>) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  put(id: string, values: Record<string, CellValue>): void {
    this.rows.set(id, { id, values });
  }
  announce(...ids: string[]): void {
    for (const l of this.listeners) l(new Set(ids));
  }
}

function sourceWith(n: number): FakeRowSource {
  const source = new FakeRowSource();
  for (let i = 0; i < n; i++) source.put(`r${i}`, { nom: `Lieu ${i}`, ville: 'Lyon', places: i });
  return source;
}

describe('the read model follows the dataset one way', () => {
  it('starts with every row, in the dataset order', () => {
    const store = createStore();
    feedReadModel(sourceWith(3), store);
    expect(store.getRowIds(ROWS_TABLE)).toEqual(['r0', 'r1', 'r2']);
    expect(store.getRow(ROWS_TABLE, 'r1')).toEqual({ nom: 'Lieu 1', ville: 'Lyon', places: 1 });
  });

  it('updates only the changed cell of the changed row', () => {
    const source = sourceWith(1000);
    const store = createStore();
    feedReadModel(source, store);
    const touched: string[] = [];
    store.addCellListener(ROWS_TABLE, null, null, (_s, _t, rowId, cellId) => {
      touched.push(`${rowId}.${cellId}`);
    });
    source.put('r500', { nom: 'Lieu renommé', ville: 'Lyon', places: 500 });
    source.announce('r500');
    expect(touched).toEqual(['r500.nom']);
    expect(store.getCell(ROWS_TABLE, 'r500', 'nom')).toBe('Lieu renommé');
  });

  it('adds new rows and removes deleted ones', () => {
    const source = sourceWith(2);
    const store = createStore();
    feedReadModel(source, store);
    source.put('new', { nom: 'Nouveau', ville: null, places: 0 });
    source.rows.delete('r0');
    source.announce('new', 'r0');
    expect(store.getRowIds(ROWS_TABLE)).toEqual(['r1', 'new']);
    expect(store.getCell(ROWS_TABLE, 'new', 'ville')).toBeNull();
  });

  it('applies a batch of changes as one transaction', () => {
    const source = sourceWith(10);
    const store = createStore();
    feedReadModel(source, store);
    let transactions = 0;
    store.addDidFinishTransactionListener(() => {
      transactions++;
    });
    for (let i = 0; i < 10; i++) source.put(`r${i}`, { nom: 'X', ville: 'Lyon', places: i });
    source.announce(...source.ids());
    expect(transactions).toBe(1);
  });

  it('never writes back to the dataset, and stops when asked', () => {
    const source = sourceWith(2);
    const store = createStore();
    const stop = feedReadModel(source, store);
    store.setCell(ROWS_TABLE, 'r0', 'nom', 'changed in the read model only');
    expect(source.get('r0')?.values.nom).toBe('Lieu 0');
    stop();
    source.put('r1', { nom: 'after stop', ville: 'Lyon', places: 1 });
    source.announce('r1');
    expect(store.getCell(ROWS_TABLE, 'r1', 'nom')).toBe('Lieu 1');
    expect(source.listeners.size).toBe(0);
  });
});
