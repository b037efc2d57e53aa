import { describe, expect, it } from 'vitest';
import { compileSchema, type Field, type Row, SchemaError } from './index.ts';

/** The error codes (and constraint) one value gets in a one-field schema. */
function check(field: Omit<Field, 'name'>, value: Row[string]) {
  const validator = compileSchema({ fields: [{ name: 'f', ...field }] });
  return validator
    .validateRow({ f: value })
    .map((e) => (e.constraint ? `${e.code}:${e.constraint}` : e.code));
}

describe('field types and formats', () => {
  it.each<[Omit<Field, 'name'>, string[], string[]]>([
    [{ type: 'string', format: 'email' }, ['a@b.fr'], ['a@b', 'pas un mail']],
    [
      { type: 'string', format: 'uri' },
      ['https://x.fr/a', 'http://x.fr', 'HTTPS://x.fr/a?b=c#d'],
      // Only web links: a `uri` value becomes a link citizens click (issue 14).
      [
        'x.fr',
        'a b',
        'javascript:alert(1)',
        'JavaScript://x.fr/%0aalert(1)',
        'data:text/html,<b>',
        'mailto:a@b.fr',
        'file:///etc/passwd',
        'htp://x.fr',
        'https://',
        'https:///x',
      ],
    ],
    [{ type: 'string', format: 'uuid' }, ['0f8fad5b-d9cb-469f-a165-70867728950e'], ['0f8fad5b']],
    [{ type: 'string', format: 'binary' }, ['aGVsbG8='], ['a%b']],
    [{ type: 'number' }, ['1', '-1.5', '1e3', '.5', 'NaN', 'INF'], ['1,5', 'abc', '1.2.3']],
    [{ type: 'number', decimalChar: ',', groupChar: ' ' }, ['1 234,5'], ['1.5']],
    [{ type: 'number', bareNumber: false }, ['12 €', '95%'], ['€']],
    [{ type: 'integer' }, ['42', '-7'], ['4.2', 'x']],
    [{ type: 'boolean' }, ['true', 'FALSE', '1', '0'], ['oui', 'yes']],
    [{ type: 'boolean', trueValues: ['oui'], falseValues: ['non'] }, ['oui', 'non'], ['true']],
    [{ type: 'object' }, ['{"a":1}'], ['[1]', '{']],
    [{ type: 'array' }, ['[1,2]'], ['{"a":1}']],
    [{ type: 'list', itemType: 'integer' }, ['1,2,3'], ['1,a']],
    [{ type: 'date' }, ['2024-02-29'], ['2023-02-29', '29/02/2024']],
    [{ type: 'date', format: '%d/%m/%Y' }, ['29/02/2024'], ['2024-02-29']],
    [{ type: 'date', format: 'any' }, ['2024-02-29', '1/3/2024'], ['hier']],
    [{ type: 'time' }, ['09:30:00'], ['25:00:00', '9h30']],
    [{ type: 'datetime' }, ['2024-01-31T10:00:00Z', '2024-01-31T10:00:00+01:00'], ['2024-01-31 10:00']],
    [{ type: 'year' }, ['2024'], ['24']],
    [{ type: 'yearmonth' }, ['2024-12'], ['2024-13']],
    [{ type: 'duration' }, ['P1Y2M', 'PT36H'], ['P', '1Y']],
    [{ type: 'geopoint' }, ['2.35, 48.85', '2.35,48.85'], ['48.85', '200, 10']],
    [{ type: 'geopoint', format: 'array' }, ['[2.35, 48.85]'], ['2.35, 48.85']],
    [{ type: 'geopoint', format: 'object' }, ['{"lon": 2.35, "lat": 48.85}'], ['{"lon": 2.35}']],
    [{ type: 'geojson' }, ['{"type":"Point","coordinates":[1,2]}'], ['{"coordinates":[1,2]}']],
    [{ type: 'any' }, ['tout', '{'], []],
  ])('%j', (field, good, bad) => {
    for (const value of good) expect(check(field, value), value).toEqual([]);
    for (const value of bad) expect(check(field, value), value).toEqual(['type-error']);
  });
});

describe('constraints', () => {
  it('required: empty and missing values, with the schema-wide missingValues', () => {
    expect(check({ constraints: { required: true } }, '')).toEqual(['constraint-error:required']);
    expect(check({ constraints: { required: true } }, null)).toEqual(['constraint-error:required']);
    const validator = compileSchema({
      fields: [{ name: 'f', constraints: { required: true } }],
      missingValues: ['', 'NA'],
    });
    expect(validator.validateRow({ f: 'NA' })[0]?.constraint).toBe('required');
    expect(validator.validateRow({})[0]?.code).toBe('missing-cell');
  });

  it.each<[Omit<Field, 'name'>, string, string[]]>([
    [{ constraints: { enum: ['a', 'b'] } }, 'c', ['constraint-error:enum']],
    [{ type: 'integer', constraints: { enum: [1, 2] } }, '01', []],
    [{ constraints: { pattern: '\\d{5}' } }, '750010', ['constraint-error:pattern']],
    [{ constraints: { pattern: '\\d{5}' } }, '75001', []],
    [{ type: 'number', constraints: { minimum: 0 } }, '-1', ['constraint-error:minimum']],
    [{ type: 'number', constraints: { maximum: 90 } }, '90', []],
    [{ type: 'number', constraints: { exclusiveMaximum: 90 } }, '90', ['constraint-error:exclusiveMaximum']],
    [{ type: 'date', constraints: { minimum: '2020-01-01' } }, '2019-12-31', ['constraint-error:minimum']],
    [{ constraints: { minLength: 2, maxLength: 3 } }, 'abcd', ['constraint-error:maxLength']],
    [{ type: 'array', constraints: { minLength: 2 } }, '[1]', ['constraint-error:minLength']],
  ])('%j on %s', (field, value, codes) => {
    expect(check(field, value)).toEqual(codes);
  });

  it('unique and primaryKey across the table, after casting', () => {
    const validator = compileSchema({
      fields: [
        { name: 'id', type: 'integer' },
        { name: 'code', constraints: { unique: true } },
      ],
      primaryKey: 'id',
    });
    const report = validator.validateTable([
      { id: '1', code: 'a' },
      { id: '01', code: 'b' },
      { id: '2', code: 'a' },
      { id: '', code: 'c' },
    ]);
    expect(report.errors.map((e) => [e.row, e.code, e.constraint ?? null])).toEqual([
      [2, 'primary-key-error', null],
      [3, 'unique-error', null],
      [4, 'constraint-error', 'required'],
    ]);
  });

  it('a proposal is checked against the values the dataset already uses, its own old values excepted', () => {
    const validator = compileSchema({
      fields: [{ name: 'id' }, { name: 'siret', constraints: { unique: true } }],
      primaryKey: 'id',
    });
    const rows = [
      { id: 'a', siret: '1' },
      { id: 'b', siret: '2' },
    ];
    const index = validator.uniqueIndex(rows);
    expect(index.errorsFor({ id: 'c', siret: '3' })).toEqual([]);
    expect(index.errorsFor({ id: 'a', siret: '2' }).map((e) => e.code)).toEqual([
      'unique-error',
      'primary-key-error',
    ]);
    // Editing row b: keeping its own id and siret is no conflict, taking a's siret is.
    expect(index.errorsFor({ id: 'b', siret: '2' }, { replacing: rows[1] })).toEqual([]);
    expect(index.errorsFor({ id: 'b', siret: '1' }, { replacing: rows[1] }).map((e) => e.field)).toEqual([
      'siret',
    ]);
  });

  it('a blank row is one blank-row error, not one error per required cell', () => {
    const validator = compileSchema({
      fields: [{ name: 'a', constraints: { required: true } }, { name: 'b' }],
    });
    expect(validator.validateTable([{ a: '', b: '' }]).errors.map((e) => e.code)).toEqual(['blank-row']);
  });
});

describe('reports users read', () => {
  it('every error carries the row, the field, the value and a French and English message', () => {
    const validator = compileSchema({
      fields: [{ name: 'code_postal', constraints: { pattern: '\\d{5}' } }],
    });
    const [error] = validator.validateRow({ code_postal: '7500' }, 12);
    expect(error).toMatchObject({ row: 12, field: 'code_postal', value: '7500', code: 'constraint-error' });
    expect(error?.message.fr).toContain('code_postal');
    // The pattern in words, never the regular expression.
    expect(error?.message.en).toContain('5 digits');
    expect(error?.message.fr).not.toContain('\\d');
  });

  it('a yes/no error lists the spellings the field accepts', () => {
    const validator = compileSchema({
      fields: [{ name: 'acc_lib', type: 'boolean', trueValues: ['oui'], falseValues: ['non'] }],
    });
    const [error] = validator.validateRow({ acc_lib: 'ouie' });
    expect(error?.message.fr).toContain('oui / non');
    expect(error?.message.en).toContain('oui / non');
  });

  it('castRow gives typed values for the server and the app', () => {
    const validator = compileSchema({
      fields: [
        { name: 'n', type: 'number' },
        { name: 'b', type: 'boolean' },
        { name: 'p', type: 'geopoint' },
        { name: 'x', type: 'integer' },
      ],
    });
    expect(validator.castRow({ n: '1.5', b: 'true', p: '2, 48', x: 'abc' })).toEqual({
      n: 1.5,
      b: true,
      p: [2, 48],
      x: undefined,
    });
  });

  it('a schema it cannot honour throws a SchemaError with a code', () => {
    expect(() => compileSchema({ fields: [{ name: 'a', constraints: { pattern: '(' } }] })).toThrowError(
      SchemaError,
    );
    try {
      compileSchema({ fields: [{ name: 'a' }], primaryKey: 'b' });
    } catch (error) {
      expect((error as SchemaError).code).toBe('schema-primary-key-invalid');
    }
  });
});
