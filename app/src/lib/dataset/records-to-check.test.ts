import { compileSchema } from '@datapatch/schema';
import { createStore } from 'tinybase/store';
import { describe, expect, it, vi } from 'vitest';
import { ROWS_TABLE } from '../readmodel/feed.ts';
import { cellProblems, LiveRecordsToCheck, recordsToCheck } from './records-to-check.ts';

const validator = compileSchema({
  fields: [
    { name: 'nom', title: 'Nom', constraints: { required: true } },
    { name: 'cp', title: 'Code postal', constraints: { pattern: '^750[0-2][0-9]$' } },
  ],
  missingValues: [''],
});
const titles = new Map([
  ['nom', 'Nom'],
  ['cp', 'Code postal'],
]);

describe('records to check', () => {
  it('lists only the records whose cells break the schema, in the field’s words', () => {
    const found = recordsToCheck(
      [
        ['a', { nom: 'Mairie', cp: '75001' }],
        ['b', { nom: 'Gare', cp: '7501' }],
        ['c', { nom: '', cp: '75002' }],
      ],
      validator,
      titles,
    );
    expect(found.map((r) => r.rowId)).toEqual(['b', 'c']);
    expect(found[0]?.problems).toEqual([
      {
        field: 'cp',
        message: {
          fr: '« Code postal » : la valeur doit compter 5 chiffres (exemple : 75000).',
          en: '"Code postal": the value must have 5 digits (example: 75000).',
        },
      },
    ]);
  });

  it('a value an editor types is judged on its own cell only', () => {
    const row = { nom: '', cp: 'abc' };
    expect(cellProblems(row, 'cp', validator, 'Code postal').map((m) => m.fr)).toEqual([
      '« Code postal » : la valeur doit compter 5 chiffres (exemple : 75000).',
    ]);
    expect(cellProblems({ nom: 'Mairie', cp: '75001' }, 'cp', validator, 'Code postal')).toEqual([]);
  });
});

describe('live records to check', () => {
  it('follows the store row by row: a fixed record leaves, a broken one comes, a deleted one goes', () => {
    const store = createStore().setTable(ROWS_TABLE, {
      a: { nom: 'Mairie', cp: '75001' },
      b: { nom: 'Gare', cp: '7501' },
      c: { nom: 'Poste', cp: '75002' },
    });
    const counted = compileSchema({
      fields: [
        { name: 'nom', title: 'Nom', constraints: { required: true } },
        { name: 'cp', title: 'Code postal', constraints: { pattern: '^750[0-2][0-9]$' } },
      ],
      missingValues: [''],
    });
    const validateRow = vi.spyOn(counted, 'validateRow');
    const live = new LiveRecordsToCheck(store, counted, titles);
    expect(live.list().map((r) => r.rowId)).toEqual(['b']);
    expect(validateRow).toHaveBeenCalledTimes(3);

    store.setCell(ROWS_TABLE, 'b', 'cp', '75010');
    store.setCell(ROWS_TABLE, 'c', 'cp', '750');
    expect(live.list().map((r) => r.rowId)).toEqual(['c']);
    // Only the two changed rows were validated again.
    expect(validateRow).toHaveBeenCalledTimes(5);

    store.delRow(ROWS_TABLE, 'c');
    expect(live.list()).toEqual([]);
    live.destroy();
    // Destroyed: it no longer listens to the store.
    store.setCell(ROWS_TABLE, 'a', 'cp', 'x');
    expect(live.list()).toEqual([]);
  });
});
