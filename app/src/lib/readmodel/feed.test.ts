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

describe('a large batch is copied in slices', () => {
  /** A scheduler the test drives: slices run only when the test says so. */
  function manual() {
    const queue: (() => void)[] = [];
    return {
      schedule: (next: () => void) => queue.push(next),
      runOne: () => queue.shift()?.(),
      runAll: () => {
        while (queue.length > 0) queue.shift()?.();
      },
      get waiting() {
        return queue.length;
      },
    };
  }

  it('shows the first rows at once and the rest in order, slice after slice', () => {
    const source = sourceWith(7);
    const store = createStore();
    const later = manual();
    const pending: number[] = [];
    feedReadModel(source, store, { slice: 3, schedule: later.schedule, onPending: (n) => pending.push(n) });
    expect(store.getRowIds(ROWS_TABLE)).toEqual(['r0', 'r1', 'r2']);
    later.runOne();
    expect(store.getRowIds(ROWS_TABLE)).toEqual(['r0', 'r1', 'r2', 'r3', 'r4', 'r5']);
    later.runAll();
    expect(store.getRowIds(ROWS_TABLE)).toEqual(source.ids());
    expect(pending).toEqual([4, 1, 0]);
  });

  it('a dataset arriving after the feed started is sliced too', () => {
    const source = new FakeRowSource();
    const store = createStore();
    const later = manual();
    feedReadModel(source, store, { slice: 2, schedule: later.schedule });
    for (let i = 0; i < 5; i++) source.put(`r${i}`, { nom: `Lieu ${i}` });
    source.announce(...source.ids());
    expect(store.getRowCount(ROWS_TABLE)).toBe(2);
    later.runAll();
    expect(store.getRowIds(ROWS_TABLE)).toEqual(['r0', 'r1', 'r2', 'r3', 'r4']);
  });

  it('while slices wait, an edit to a shown row applies at once and waiting rows come with their latest values', () => {
    const source = sourceWith(6);
    const store = createStore();
    const later = manual();
    feedReadModel(source, store, { slice: 2, schedule: later.schedule });
    source.put('r1', { nom: 'Vu et corrigé', ville: 'Lyon', places: 1 });
    source.put('r4', { nom: 'Pas encore vu', ville: 'Lyon', places: 4 });
    source.rows.delete('r5');
    source.put('r9', { nom: 'Nouveau', ville: null, places: 0 });
    source.announce('r1', 'r4', 'r5', 'r9');
    expect(store.getCell(ROWS_TABLE, 'r1', 'nom')).toBe('Vu et corrigé');
    expect(store.hasRow(ROWS_TABLE, 'r4')).toBe(false);
    later.runAll();
    expect(store.getRowIds(ROWS_TABLE)).toEqual(['r0', 'r1', 'r2', 'r3', 'r4', 'r9']);
    expect(store.getCell(ROWS_TABLE, 'r4', 'nom')).toBe('Pas encore vu');
    expect(store.getTable(ROWS_TABLE)).toEqual(
      Object.fromEntries(source.ids().map((id) => [id, source.get(id)?.values])),
    );
  });

  it('stops copying when the feed is stopped', () => {
    const source = sourceWith(6);
    const store = createStore();
    const later = manual();
    const stop = feedReadModel(source, store, { slice: 2, schedule: later.schedule });
    stop();
    later.runAll();
    expect(store.getRowCount(ROWS_TABLE)).toBe(2);
  });
});
