import { describe, expect, it } from 'vitest';
import { titleField } from './title-field.ts';

describe('the field that names a record', () => {
  it('prefers a field called like a name, in French or English, with or without accents', () => {
    expect(titleField([{ name: 'id' }, { name: 'commune' }, { name: 'Nom_du_lieu' }])).toBe('Nom_du_lieu');
    expect(titleField([{ name: 'id' }, { name: 'x', title: 'Libellé' }])).toBe('x');
    expect(titleField([{ name: 'siret' }, { name: 'name', type: 'string' }])).toBe('name');
  });

  it('otherwise picks the first text field whose values differ from row to row, like an address', () => {
    const fields = [
      { name: 'type', type: 'string' },
      { name: 'statut', type: 'string' },
      { name: 'adresse', type: 'string' },
    ];
    const sample = Array.from({ length: 20 }, (_, i) => ({
      type: i % 2 ? 'SANISETTE' : 'URINOIR',
      statut: null,
      adresse: `${i} RUE DE RIVOLI`,
    }));
    expect(titleField(fields, undefined, sample)).toBe('adresse');
  });

  it('falls back to the first text field that is not the key', () => {
    expect(
      titleField(
        [
          { name: 'id', type: 'string' },
          { name: 'places', type: 'integer' },
          { name: 'adresse', type: 'string' },
        ],
        'id',
      ),
    ).toBe('adresse');
  });

  it('returns the first field when nothing fits, nothing when there are no fields', () => {
    expect(titleField([{ name: 'a', type: 'number' }])).toBe('a');
    expect(titleField([])).toBeUndefined();
  });
});
