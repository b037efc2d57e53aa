import { importFile } from '@datapatch/io';
import { describe, expect, it } from 'vitest';
import { changesCsv, changesSinceRelease } from './changesSinceRelease.ts';

const base = {
  fields: ['id_fs', 'lib_fs', 'telephone'],
  rows: [
    { id_fs: '1', lib_fs: 'France services de Gex', telephone: '04 50 00 00 01' },
    { id_fs: '2', lib_fs: 'France services de Nantua', telephone: '04 74 00 00 02' },
    { id_fs: '3', lib_fs: 'France services de Belley', telephone: '' },
  ],
};
const dates: Record<string, string> = {
  'r1:telephone': '2023-02-01T10:00:00.000Z',
  r2: '2023-02-03T09:00:00.000Z',
  'r9:lib_fs': '2023-02-04T08:00:00.000Z',
};

describe('changesSinceRelease', () => {
  it('lists each changed field, each filled field of an added record and each removed record, with dates', () => {
    const changes = changesSinceRelease({
      base,
      key: ['id_fs'],
      ours: [
        { id: 'r1', values: { id_fs: ' 01', lib_fs: 'France services de Gex', telephone: '04 50 99 99 99' } },
        {
          id: 'r2',
          values: { id_fs: '2', lib_fs: 'France services de Nantua', telephone: '04 74 00 00 02' },
          deleted: true,
        },
        { id: 'r3', values: { id_fs: '3', lib_fs: 'France services de Belley', telephone: null } },
        { id: 'r9', values: { id_fs: '9', lib_fs: 'France services de Bourg', telephone: '' } },
      ],
      changedAt: (rowId, field) => dates[field ? `${rowId}:${field}` : rowId],
    });
    expect(changes.fields).toEqual([
      'id_fs',
      'operation',
      'champ',
      'valeur_publiee',
      'valeur_corrigee',
      'date',
    ]);
    expect(changes.rows).toEqual([
      {
        id_fs: ' 01',
        operation: 'modification',
        champ: 'telephone',
        valeur_publiee: '04 50 00 00 01',
        valeur_corrigee: '04 50 99 99 99',
        date: '2023-02-01T10:00:00.000Z',
      },
      {
        id_fs: '9',
        operation: 'ajout',
        champ: 'lib_fs',
        valeur_publiee: null,
        valeur_corrigee: 'France services de Bourg',
        date: '2023-02-04T08:00:00.000Z',
      },
      {
        id_fs: '2',
        operation: 'suppression',
        champ: '',
        valeur_publiee: null,
        valeur_corrigee: null,
        date: '2023-02-03T09:00:00.000Z',
      },
    ]);
  });

  it('writes a CSV that reads back to the same changes', async () => {
    const changes = changesSinceRelease({
      base,
      key: ['id_fs'],
      ours: [
        {
          id: 'r1',
          values: { id_fs: '1', lib_fs: 'France services de Gex, "centre"', telephone: '04 50 00 00 01' },
        },
      ],
    });
    const read = await importFile(await changesCsv(changes), { filename: 'changes.csv' });
    if (!read.ok) throw new Error(read.error.code);
    expect(read.table.fields).toEqual(changes.fields);
    expect(read.table.rows[0]).toMatchObject({
      id_fs: '1',
      champ: 'lib_fs',
      valeur_corrigee: 'France services de Gex, "centre"',
    });
    expect(read.table.rows).toHaveLength(3); // the other two records were removed
  });
});
