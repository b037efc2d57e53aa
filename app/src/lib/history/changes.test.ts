import { createDataset, readCell, readChangelog, setCell } from '@datapatch/core';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { historyOf, putBack, shownValue, valueToPutBack } from './changes.ts';

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
    // The import batch is named by its first record.
    expect(historyOf(doc, { rowId: first }).map((e) => e.kind)).toEqual(['set', 'create']);
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
