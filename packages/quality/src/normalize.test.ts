import { describe, expect, it } from 'vitest';
import {
  addressKey,
  foldText,
  kindsOfPlace,
  nameTokens,
  normalisePhone,
  normaliseSiret,
} from './normalize.ts';

describe('normalising names, phones and addresses', () => {
  it('folds accents, case, ligatures and punctuation', () => {
    expect(foldText("  Cœur-de-l'ÉTANG  ")).toBe('coeur de l etang');
  });

  it('keeps distinctive words apart from generic ones and drops stop words', () => {
    expect(nameTokens('France services de Valserhône')).toEqual({
      distinctive: ['valserhone'],
      generic: ['france', 'services'],
    });
    expect(nameTokens('St-Jean')).toEqual({ distinctive: ['saint', 'jean'], generic: [] });
  });

  it('reads the kind of place a name says, abbreviations included', () => {
    expect([...kindsOfPlace('MSAP Is-sur-Tille')]).toEqual(['france-services']);
    expect([...kindsOfPlace('EPN Planoise')]).toEqual(['digital-space']);
    expect([...kindsOfPlace('Bus France services du Valenciennois')].sort()).toEqual([
      'france-services',
      'mobile',
    ]);
    expect(kindsOfPlace('3615 Senor').size).toBe(0);
  });

  it('reduces French phone numbers written any way to their nine national digits', () => {
    for (const written of [
      '04 50 56 87 49',
      '04.50.56.87.49',
      '0450568749',
      '+33 4 50 56 87 49',
      '+33 (0)4 50 56 87 49',
      '0033450568749',
    ])
      expect(normalisePhone(written)).toBe('450568749');
    expect(normalisePhone('03 81 62 20 19 / 06 00 00 00 00')).toBe('381622019');
    expect(normalisePhone('03 81 62')).toBeNull();
    expect(normalisePhone('')).toBeNull();
  });

  it('accepts a SIRET or SIREN with spaces, nothing else', () => {
    expect(normaliseSiret('130 005 481 00010')).toBe('13000548100010');
    expect(normaliseSiret('130005481')).toBe('130005481');
    expect(normaliseSiret('1300054')).toBeNull();
  });

  it('splits an address into its number and street words, abbreviations expanded', () => {
    expect(addressKey('6Bis Place du General Viard')).toEqual({
      number: '6b',
      street: ['place', 'general', 'viard'],
    });
    expect(addressKey('6 bis pl. du Général Viard')).toEqual({
      number: '6b',
      street: ['place', 'general', 'viard'],
    });
    expect(addressKey('7 - 9 Rue Pablo Picasso').number).toBe('7');
    expect(addressKey('Esplanade des fêtes')).toEqual({ number: null, street: ['esplanade', 'fetes'] });
  });
});
