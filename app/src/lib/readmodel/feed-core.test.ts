import { addRow, createDataset, deleteRow, RowIndex, restoreRow, setCell } from '@datapatch/core';
import { createStore } from 'tinybase/store';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { feedReadModel, ROWS_TABLE } from './feed.ts';

const actor = { id: 'test' };
const schema = {
  fields: [
    { name: 'nom', type: 'string' },
    { name: 'ville', type: 'string' },
  ],
};

function dataset(rows: number): Y.Doc {
  const doc = new Y.Doc();
  createDataset(
    doc,
    {
      meta: { datasetId: 'lieux', title: 'Lieux' },
      schema,
      rows: Array.from({ length: rows }, (_, i) => ({ nom: `Lieu ${i}`, ville: 'Lyon' })),
    },
    actor,
  );
  return doc;
}

/** Sends every update of `from` to `to`, as the websocket provider would. */
function connect(from: Y.Doc, to: Y.Doc): void {
  Y.applyUpdate(to, Y.encodeStateAsUpdate(from));
  from.on('update', (update: Uint8Array) => Y.applyUpdate(to, update));
}

describe('the read model fed from core’s row index', () => {
  it('holds every row of the dataset, in order', () => {
    const doc = dataset(2500);
    const store = createStore();
    feedReadModel(new RowIndex(doc), store);
    const ids = store.getRowIds(ROWS_TABLE);
    expect(ids).toEqual(new RowIndex(doc).ids());
    expect(store.getRow(ROWS_TABLE, ids[1234]!)).toEqual({ nom: 'Lieu 1234', ville: 'Lyon' });
  });

  it('updates one cell of one row when another client edits one cell', () => {
    const server = dataset(3000);
    const citizen = new Y.Doc();
    connect(server, citizen);
    const store = createStore();
    feedReadModel(new RowIndex(citizen), store);
    const rowId = store.getRowIds(ROWS_TABLE)[2000]!;
    const touched: string[] = [];
    store.addCellListener(ROWS_TABLE, null, null, (_s, _t, row, cell) => {
      touched.push(`${row}.${cell}`);
    });
    setCell(server, rowId, 'nom', 'Médiathèque', actor);
    expect(touched).toEqual([`${rowId}.nom`]);
    expect(store.getCell(ROWS_TABLE, rowId, 'nom')).toBe('Médiathèque');
  });

  it('follows rows added, deleted and restored elsewhere', () => {
    const server = dataset(3);
    const citizen = new Y.Doc();
    connect(server, citizen);
    const store = createStore();
    feedReadModel(new RowIndex(citizen), store);
    const [first] = store.getRowIds(ROWS_TABLE);
    const added = addRow(server, { nom: 'Nouveau lieu', ville: 'Caluire' }, actor);
    expect(store.getCell(ROWS_TABLE, added, 'nom')).toBe('Nouveau lieu');
    deleteRow(server, first!, actor);
    expect(store.hasRow(ROWS_TABLE, first!)).toBe(false);
    restoreRow(server, first!, actor);
    expect(store.getCell(ROWS_TABLE, first!, 'nom')).toBe('Lieu 0');
  });

  it('fills in when the document arrives after the feed started (first visit, then sync)', () => {
    const server = dataset(1500);
    const citizen = new Y.Doc();
    const store = createStore();
    feedReadModel(new RowIndex(citizen), store);
    expect(store.getRowCount(ROWS_TABLE)).toBe(0);
    connect(server, citizen);
    expect(store.getRowCount(ROWS_TABLE)).toBe(1500);
  });
});
