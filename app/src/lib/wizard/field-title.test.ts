import { describe, expect, it } from 'vitest';
import { titleFromName } from './field-title.ts';

describe('titleFromName', () => {
  it('turns snake_case into words with a capital first', () => {
    expect(titleFromName('code_postal')).toBe('Code postal');
    expect(titleFromName('complement_adresse')).toBe('Complement adresse');
  });
  it('splits camelCase, dashes and dots', () => {
    expect(titleFromName('dateOuverture')).toBe('Date ouverture');
    expect(titleFromName('nom-du-lieu')).toBe('Nom du lieu');
    expect(titleFromName('adresse.ville')).toBe('Adresse ville');
  });
  it('keeps accents, digits and acronyms', () => {
    expect(titleFromName('équipement_PMR')).toBe('Équipement PMR');
    expect(titleFromName('code_INSEE')).toBe('Code INSEE');
    expect(titleFromName('ligne2')).toBe('Ligne2');
  });
  it('capitalises a lone word and leaves a name of separators alone', () => {
    expect(titleFromName('horaires')).toBe('Horaires');
    expect(titleFromName('__')).toBe('__');
  });
});
