import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { appendRows } from './dataset.ts';
import { addRow, deleteRow, readChangelog, restoreRow, setCell } from './edits.ts';
import { foldIn } from './fold-in.ts';
import { CHUNK_SIZE, cellsMap, chunksArray, encodeChunk } from './layout.ts';
import { readRows } from './row-index.ts';
import { alice, bob, loadCopy, placesDataset } from './test-fixtures.ts';

function exchange(a: Y.Doc, b: Y.Doc): void {
  const toB = Y.encodeStateAsUpdate(a, Y.encodeStateVector(b));
  const toA = Y.encodeStateAsUpdate(b, Y.encodeStateVector(a));
  Y.applyUpdate(b, toB);
  Y.applyUpdate(a, toA);
}

describe('fold-in', () => {
  it('absorbs cell edits into chunks without changing any value', () => {
    const { doc, rowIds } = placesDataset();
    setCell(doc, rowIds[0]!, 'cp', '59800', bob);
    setCell(doc, rowIds[2]!, 'ouvert', false, bob);
    const before = readRows(doc);
    expect(foldIn(doc)).toEqual({ absorbedCells: 2 });
    expect(cellsMap(doc).size).toBe(0);
    expect(readRows(doc)).toEqual(before);
    expect(readRows(loadCopy(doc))).toEqual(before);
    expect(foldIn(doc)).toEqual({ absorbedCells: 0 });
  });

  it("refuses to run inside an open transaction, where it would drop that transaction's edits", () => {
    const { doc, rowIds } = placesDataset();
    setCell(doc, rowIds[0]!, 'cp', '1', bob);
    doc.transact(() => {
      setCell(doc, rowIds[0]!, 'cp', '2', bob);
      expect(() => foldIn(doc)).toThrowError(expect.objectContaining({ code: 'in-transaction' }));
    });
    expect(readRows(doc)[0]!.values.cp).toBe('2');
  });

  it('keeps the changelog: history is not folded away', () => {
    const { doc, rowIds } = placesDataset();
    setCell(doc, rowIds[0]!, 'cp', '59800', bob);
    foldIn(doc);
    expect(readChangelog(doc, { rowId: rowIds[0]! }).map((e) => e.kind)).toEqual(['create', 'set']);
  });

  it('an edit made offline survives a concurrent fold-in', () => {
    const { doc: server, rowIds } = placesDataset();
    const id = rowIds[1]!;
    setCell(server, id, 'commune', 'Roubaix-Centre', alice);
    const offline = loadCopy(server);
    setCell(offline, id, 'commune', 'Roubaix-Nord', bob); // overwrites the edit the server folds
    setCell(offline, id, 'cp', '59101', bob); // a cell the server never saw
    foldIn(server);
    exchange(server, offline);
    for (const doc of [server, offline]) {
      expect(readRows(doc)[1]!.values).toMatchObject({ commune: 'Roubaix-Nord', cp: '59101' });
    }
  });

  it('an edit folded in stays when the offline peer comes back without touching that cell', () => {
    const { doc: server, rowIds } = placesDataset();
    const offline = loadCopy(server);
    setCell(server, rowIds[0]!, 'nom', 'Hôtel de ville', alice);
    foldIn(server);
    setCell(offline, rowIds[0]!, 'cp', '59001', bob);
    exchange(server, offline);
    for (const doc of [server, offline]) {
      expect(readRows(doc)[0]!.values).toMatchObject({ nom: 'Hôtel de ville', cp: '59001' });
    }
  });

  it('a deleted row stays in its chunk, so a concurrent restore brings it back', () => {
    const { doc: server, rowIds } = placesDataset();
    const id = rowIds[2]!;
    deleteRow(server, id, alice);
    const offline = loadCopy(server);
    setCell(server, id, 'nom', 'Piscine fermée', alice);
    foldIn(server);
    restoreRow(offline, id, bob);
    exchange(server, offline);
    for (const doc of [server, offline]) {
      const rows = readRows(doc);
      expect(rows.map((r) => r.id)).toEqual(rowIds);
      expect(rows[2]!.values.nom).toBe('Piscine fermée');
    }
  });

  it('a row added offline during a fold-in keeps its place at the end', () => {
    const { doc: server, rowIds } = placesDataset();
    const offline = loadCopy(server);
    const early = addRow(server, { nom: 'A' }, alice);
    const late = addRow(server, { nom: 'B' }, alice);
    setCell(server, rowIds[0]!, 'cp', '1', alice);
    foldIn(server); // also merges the small chunks
    const fromOffline = addRow(offline, { nom: 'Hors ligne' }, bob);
    exchange(server, offline);
    for (const doc of [server, offline]) {
      expect(readRows(doc).map((r) => r.id)).toEqual([...rowIds, early, late, fromOffline]);
    }
  });

  it('merges runs of small chunks (one per added record) into one', () => {
    const { doc } = placesDataset();
    for (let i = 0; i < 20; i++) addRow(doc, { nom: `lieu ${i}` }, bob);
    expect(chunksArray(doc).length).toBe(21);
    const before = readRows(doc);
    foldIn(doc);
    expect(chunksArray(doc).length).toBe(1);
    expect(readRows(doc)).toEqual(before);
  });

  it('keeps only the first occurrence of a row id that two chunks hold', () => {
    const { doc, rowIds } = placesDataset();
    chunksArray(doc).push([encodeChunk({ f: ['nom'], r: [[rowIds[0]!, 'copie']] })]);
    const before = readRows(doc);
    foldIn(doc);
    expect(readRows(doc)).toEqual(before);
    expect(chunksArray(doc).toArray().join('')).not.toContain('copie');
  });

  it('leaves full chunks alone when they have nothing to absorb', () => {
    const { doc } = placesDataset([]);
    appendRows(
      doc,
      Array.from({ length: CHUNK_SIZE * 2 }, (_, i) => ({ nom: `n${i}` })),
      alice,
    );
    const before = chunksArray(doc).toArray();
    foldIn(doc);
    expect(chunksArray(doc).toArray()).toEqual(before);
  });
});
