import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readSchema } from './index.ts';

const fixture = (path: string): unknown =>
  JSON.parse(readFileSync(new URL(`../fixtures/${path}`, import.meta.url), 'utf8'));

describe('readSchema: the kind of a schema document', () => {
  it.each([
    ['dae/schema.json', 'table-schema'],
    ['stationnement/schema.json', 'table-schema'],
    ['datami-ping-tiers-lieux/Ping-tiers-lieux-schema.json', 'datami-fields'],
    // pydantic-generated, no $schema: `$defs` and `type: object` with `properties`.
    ['data-inclusion-schema/v1/structure.json', 'json-schema'],
    ['data-inclusion-schema/v1/service.json', 'json-schema'],
    // draft-07, an array of records.
    ['data-inclusion-schema/v0-2022-06/structures.json', 'json-schema'],
  ])('%s is a %s', (path, kind) => {
    const read = readSchema(fixture(path));
    expect(read.ok && read.kind).toBe(kind);
  });

  it.each([
    ['{}', {}],
    ['no field in the list', { fields: [] }],
    ['an empty Datami list', []],
  ])('%s is refused as describing no field', (_, json) => {
    const read = readSchema(json);
    expect(read.ok).toBe(false);
    if (!read.ok) {
      expect(read.code).toBe('schema-no-fields');
      expect(read.message.fr).toContain('aucun champ');
    }
  });

  it.each([
    [
      'a draft-04 JSON Schema',
      { $schema: 'http://json-schema.org/draft-04/schema#', type: 'object', properties: { a: {} } },
    ],
    ['a Data Package', { resources: [{ path: 'x.csv' }] }],
    ['a schema of one string', { type: 'string' }],
    ['a number', 42],
    ['fields that are not a list', { fields: { a: 1 } }],
    ['a list of non-fields', [1, 2]],
  ])('%s is a kind this validator does not support, said with a stable code', (_, json) => {
    const read = readSchema(json);
    expect(read.ok ? read.kind : read.code).toBe('schema-kind-unsupported');
    if (!read.ok) expect(read.message.en).toMatch(/not supported/);
  });
});

describe('readSchema: a JSON Schema becomes fields a form can use, the JSON Schema kept for imports', () => {
  const json = fixture('data-inclusion-schema/v1/structure.json') as Record<string, unknown>;
  const read = readSchema(json);
  if (!read.ok) throw new Error(read.code);
  const field = (name: string) => read.schema.fields.find((f) => f.name === name);

  it('one field per property, in the order written, the JSON Schema under jsonSchema', () => {
    expect(read.schema.fields.map((f) => f.name)).toEqual(Object.keys(json.properties as object));
    expect(read.schema.jsonSchema).toBe(json);
  });

  it('anyOf [X, null] is an optional X; required properties are required fields', () => {
    expect(field('code_postal')).toMatchObject({
      type: 'string',
      constraints: { pattern: '^\\d{5}$', minLength: 5, maxLength: 5 },
    });
    expect(field('code_postal')?.constraints?.required).toBeUndefined();
    expect(field('nom')).toMatchObject({
      type: 'string',
      constraints: { required: true, minLength: 3, maxLength: 150 },
    });
    expect(field('date_maj')).toMatchObject({ type: 'date', constraints: { required: true } });
    expect(field('latitude')?.type).toBe('number');
    expect(field('site_web')).toMatchObject({ type: 'string', format: 'uri' });
    expect(field('courriel')).toMatchObject({ type: 'string', format: 'email' });
  });

  it('rules a field cannot carry (an enum per array item, uniqueItems) are noted, checked on import', () => {
    expect(field('reseaux_porteurs')?.type).toBe('array');
    expect(read.notes).toEqual([
      { field: 'reseaux_porteurs', change: 'json-schema-rules-checked-on-import' },
    ]);
  });

  it('an enum through $ref becomes the field enum (service.frais)', () => {
    const service = readSchema(fixture('data-inclusion-schema/v1/service.json'));
    if (!service.ok) throw new Error(service.code);
    expect(service.schema.fields.find((f) => f.name === 'frais')?.constraints?.enum).toEqual([
      'gratuit',
      'payant',
    ]);
  });
});
