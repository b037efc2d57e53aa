import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addRow, deleteRow, readCell, readChangelog, restoreRow, setCell } from './edits.ts';
import { RowIndex, readRows } from './row-index.ts';
import { alice, bob, loadCopy, placesDataset } from './test-fixtures.ts';

function sync(a: Y.Doc, b: Y.Doc): void {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
}

describe('editing the validated data', () => {
  it('an edit records who changed what, from which value to which', () => {
    const { doc, rowIds } = placesDataset();
    const id = rowIds[0]!;
    const changeId = setCell(doc, id, 'commune', 'Lille-Centre', bob, { proposalId: 'p1' });
    expect(readCell(doc, id, 'commune')).toBe('Lille-Centre');
    const entry = readChangelog(doc, { rowId: id }).find((e) => e.id === changeId);
    expect(entry).toMatchObject({
      kind: 'set',
      by: bob,
      proposalId: 'p1',
      field: 'commune',
      old: 'Lille',
      new: 'Lille-Centre',
    });
  });

  it('writing the value a cell already holds writes nothing', () => {
    const { doc, rowIds } = placesDataset();
    expect(setCell(doc, rowIds[0]!, 'commune', 'Lille', bob)).toBeUndefined();
    expect(readChangelog(doc)).toHaveLength(1);
  });

  it('refuses unknown rows, unknown fields and invalid values with a code', () => {
    const { doc, rowIds } = placesDataset();
    expect(() => setCell(doc, 'nope', 'commune', 'x', bob)).toThrowError(
      expect.objectContaining({ code: 'unknown-row' }),
    );
    expect(() => setCell(doc, rowIds[0]!, 'nope', 'x', bob)).toThrowError(
      expect.objectContaining({ code: 'unknown-field' }),
    );
    expect(() => setCell(doc, rowIds[0]!, 'lat', Number.POSITIVE_INFINITY, bob)).toThrowError(
      expect.objectContaining({ code: 'invalid-value' }),
    );
  });

  it('concurrent edits of different cells of one row all survive', () => {
    const { doc: a, rowIds } = placesDataset();
    const b = loadCopy(a);
    const id = rowIds[1]!;
    setCell(a, id, 'commune', 'Roubaix-Nord', alice);
    setCell(b, id, 'cp', '59101', bob);
    setCell(b, id, 'ouvert', true, bob);
    sync(a, b);
    for (const doc of [a, b]) {
      expect(readRows(doc)[1]!.values).toMatchObject({
        commune: 'Roubaix-Nord',
        cp: '59101',
        ouvert: true,
        nom: 'Médiathèque',
      });
    }
  });

  it('concurrent edits of one cell pick the same winner everywhere and keep the loser in history', () => {
    const { doc: a, rowIds } = placesDataset();
    const b = loadCopy(a);
    const id = rowIds[2]!;
    setCell(a, id, 'nom', 'Piscine municipale', alice);
    setCell(b, id, 'nom', 'Piscine Wagner', bob);
    sync(a, b);
    const winner = readCell(a, id, 'nom');
    expect(readCell(b, id, 'nom')).toBe(winner);
    expect(['Piscine municipale', 'Piscine Wagner']).toContain(winner);
    const history = readChangelog(b, { rowId: id }).map((e) => e.new);
    expect(history).toEqual(expect.arrayContaining(['Piscine municipale', 'Piscine Wagner']));
  });

  it('a deleted row disappears from the rows and comes back when restored, with its edits', () => {
    const { doc, rowIds } = placesDataset();
    const id = rowIds[0]!;
    setCell(doc, id, 'cp', '59800', bob);
    deleteRow(doc, id, bob);
    expect(readRows(doc).map((r) => r.id)).toEqual(rowIds.slice(1));
    const index = new RowIndex(doc);
    expect(index.isDeleted(id)).toBe(true);
    expect(index.get(id, { includeDeleted: true })!.values.cp).toBe('59800');
    restoreRow(doc, id, alice);
    expect(readRows(doc).map((r) => r.id)).toEqual(rowIds);
    expect(readRows(doc)[0]!.values.cp).toBe('59800');
    expect(readChangelog(doc, { rowId: id }).map((e) => e.kind)).toEqual([
      'create',
      'set',
      'delete',
      'restore',
    ]);
  });

  it('a new record is appended at the end and can be edited at once', () => {
    const { doc, rowIds } = placesDataset();
    const id = addRow(doc, { nom: 'Gare', commune: 'Lille' }, bob);
    expect(rowIds).not.toContain(id);
    setCell(doc, id, 'cp', '59000', bob);
    const rows = readRows(doc);
    expect(rows.at(-1)).toEqual({
      id,
      values: { nom: 'Gare', commune: 'Lille', cp: '59000', lat: null, ouvert: null },
    });
    expect(readChangelog(doc, { rowId: id })[0]).toMatchObject({
      kind: 'create',
      new: { nom: 'Gare', commune: 'Lille' },
    });
  });
});
