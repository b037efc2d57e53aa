// JSON Schema validation on the data·inclusion schemas (fixtures/data-inclusion-schema, copies of
// gip-inclusion/data-inclusion-schema): the same per-cell report as a Table Schema.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importFile } from '@datapatch/io';
import { describe, expect, it } from 'vitest';
import { compileJsonSchema, compileRowsValidator, readSchema, SchemaError } from './server.ts';

const fixtures = new URL('../fixtures/data-inclusion-schema/', import.meta.url);
const json = (path: string) => JSON.parse(readFileSync(new URL(path, fixtures), 'utf8'));

async function validate(schema: unknown, bytes: Uint8Array, filename: string) {
  const read = readSchema(schema);
  if (!read.ok) throw new Error(read.code);
  const imported = await importFile(bytes, { filename });
  if (!imported.ok) throw new Error(imported.error.code);
  return compileRowsValidator(read.schema).validateTable(imported.table.rows, {
    labels: imported.table.fields,
  });
}
const text = (s: string) => new TextEncoder().encode(s);
const summary = (report: Awaited<ReturnType<typeof validate>>) =>
  report.errors.map((e) => [e.row, e.field, e.code, e.constraint ?? null]);

describe('the data·inclusion schema is validated as a JSON Schema', () => {
  it.each(['001.json', '002.json', '003.json'])(
    'v0 (draft-07, an array of records): valid example %s passes',
    async (name) => {
      const bytes = readFileSync(new URL(`v0-2022-06/examples/valid/${name}`, fixtures));
      const report = await validate(json('v0-2022-06/structures.json'), new Uint8Array(bytes), name);
      expect(summary(report)).toEqual([]);
    },
  );

  const structure = json('v1/structure.json');
  const record = { source: 'dora', id: 'dora--1', nom: 'Centre social Le Tournesol', date_maj: '2025-02-14' };

  it('v1 structure (2020-12, $defs): a valid record passes, with no column "not in the schema"', async () => {
    const rows = [{ ...record, code_postal: '75001', reseaux_porteurs: ['mission-locale'], latitude: 48.85 }];
    const report = await validate(structure, text(JSON.stringify(rows)), 's.json');
    expect(summary(report)).toEqual([]);
  });

  it('v1 structure: every broken rule is one error on its cell, with the same codes as Table Schema', async () => {
    const rows = [
      {
        ...record,
        nom: 'CS',
        date_maj: '14/02/2025',
        code_postal: '7500',
        reseaux_porteurs: ['mission-locale', 'pas-un-reseau'],
        latitude: 'nord',
        site_web: 'javascript:alert(1)',
        courriel: 'a@@b.fr',
      },
      {
        source: 'dora',
        id: 'dora--3',
        date_maj: '2025-02-14',
        siret: '123',
        reseaux_porteurs: ['caf', 'caf'],
      },
    ];
    const report = await validate(structure, text(JSON.stringify(rows)), 's.json');
    expect(summary(report)).toEqual([
      [1, 'code_postal', 'constraint-error', 'minLength'],
      [1, 'code_postal', 'constraint-error', 'pattern'],
      [1, 'courriel', 'type-error', null],
      [1, 'date_maj', 'type-error', null],
      // anyOf [number, null]: one type error, not one per alternative.
      [1, 'latitude', 'type-error', null],
      [1, 'nom', 'constraint-error', 'minLength'],
      [1, 'reseaux_porteurs', 'constraint-error', 'enum'],
      [1, 'site_web', 'type-error', null],
      [2, 'nom', 'constraint-error', 'required'],
      [2, 'reseaux_porteurs', 'constraint-error', 'uniqueItems'],
      [2, 'siret', 'constraint-error', 'minLength'],
      [2, 'siret', 'constraint-error', 'pattern'],
    ]);
    const item = report.errors.find((e) => e.constraint === 'enum');
    expect(item?.message.fr).toContain('élément 1 : "pas-un-reseau"');
    // A vocabulary of a hundred values is named by its first ones.
    expect(item?.message.en.length).toBeLessThan(400);
    expect(report.errors.find((e) => e.field === 'latitude')?.message.fr).toBe(
      '« latitude » : la valeur doit être un nombre.',
    );
  });

  it('CSV cells are typed as the schema says when unambiguous: numbers, JSON arrays; text stays text', async () => {
    const csv = [
      'source,id,nom,date_maj,code_postal,latitude,reseaux_porteurs',
      'dora,dora--1,Centre social,2025-02-14,07500,48.85,"[""caf""]"',
      'dora,dora--2,Centre,2025-02-14,,abc,caf',
    ].join('\n');
    const report = await validate(structure, text(csv), 's.csv');
    // "07500" stays text (the schema wants text); an empty cell is no value, not an empty string.
    expect(summary(report)).toEqual([
      [2, 'latitude', 'type-error', null],
      [2, 'reseaux_porteurs', 'type-error', null],
    ]);
  });

  it('a required column the file lacks is one missing-label, not a required error per row', async () => {
    const report = await validate(
      structure,
      text('source,id,date_maj\ndora,a,2025-01-01\ndora,b,2025-01-01\n'),
      's.csv',
    );
    expect(summary(report)).toEqual([[null, 'nom', 'missing-label', null]]);
  });
});

describe('compileJsonSchema', () => {
  it('a closed record (additionalProperties: false) reports other columns once as extra-label', () => {
    const validator = compileJsonSchema({
      type: 'object',
      properties: { a: { type: 'integer', minimum: 1 } },
      additionalProperties: false,
    });
    const report = validator.validateTable(
      [
        { a: '0', b: 'x' },
        { a: '2', b: 'y' },
      ],
      { labels: ['a', 'b'] },
    );
    expect(report.errors.map((e) => [e.row, e.field, e.code, e.constraint ?? null])).toEqual([
      [null, 'b', 'extra-label', null],
      [1, 'a', 'constraint-error', 'minimum'],
    ]);
  });

  it('a schema Ajv cannot compile throws SchemaError schema-invalid', () => {
    expect(() => compileJsonSchema({ type: 'object', properties: { a: { type: 'strin' } } })).toThrow(
      SchemaError,
    );
  });

  it('blank rows are reported once, as with Table Schema', () => {
    const validator = compileJsonSchema({
      type: 'object',
      properties: { a: { type: 'string' } },
      required: ['a'],
    });
    expect(validator.validateTable([{ a: '' }], { labels: ['a'] }).errors.map((e) => e.code)).toEqual([
      'blank-row',
    ]);
  });
});

// Every JSON example under ../shared/data/data-inclusion-schema. Skipped in a fresh clone, which
// has no ../shared (set DATAPATCH_SHARED_DATA to point elsewhere); the committed fixtures above
// cover the same schemas in every run.
const shared = join(
  process.env.DATAPATCH_SHARED_DATA ?? new URL('../../../../shared/data/', import.meta.url).pathname,
  'data-inclusion-schema',
);
describe.skipIf(!existsSync(shared))('every data·inclusion example in ../shared/data', () => {
  const dir = join(shared, 'v0-2022-06/examples/valid');
  const names = existsSync(dir) ? readdirSync(dir).filter((n) => n.endsWith('.json')) : [];
  it.each(names)('v0 valid %s passes', async (name) => {
    const schema = JSON.parse(readFileSync(join(shared, 'v0-2022-06/structures.json'), 'utf8'));
    const report = await validate(schema, new Uint8Array(readFileSync(join(dir, name))), name);
    expect(summary(report)).toEqual([]);
  });
});
