import { describe, expect, it } from 'vitest';
import { applyCustomPropsFile, readSchemaFile } from './schema-file.ts';

describe('readSchemaFile', () => {
  it('reads a JSON Schema into fields and keeps it for the server', () => {
    const jsonSchema = {
      type: 'object',
      properties: {
        nom: { type: 'string', minLength: 3 },
        cp: { anyOf: [{ type: 'string', pattern: '^\\d{5}$' }, { type: 'null' }] },
      },
      required: ['nom'],
    };
    const read = readSchemaFile(JSON.stringify(jsonSchema));
    expect(read).toMatchObject({ ok: true, kind: 'json-schema' });
    if (!read.ok) return;
    expect(read.schema.fields.map((f) => [f.name, f.type, f.constraints?.required ?? false])).toEqual([
      ['nom', 'string', true],
      ['cp', 'string', false],
    ]);
    expect(read.schema.jsonSchema).toEqual(jsonSchema);
  });

  it.each([
    ['{not json', 'not-json'],
    ['{}', 'no-fields'],
    ['{"fields": []}', 'no-fields'],
    ['{"resources": []}', 'kind-unsupported'],
  ])('%s is refused: %s', (text, reason) => {
    expect(readSchemaFile(text)).toMatchObject({ ok: false, reason });
  });
});

describe('applyCustomPropsFile', () => {
  const schema = {
    fields: [
      { name: 'FABRIQUE', type: 'boolean' },
      { name: 'TYPOLOGIE', type: 'string', constraints: { enum: ['T', 'O', 'D', 'C'] } },
    ],
  };
  it('makes OUI/NON booleans and tags lists, with notes', () => {
    const props = {
      fields: [
        { name: 'FABRIQUE', booleanOptions: { true: { value: 'OUI' }, false: { value: 'NON' } } },
        { name: 'TYPOLOGIE', subtype: 'tags', tagSeparator: '-' },
      ],
    };
    const read = applyCustomPropsFile(schema, JSON.stringify(props));
    expect(read).toMatchObject({
      ok: true,
      schema: {
        fields: [
          { name: 'FABRIQUE', type: 'boolean', trueValues: ['OUI'], falseValues: ['NON'] },
          { name: 'TYPOLOGIE', type: 'list', delimiter: '-' },
        ],
      },
    });
  });
  it('refuses a file that is not custom props', () => {
    expect(applyCustomPropsFile(schema, '[1]')).toMatchObject({ ok: false, reason: 'custom-props-invalid' });
    expect(applyCustomPropsFile(schema, 'x')).toMatchObject({ ok: false, reason: 'custom-props-invalid' });
  });
});
