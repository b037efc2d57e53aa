import { createDataset, readCell, readChangelog, setCell } from '@datapatch/core';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { OwnUndo } from './own-undo.ts';

const awa = { id: 'u1', name: 'Awa' };
const bea = { id: 'u2', name: 'Bea' };

function dataset() {
  const doc = new Y.Doc();
  const { rowIds } = createDataset(
    doc,
    {
      meta: { datasetId: 'd', title: 'D' },
      schema: { fields: [{ name: 'nom' }, { name: 'cp' }] },
      rows: [{ nom: 'Mairie', cp: '59000' }],
    },
    awa,
  );
  return { doc, row: rowIds[0] ?? '' };
}

describe('undo and redo of my own edits', () => {
  it('puts my previous value back and forth, each step in the changelog', () => {
    const { doc, row } = dataset();
    const mine = new OwnUndo(doc, awa);
    expect(mine.set(row, 'cp', '59800')).toBe(true);
    expect(mine.undo()).toMatchObject({ ok: true });
    expect(readCell(doc, row, 'cp')).toBe('59000');
    expect(mine.redo()).toMatchObject({ ok: true });
    expect(readCell(doc, row, 'cp')).toBe('59800');
    expect(readChangelog(doc).filter((e) => e.kind === 'set')).toHaveLength(3);
  });

  it('never undoes over a value someone else wrote since', () => {
    const { doc, row } = dataset();
    const mine = new OwnUndo(doc, awa);
    mine.set(row, 'cp', '59800');
    setCell(doc, row, 'cp', '59100', bea);
    expect(mine.undo()).toMatchObject({ ok: false, code: 'changed-since' });
    expect(readCell(doc, row, 'cp')).toBe('59100');
    expect(mine.undo()).toEqual({ ok: false, code: 'nothing' });
  });

  it('a new edit clears what could be redone; an edit to the same value is not remembered', () => {
    const { doc, row } = dataset();
    const mine = new OwnUndo(doc, awa);
    mine.set(row, 'nom', 'Hôtel de ville');
    mine.undo();
    expect(mine.canRedo).toBe(true);
    mine.set(row, 'cp', '59800');
    expect(mine.canRedo).toBe(false);
    expect(mine.set(row, 'cp', '59800')).toBe(false);
  });
});
