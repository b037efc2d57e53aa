import type { Row, TableSchema } from '@datapatch/core';
import { describe, expect, it } from 'vitest';
import { previewSchemaChange } from './schema-preview.ts';

const rows: Row[] = [
  { id: 'r1', values: { nom: 'Gare', places: '4', ville: 'Dole' } },
  { id: 'r2', values: { nom: 'Mairie', places: 'deux', ville: 'Besançon' } },
  { id: 'r3', values: { nom: 'École', places: null, ville: 'Dole' } },
  { id: 'r4', values: { nom: null, places: '12', ville: 'Salins' } },
];
const current: TableSchema = {
  fields: [
    { name: 'nom', type: 'string', constraints: { required: true } },
    { name: 'places', type: 'string' },
    { name: 'ville', type: 'string' },
  ],
};
function withField(name: string, change: Record<string, unknown>): TableSchema {
  return { ...current, fields: current.fields.map((f) => (f.name === name ? { ...f, ...change } : f)) };
}

describe('previewing a schema change', () => {
  it('counts the records the new schema makes invalid, apart from those already invalid', () => {
    const preview = previewSchemaChange(rows, current, withField('places', { type: 'integer' }));
    expect(preview).toMatchObject({ ok: true, total: 4, invalidBefore: 1, invalidAfter: 2, newlyInvalid: 1 });
    if (!preview.ok) return;
    expect(preview.examples).toEqual([
      expect.objectContaining({ rowId: 'r2', field: 'places', value: 'deux' }),
    ]);
  });

  it('a required constraint counts the empty cells; an enum the values outside it', () => {
    const required = previewSchemaChange(
      rows,
      current,
      withField('places', { constraints: { required: true } }),
    );
    expect(required).toMatchObject({ ok: true, newlyInvalid: 1, examples: [{ rowId: 'r3' }] });
    const listed = previewSchemaChange(
      rows,
      current,
      withField('ville', { constraints: { enum: ['Dole', 'Besançon'] } }),
    );
    // r4 (Salins) was already invalid (no name): it is not counted again.
    expect(listed).toMatchObject({ ok: true, invalidAfter: 1, newlyInvalid: 0, examples: [] });
  });

  it('a new optional field makes nothing invalid; a new required one makes every valid record invalid', () => {
    const optional = { ...current, fields: [...current.fields, { name: 'horaires', type: 'string' }] };
    expect(previewSchemaChange(rows, current, optional)).toMatchObject({ ok: true, newlyInvalid: 0 });
    const required = {
      ...current,
      fields: [...current.fields, { name: 'horaires', type: 'string', constraints: { required: true } }],
    };
    expect(previewSchemaChange(rows, current, required)).toMatchObject({ ok: true, newlyInvalid: 3 });
  });

  it('counts each record once, however many of its cells fail', () => {
    const strict = {
      fields: [
        { name: 'nom', type: 'integer' },
        { name: 'places', type: 'integer' },
        { name: 'ville', type: 'integer' },
      ],
    };
    expect(previewSchemaChange(rows, current, strict)).toMatchObject({
      ok: true,
      invalidAfter: 4,
      newlyInvalid: 3,
    });
  });

  it('refuses a schema the validator cannot honour, with its code', () => {
    const broken = withField('nom', { constraints: { pattern: '([a-z' } });
    expect(previewSchemaChange(rows, current, broken)).toEqual({ ok: false, code: 'schema-pattern-invalid' });
  });
});
