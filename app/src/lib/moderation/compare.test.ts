import { acceptProposal, addProposal, createDataset, RowIndex, setCell } from '@datapatch/core';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { acceptableInBulk, bulkAcceptable, compareProposal, textDiff } from './compare.ts';

const owner = { id: 'u1', name: 'Awa' };

describe('a proposal compared field by field', () => {
  it('follows the dataset field order and marks what would change', () => {
    const rows = compareProposal(
      { kind: 'change', base: { cp: '59000', nom: 'Mairie' }, proposed: { cp: '59800', nom: 'Mairie' } },
      { nom: 'Mairie', cp: '59000' },
      ['nom', 'cp'],
    );
    expect(rows.map((r) => [r.field, r.changes, r.conflict])).toEqual([
      ['nom', false, false],
      ['cp', true, false],
    ]);
  });

  it('flags a conflict exactly where core refuses to accept', () => {
    const validated = new Y.Doc();
    const pending = new Y.Doc();
    const { rowIds } = createDataset(
      validated,
      {
        meta: { datasetId: 'd', title: 'D' },
        schema: { fields: [{ name: 'nom' }, { name: 'cp' }, { name: 'tel' }] },
        rows: [{ nom: 'Mairie', cp: '59000', tel: '01' }],
      },
      owner,
    );
    const rowId = rowIds[0] ?? '';
    const p = addProposal(pending, {
      datasetId: 'd',
      kind: 'change',
      rowId,
      base: { nom: 'Mairie', cp: '59000', tel: '01' },
      proposed: { nom: 'Mairie de Lille', cp: '59800', tel: '02' },
    });
    // An editor changed cp since (conflict) and tel to the proposed value (no conflict).
    setCell(validated, rowId, 'cp', '59100', owner);
    setCell(validated, rowId, 'tel', '02', owner);
    const index = new RowIndex(validated);
    const rows = compareProposal(p, index.get(rowId)?.values, ['nom', 'cp', 'tel']);
    const flagged = rows.filter((r) => r.conflict).map((r) => r.field);
    expect(flagged).toEqual(['cp']);
    const result = acceptProposal(validated, pending, p.id, { moderator: owner });
    expect(result).toMatchObject({ ok: false, code: 'conflict', conflicts: [{ field: 'cp' }] });
    expect(acceptableInBulk(rows, new Set())).toBe(false);
    expect(acceptProposal(validated, pending, p.id, { moderator: owner, fields: ['nom', 'tel'] }).ok).toBe(
      true,
    );
  });

  it('a new record has no current value and never conflicts', () => {
    const rows = compareProposal({ kind: 'create', base: {}, proposed: { nom: 'Café' } }, undefined, ['nom']);
    expect(rows).toEqual([
      { field: 'nom', seen: undefined, current: undefined, proposed: 'Café', changes: true, conflict: false },
    ]);
    expect(acceptableInBulk(rows, new Set(['nom']))).toBe(false);
  });

  it('a delete proposal lists the fields the contributor saw', () => {
    const rows = compareProposal(
      { kind: 'delete', base: { nom: 'Mairie' }, proposed: {} },
      { nom: 'Mairie' },
      ['nom'],
    );
    expect(rows).toMatchObject([{ field: 'nom', proposed: null, changes: true, conflict: false }]);
  });
});

describe('the highlighted difference', () => {
  it('isolates the changed span, accents included', () => {
    expect(textDiff('Hotel de ville', 'Hôtel de ville')).toEqual({
      before: 'H',
      removed: 'o',
      added: 'ô',
      after: 'tel de ville',
    });
    expect(textDiff('59000', '59800')).toEqual({ before: '59', removed: '0', added: '8', after: '00' });
    expect(textDiff(null, 'x')).toEqual({ before: '', removed: '', added: 'x', after: '' });
    expect(textDiff('aa', 'aaa')).toEqual({ before: 'aa', removed: '', added: 'a', after: '' });
  });
});

describe('"accept those without conflict"', () => {
  const change = (id: string, rowId: string, proposed: Record<string, string>) => ({
    id,
    kind: 'change',
    rowId,
    proposed,
  });

  it('takes only clean corrections, and none that compete for a cell, so the count is what it accepts', () => {
    const pending = [
      change('a', 'r1', { horaire: '9h-12h' }),
      change('b', 'r1', { horaire: '10h-12h' }), // competes with a
      change('c', 'r1', { adresse: '5 rue X' }), // same record, another cell
      change('d', 'r2', { horaire: '8h-20h' }), // has a conflict
      { id: 'e', kind: 'create', proposed: { adresse: '1 rue Y' } },
    ];
    const taken = bulkAcceptable(pending, (p) => p.id !== 'd');
    expect(taken.map((p) => p.id)).toEqual(['c']);
    expect(bulkAcceptable([], () => true)).toEqual([]);
  });
});
