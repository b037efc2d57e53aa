import { describe, expect, it } from 'vitest';
import { summariseImport } from './import-report.ts';

describe('the import report an owner reads', () => {
  it('counts schema errors per column, most first, with an example in the language', () => {
    const summary = summariseImport(
      {
        datasetId: 'fs',
        created: true,
        rowsImported: 3,
        importReport: {
          format: 'csv',
          encoding: 'windows-1252',
          separator: ';',
          repairCount: 2,
          renamedHeaders: [{}],
        },
        validation: {
          errorCount: 3,
          errors: [
            { field: 'cp', message: { fr: 'cp invalide', en: 'bad cp' } },
            { field: 'tel', message: { fr: 'tel invalide', en: 'bad tel' } },
            { field: 'cp', message: { fr: 'cp invalide 2', en: 'bad cp 2' } },
          ],
        },
      },
      'fr',
    );
    expect(summary).toMatchObject({
      rowsImported: 3,
      encoding: 'windows-1252',
      separator: ';',
      repairCount: 2,
      renamedHeaders: 1,
    });
    expect(summary?.errorsByField).toEqual([
      { field: 'cp', count: 2, example: 'cp invalide' },
      { field: 'tel', count: 1, example: 'tel invalide' },
    ]);
  });

  it('an answer without a dataset id is not a report', () => {
    expect(summariseImport({ error: { code: 'x' } }, 'en')).toBeNull();
  });
});
