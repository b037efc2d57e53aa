import { createDataset, readCell, readChangelog, setCell } from '@datapatch/core';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { historyOf, isImport, putBack, shownValue, valueToPutBack } from './changes.ts';

const awa = { id: 'u1', name: 'Awa', hub: 'Lille' };
const bea = { id: 'u2', name: 'Bea', hub: 'Lyon' };

function dataset() {
  const doc = new Y.Doc();
  const { rowIds } = createDataset(
    doc,
    {
      meta: { datasetId: 'd', title: 'D' },
      schema: { fields: [{ name: 'nom' }, { name: 'cp' }] },
      rows: [
        { nom: 'Mairie', cp: '59000' },
        { nom: 'Piscine', cp: '59100' },
      ],
    },
    awa,
  );
  return { doc, first: rowIds[0] ?? '', second: rowIds[1] ?? '' };
}

describe('history and putting a value back', () => {
  it('lists changes newest first, for the dataset or one record', () => {
    const { doc, first, second } = dataset();
    setCell(doc, first, 'cp', '59800', awa);
    setCell(doc, second, 'nom', 'Piscine municipale', bea);
    expect(historyOf(doc).map((e) => e.kind)).toEqual(['set', 'set', 'create']);
    // The import is the dataset's change: it is not in the history of its first record.
    expect(historyOf(doc, { rowId: first }).map((e) => e.kind)).toEqual(['set']);
    const imported = historyOf(doc).at(-1);
    expect(imported !== undefined && isImport(imported)).toBe(true);
    expect(historyOf(doc).filter(isImport)).toHaveLength(1);
  });

  it('puts the replaced value back as a new, attributed change', () => {
    const { doc, first } = dataset();
    setCell(doc, first, 'cp', '59800', bea);
    const [change] = historyOf(doc, { rowId: first });
    expect(change).toBeDefined();
    expect(valueToPutBack(doc, change!)).toEqual({ field: 'cp', value: '59000' });
    expect(putBack(doc, change!, awa)).toBeTypeOf('string');
    expect(readCell(doc, first, 'cp')).toBe('59000');
    const last = readChangelog(doc).at(-1);
    expect(last).toMatchObject({ kind: 'set', field: 'cp', old: '59800', new: '59000', by: awa });
    // Already back: nothing more to put back.
    expect(valueToPutBack(doc, change!)).toBeNull();
    expect(putBack(doc, change!, awa)).toBeNull();
  });

  it('offers nothing to put back for imports', () => {
    const { doc } = dataset();
    const [created] = historyOf(doc);
    expect(valueToPutBack(doc, created!)).toBeNull();
    expect(shownValue({ nom: 'Mairie', cp: null })).toBe('nom: Mairie');
  });
});

describe('batches in the history', () => {
  it('shows the changes of one upstream release as one line, and its undo as another', async () => {
    const { historyItems } = await import('./changes.ts');
    const { addRow, undoBatch } = await import('@datapatch/core');
    const { doc, first, second } = dataset();
    const batch = { id: 'release-2', origin: 'upstream' as const };
    doc.transact(() => {
      setCell(doc, first, 'cp', '59800', awa, { batch });
      setCell(doc, second, 'cp', '59110', awa, { batch });
      addRow(doc, { nom: 'Gare', cp: '59000' }, awa, { batch });
    });
    setCell(doc, first, 'nom', 'Hôtel de ville', bea);
    const before = historyItems(doc);
    expect(before.map((i) => i.kind)).toEqual(['entry', 'batch', 'entry']);
    expect(before[1]).toMatchObject({
      kind: 'batch',
      id: 'release-2',
      origin: 'upstream',
      fields: 2,
      added: 1,
    });
    expect(before[1]).not.toHaveProperty('undoneBy');

    const undone = undoBatch(doc, 'release-2', bea);
    if (!undone.ok) throw new Error(undone.code);
    const after = historyItems(doc);
    expect(after[0]).toMatchObject({ kind: 'batch', origin: 'undo', id: undone.batchId });
    expect(after[0]?.kind === 'batch' && after[0].entries).toHaveLength(3);
    expect(after.find((i) => i.kind === 'batch' && i.id === 'release-2')).toMatchObject({
      undoneBy: undone.batchId,
    });
  });
});
