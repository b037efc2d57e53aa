// Datami custom props on the real PiNG tiers-lieux files (fixtures/datami-ping-tiers-lieux, copies
// of multi-coop/data-ping-tiers-lieux): OUI/NON booleans and "T-O-D" tags judged as their owners meant.
import { readFileSync } from 'node:fs';
import { importFile } from '@datapatch/io';
import { describe, expect, it } from 'vitest';
import { applyCustomProps, compileSchema, type TableSchema, toTableSchema } from './index.ts';

const read = (path: string) => readFileSync(new URL(`../fixtures/${path}`, import.meta.url));
const json = (path: string): unknown => JSON.parse(read(path).toString('utf8'));

const ping = 'datami-ping-tiers-lieux/';
const { schema } = toTableSchema(json(`${ping}Ping-tiers-lieux-schema.json`));
const props = json(`${ping}Ping-tiers-lieux-fields-custom-props.json`);

async function errorsByField(tableSchema: TableSchema) {
  const imported = await importFile(new Uint8Array(read(`${ping}Ping-tiers-lieux-dataset.csv`)), {
    filename: 'Ping-tiers-lieux-dataset.csv',
  });
  if (!imported.ok) throw new Error(imported.error.code);
  const report = compileSchema(tableSchema).validateTable(imported.table.rows, {
    labels: imported.table.fields,
  });
  const counts: Record<string, number> = {};
  for (const e of report.errors) {
    if (e.row === null) continue; // the schema's columns the file lacks (BAN_*, BOOL): same either way
    const key = `${e.field} ${e.code}${e.constraint ? `:${e.constraint}` : ''}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

describe('Datami custom props', () => {
  it('without them, the 162 OUI/NON are type errors and the tags "T-O-D" fail the enum', async () => {
    const counts = await errorsByField(schema);
    expect(counts['FABRIQUE_DE_TERRITOIRE type-error']).toBe(162);
    expect(counts['TYPOLOGIE constraint-error:enum']).toBe(111);
  });

  it('with them, OUI/NON are booleans and each tag meets the enum; what is left is real', async () => {
    const reading = applyCustomProps(schema, props);
    if (!reading.ok) throw new Error(reading.code);
    expect(reading.schema.fields.find((f) => f.name === 'FABRIQUE_DE_TERRITOIRE')).toMatchObject({
      type: 'boolean',
      trueValues: ['OUI'],
      falseValues: ['NON'],
    });
    expect(reading.schema.fields.find((f) => f.name === 'PUBLICS')).toMatchObject({
      type: 'list',
      delimiter: '–',
    });
    expect(reading.notes).toEqual([
      { field: 'SOURCE_codes_temp', change: 'tags-as-list' },
      { field: 'PUBLICS', change: 'tags-as-list' },
      { field: 'TYPOLOGIE', change: 'tags-as-list' },
      { field: 'ESPACES PROPOSÉS', change: 'tags-as-list' },
      { field: 'FABRIQUE_DE_TERRITOIRE', change: 'boolean-values-from-custom-props' },
    ]);
    expect(await errorsByField(reading.schema)).toEqual({
      // Written with an en dash ("FTL – CAPTL – PiNG") where the separator is "-".
      'SOURCE_codes_temp constraint-error:enum': 2,
      // 85 (Vendée) and #N/A: the schema's enum lists 44, 49, 53, 72 only.
      'DEPARTEMENT constraint-error:enum': 20,
      // www.… without http(s)://, trailing spaces, "En cours d'élaboration !", an e-mail address.
      'URL type-error': 19,
      'IMAGE type-error': 3,
    });
  });

  it.each([
    'datami-bfc-ternum/bfc-ternum',
    'datami-rhinocc-inclusion/rhinocc-inclusion',
    'datami-doubs-inclusion/doubs-inclusion-lieux',
  ])('%s: its custom props apply and the schema still compiles', (base) => {
    const { schema: own } = toTableSchema(json(`${base}-schema.json`));
    const reading = applyCustomProps(own, json(`${base}-fields-custom-props.json`));
    if (!reading.ok) throw new Error(reading.code);
    expect(reading.notes.length).toBeGreaterThan(0);
    expect(() => compileSchema(reading.schema)).not.toThrow();
  });

  it('bfc-ternum: its dataset still passes with its tags read as lists', async () => {
    const base = 'datami-bfc-ternum/bfc-ternum';
    const reading = applyCustomProps(
      toTableSchema(json(`${base}-schema.json`)).schema,
      json(`${base}-fields-custom-props.json`),
    );
    if (!reading.ok) throw new Error(reading.code);
    const imported = await importFile(new Uint8Array(read('datami-bfc-ternum/bfc-ternum-dataset.csv')), {
      filename: 'x.csv',
    });
    if (!imported.ok) throw new Error(imported.error.code);
    const report = compileSchema(reading.schema).validateTable(imported.table.rows, {
      labels: imported.table.fields,
    });
    expect(report.errors).toEqual([]);
  });

  it('a file that is not custom props is refused with a code', () => {
    const reading = applyCustomProps(schema, { columns: [] });
    expect(reading.ok ? null : reading.code).toBe('custom-props-invalid');
  });

  it('a list field with an enum checks each item', () => {
    const validator = compileSchema({
      fields: [{ name: 't', type: 'list', delimiter: '-', constraints: { enum: ['T', 'O', 'D'] } }],
    });
    expect(validator.validateRow({ t: 'T-O-D' })).toEqual([]);
    expect(validator.validateRow({ t: 'T-X' }).map((e) => e.constraint)).toEqual(['enum']);
  });
});
