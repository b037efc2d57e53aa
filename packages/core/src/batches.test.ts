import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { batchEntries, batchUndoneBy, undoBatch } from './batches.ts';
import { createDataset } from './dataset.ts';
import { addRow, isRowDeleted, readCell, readChangelog, setCell } from './edits.ts';
import type { ChangeBatch } from './types.ts';

const hub = { id: 'u1', name: 'Awa' };
const other = { id: 'u2', name: 'Bea' };

function dataset() {
  const doc = new Y.Doc();
  const { rowIds } = createDataset(
    doc,
    {
      meta: { datasetId: 'd', title: 'D' },
      schema: { fields: [{ name: 'nom' }, { name: 'tel' }] },
      rows: [
        { nom: 'Mairie', tel: '01' },
        { nom: 'Poste', tel: '02' },
      ],
    },
    hub,
  );
  return { doc, a: rowIds[0]!, b: rowIds[1]! };
}

describe('batches', () => {
  it('undoes a whole batch as one new batch: values back, added records deleted', () => {
    const { doc, a, b } = dataset();
    const batch: ChangeBatch = { id: 'release-2', origin: 'upstream' };
    let added = '';
    doc.transact(() => {
      setCell(doc, a, 'tel', '11', hub, { batch });
      setCell(doc, b, 'nom', 'La Poste', hub, { batch });
      added = addRow(doc, { nom: 'Gare', tel: '03' }, hub, { batch });
    });
    expect(batchEntries(doc, 'release-2')).toHaveLength(3);
    const result = undoBatch(doc, 'release-2', other);
    expect(result).toMatchObject({ ok: true, undone: 3, skipped: [] });
    expect(readCell(doc, a, 'tel')).toBe('01');
    expect(readCell(doc, b, 'nom')).toBe('Poste');
    expect(isRowDeleted(doc, added)).toBe(true);
    if (!result.ok) throw new Error('undo failed');
    expect(batchUndoneBy(doc, 'release-2')).toBe(result.batchId);
    expect(readChangelog(doc).at(-1)).toMatchObject({
      kind: 'undo',
      by: other,
      batch: { origin: 'undo', undoes: 'release-2' },
    });
  });

  it('leaves alone what someone changed after the batch, and says so', () => {
    const { doc, a, b } = dataset();
    const batch: ChangeBatch = { id: 'release-2', origin: 'upstream' };
    setCell(doc, a, 'tel', '11', hub, { batch });
    setCell(doc, b, 'tel', '12', hub, { batch });
    setCell(doc, a, 'tel', '99', other);
    const result = undoBatch(doc, 'release-2', hub);
    expect(result).toMatchObject({
      ok: true,
      undone: 1,
      skipped: [{ rowId: a, field: 'tel', current: '99' }],
    });
    expect(readCell(doc, a, 'tel')).toBe('99');
    expect(readCell(doc, b, 'tel')).toBe('02');
  });

  it('undoes a batch once, and knows no batch it never wrote', () => {
    const { doc, a } = dataset();
    setCell(doc, a, 'tel', '11', hub, { batch: { id: 'x', origin: 'upstream' } });
    expect(undoBatch(doc, 'x', hub).ok).toBe(true);
    expect(undoBatch(doc, 'x', hub)).toEqual({ ok: false, code: 'already-undone' });
    expect(undoBatch(doc, 'nope', hub)).toEqual({ ok: false, code: 'not-found' });
  });
});
