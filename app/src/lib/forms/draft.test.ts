import { compileSchema, type TableSchema } from '@datapatch/schema';
import { describe, expect, it } from 'vitest';
import {
  changes,
  inFieldWords,
  problems,
  resultingRow,
  shownText,
  textCell,
  underItsField,
} from './draft.ts';
import { inputFor } from './field-input.ts';

const schema: TableSchema = {
  fields: [
    { name: 'type', type: 'string', constraints: { required: true, enum: ['SANISETTE', 'URINOIR'] } },
    { name: 'adresse', type: 'string', constraints: { required: true } },
    { name: 'arrondissement', type: 'string', constraints: { pattern: '^750[0-2][0-9]$' } },
    { name: 'horaire', type: 'string' },
    { name: 'lat', type: 'number', constraints: { minimum: 48.8, maximum: 48.95 } },
  ],
};
const inputs = schema.fields.map(inputFor);
const seen = {
  type: 'SANISETTE',
  adresse: '4 RUE SALOMON',
  arrondissement: '7503',
  horaire: '6 h - 22 h',
  lat: 48.86,
};
const texts = {
  type: 'SANISETTE',
  adresse: '4 RUE SALOMON',
  arrondissement: '7503',
  horaire: '6 h - 22 h',
  lat: '48.86',
};

describe('changes', () => {
  it('sends only the changed fields, each with the value the person saw', () => {
    expect(changes(inputs, seen, { ...texts, horaire: 'Mo-Su 06:00-22:00' })).toEqual({
      base: { horaire: '6 h - 22 h' },
      proposed: { horaire: 'Mo-Su 06:00-22:00' },
    });
  });

  it('does not count a number shown as text, or a French decimal comma of the same number, as a change', () => {
    expect(changes(inputs, seen, texts)).toEqual({ base: {}, proposed: {} });
    expect(changes(inputs, seen, { ...texts, lat: '48,86' })).toEqual({ base: {}, proposed: {} });
    expect(changes(inputs, seen, { ...texts, lat: '48,87' }).proposed).toEqual({ lat: 48.87 });
  });

  it('proposes emptying a field as null', () => {
    expect(changes(inputs, seen, { ...texts, horaire: '  ' })).toEqual({
      base: { horaire: '6 h - 22 h' },
      proposed: { horaire: null },
    });
  });

  it('for a new place, every filled field is proposed against nothing', () => {
    expect(changes(inputs, {}, { type: 'URINOIR', adresse: '1 rue X', horaire: '' })).toEqual({
      base: { type: null, adresse: null },
      proposed: { type: 'URINOIR', adresse: '1 rue X' },
    });
  });
});

describe('problems', () => {
  const validator = compileSchema(schema);

  it('reports only the changed fields of a correction, in French and English', () => {
    const texts2 = { ...texts, lat: '52' };
    const row = resultingRow(inputs, seen, texts2);
    const found = problems(validator, row, new Set(Object.keys(changes(inputs, seen, texts2).proposed)));
    // arrondissement "7503" is already wrong in the data but untouched: not the person's problem.
    expect([...found.keys()]).toEqual(['lat']);
    expect(found.get('lat')?.[0]?.fr).toMatch(/au plus/);
    expect(found.get('lat')?.[0]?.en).toMatch(/at most/);
  });

  it('reports missing required fields of a new place', () => {
    const row = resultingRow(inputs, {}, { type: 'URINOIR' });
    expect([...problems(validator, row, 'all').keys()]).toEqual(['adresse']);
  });

  it('reads a number typed with letters as a type error, not a silent NaN', () => {
    expect(textCell({ kind: 'number' }, '48.8a')).toBe('48.8a');
    const row = resultingRow(inputs, seen, { ...texts, lat: '48.8a' });
    expect(problems(validator, row, new Set(['lat'])).has('lat')).toBe(true);
  });
});

describe('coordinates as a citizen reads them', () => {
  const latitude = { ...inputFor({ name: 'lat', type: 'number' }), decimals: 5 };
  const geopoint = { ...inputFor({ name: 'pos', type: 'geopoint' }), decimals: 5 };

  it('shows a coordinate rounded to 5 decimals, in a pair and in a geopoint', () => {
    expect(shownText(latitude, 48.8673644300438)).toBe('48.86736');
    expect(shownText(geopoint, '2.3540203755216, 48.8673644300438')).toBe('2.35402, 48.86736');
    expect(shownText(inputFor({ name: 'places', type: 'number' }), 12.345678)).toBe('12.345678');
  });

  it('does not send a coordinate left as shown (rounded), and sends one the person moved', () => {
    const original = { lat: 48.8673644300438 };
    expect(changes([latitude], original, { lat: '48.86736' })).toEqual({ base: {}, proposed: {} });
    expect(resultingRow([latitude], original, { lat: '48.86736' })).toEqual({ lat: 48.8673644300438 });
    expect(changes([latitude], original, { lat: '48.86801' })).toEqual({
      base: { lat: 48.8673644300438 },
      proposed: { lat: 48.86801 },
    });
  });
});

describe('messages in the words of the form', () => {
  it('names the field by its title, never its column id', () => {
    const validator = compileSchema(schema);
    const found = problems(validator, { ...seen, lat: 47 }, 'all');
    const message = found.get('lat')?.[0];
    expect(message?.fr).toContain('« lat »');
    expect(inFieldWords(message!, 'lat', 'Latitude')).toEqual({
      fr: '« Latitude » : la valeur doit être au moins 48.8.',
      en: '"Latitude": the value must be at least 48.8.',
    });
  });

  it('under its own field, a message does not repeat the field title', () => {
    expect(underItsField('« Latitude » : une valeur est obligatoire.', 'Latitude')).toBe(
      'Une valeur est obligatoire.',
    );
    expect(underItsField('"Latitude": a value is required.', 'Latitude')).toBe('A value is required.');
    expect(underItsField('Horaires invalides', 'Latitude')).toBe('Horaires invalides');
  });
});
