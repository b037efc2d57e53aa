import { describe, expect, it } from 'vitest';
import { compileSchema } from './compileSchema.ts';
import { patternInWords } from './patternInWords.ts';

describe('patternInWords: a pattern as a person reads it, never the regular expression', () => {
  it.each([
    ['^750[0-2][0-9]$', undefined, 'la valeur doit compter 5 chiffres (exemple : 75000)'],
    ['\\d{5}', undefined, 'la valeur doit compter 5 chiffres (exemple : 00000)'],
    ['\\d{5}', '25000', 'la valeur doit compter 5 chiffres (exemple : 25000)'],
    ['[0-9]{9}', undefined, 'la valeur doit compter 9 chiffres (exemple : 000000000)'],
    ['\\d{2,3}', undefined, 'la valeur doit compter entre 2 et 3 chiffres (exemple : 00)'],
    ['\\d+', undefined, 'la valeur doit compter au moins 1 chiffre (exemple : 0)'],
    ['FR[0-9]{3}', undefined, 'la valeur doit s’écrire comme dans l’exemple : FR000'],
    ['^(?:(?:^|\\|)(A|B))+$', undefined, 'la valeur n’a pas la forme attendue par le schéma'],
    ['^(?:(?:^|\\|)(A|B))+$', 'A|B', 'la valeur doit s’écrire comme dans l’exemple : A|B'],
  ])('%s (example %s) → %s', (pattern, example, french) => {
    const words = patternInWords(pattern, example);
    expect(words.fr).toBe(french);
    expect(words.en).not.toContain(pattern);
  });

  it('a field whose value breaks its pattern is refused with its example, not the regex', () => {
    const validator = compileSchema({
      fields: [{ name: 'code_postal', example: '25000', constraints: { pattern: '[0-9]{5}' } }],
    });
    const [error] = validator.validateRow({ code_postal: '2500' });
    expect(error?.message.fr).toBe('« code_postal » : la valeur doit compter 5 chiffres (exemple : 25000).');
    expect(error?.message.en).toBe('"code_postal": the value must have 5 digits (example: 25000).');
  });
});
