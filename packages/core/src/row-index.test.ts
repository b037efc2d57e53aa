import { describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { appendRows } from './dataset.ts';
import { addRow, deleteRow, readChangelog, restoreRow, setCell } from './edits.ts';
import { foldIn } from './fold-in.ts';
import { cellKey, cellsMap, chunksArray, encodeChunk } from './layout.ts';
import { RowIndex, readRows } from './row-index.ts';
import { alice, bob, loadCopy, placesDataset } from './test-fixtures.ts';

describe('the row index the app reads', () => {
  it('reports exactly the edited row after a cell edit, once per transaction', () => {
    const { doc, rowIds } = placesDataset();
    const index = new RowIndex(doc);
    const seen: string[][] = [];
    index.onChange((ids) => seen.push([...ids]));
    setCell(doc, rowIds[1]!, 'cp', '59101', bob);
    doc.transact(() => {
      setCell(doc, rowIds[0]!, 'cp', '1', bob);
      setCell(doc, rowIds[2]!, 'cp', '2', bob);
    });
    expect(seen).toEqual([[rowIds[1]], [rowIds[0], rowIds[2]]]);
    expect(index.get(rowIds[1]!)!.values.cp).toBe('59101');
  });

  it('does not re-read the imported rows when a cell is edited, only when chunks change', () => {
    const { doc, rowIds } = placesDataset();
    const index = new RowIndex(doc);
    index.ids();
    const parse = vi.spyOn(JSON, 'parse');
    try {
      setCell(doc, rowIds[0]!, 'cp', '59001', bob);
      deleteRow(doc, rowIds[1]!, bob);
      expect(index.get(rowIds[0]!)!.values.cp).toBe('59001');
      expect(index.ids()).toEqual([rowIds[0], rowIds[2]]);
      expect(parse).not.toHaveBeenCalled();
      addRow(doc, { nom: 'Gare' }, bob);
      expect(parse).toHaveBeenCalledTimes(1); // the new one-row chunk only
    } finally {
      parse.mockRestore();
    }
  });

  it('a record added and edited in one transaction keeps the edit', () => {
    const { doc } = placesDataset();
    const index = new RowIndex(doc);
    let id = '';
    doc.transact(() => {
      id = addRow(doc, { nom: 'Gare' }, bob);
      setCell(doc, id, 'cp', '59000', bob);
    });
    expect(index.get(id)!.values).toMatchObject({ nom: 'Gare', cp: '59000' });
    expect(readChangelog(doc, { rowId: id }).map((e) => e.kind)).toEqual(['create', 'set']);
  });

  it('an index first built inside a transaction stays in step with later changes', () => {
    const { doc: origin } = placesDataset();
    const doc = loadCopy(origin);
    let id = '';
    doc.transact(() => {
      id = addRow(doc, { nom: 'Gare' }, bob);
      setCell(doc, id, 'cp', '59000', bob); // builds the row store mid-transaction
    });
    const added = addRow(doc, { nom: 'Port' }, bob);
    foldIn(doc);
    addRow(doc, { nom: 'Quai' }, bob);
    const index = new RowIndex(doc);
    expect([...index.rows()]).toEqual(readRows(loadCopy(doc)));
    expect(index.ids().slice(-3, -1)).toEqual([id, added]);
  });

  it('follows edits that arrive from another peer', () => {
    const { doc: a, rowIds } = placesDataset();
    const b = loadCopy(a);
    const index = new RowIndex(b);
    const changed = new Set<string>();
    index.onChange((ids) => {
      for (const id of ids) changed.add(id);
    });
    const before = Y.encodeStateVector(a);
    setCell(a, rowIds[0]!, 'nom', 'Hôtel de ville', alice);
    const added = addRow(a, { nom: 'Gare' }, alice);
    deleteRow(a, rowIds[2]!, alice);
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a, before));
    expect(changed).toEqual(new Set([rowIds[0], added, rowIds[2]]));
    expect(index.ids()).toEqual([rowIds[0], rowIds[1], added]);
    expect(index.size).toBe(3);
    expect(index.get(rowIds[0]!)!.values.nom).toBe('Hôtel de ville');
  });

  it('stops calling back once destroyed', () => {
    const { doc, rowIds } = placesDataset();
    const index = new RowIndex(doc);
    let calls = 0;
    index.onChange(() => calls++);
    index.destroy();
    setCell(doc, rowIds[0]!, 'cp', '1', bob);
    expect(calls).toBe(0);
  });

  it('shows the first occurrence of a row id that appears in two chunks', () => {
    const { doc, rowIds } = placesDataset();
    const id = rowIds[0]!;
    chunksArray(doc).push([
      encodeChunk({
        f: ['nom'],
        r: [
          [id, 'copie'],
          ['zz1', 'autre'],
        ],
      }),
    ]);
    const rows = readRows(doc);
    expect(rows.map((r) => r.id)).toEqual([...rowIds, 'zz1']);
    expect(rows[0]!.values.nom).toBe('Mairie');
  });

  it('ignores a corrupt chunk instead of hiding every row', () => {
    const { doc, rowIds } = placesDataset();
    chunksArray(doc).push(['not json', '{"f":1}']);
    expect(readRows(doc).map((r) => r.id)).toEqual(rowIds);
  });

  it('reads the same rows incrementally as a fresh index built after many changes', () => {
    const { doc, rowIds } = placesDataset();
    const live = new RowIndex(doc);
    appendRows(doc, [{ nom: 'A' }, { nom: 'B' }], alice);
    setCell(doc, rowIds[0]!, 'commune', 'X', bob);
    deleteRow(doc, rowIds[1]!, bob);
    foldIn(doc);
    restoreRow(doc, rowIds[1]!, bob);
    addRow(doc, { nom: 'C' }, bob);
    cellsMap(doc).set(cellKey(rowIds[2]!, 'cp'), '0');
    expect([...live.rows()]).toEqual(readRows(loadCopy(doc)));
  });
});
