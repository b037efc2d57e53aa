import { describe, expect, it } from 'vitest';
import { catalogs, en, fr } from './messages.ts';
import { pickLocale, translate, translatePlural } from './translate.ts';

describe('messages in French and English', () => {
  it('has every French message in English too, none empty', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(fr).sort());
    for (const catalog of Object.values(catalogs)) {
      for (const text of Object.values(catalog)) expect(text.trim()).not.toBe('');
    }
  });

  it('uses the same parameters in both languages', () => {
    const params = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const key of Object.keys(fr) as (keyof typeof fr)[]) {
      expect(params(en[key]), key).toEqual(params(fr[key]));
    }
  });

  it('substitutes parameters and formats numbers for the language', () => {
    expect(translate('fr', 'home.noMatch', { query: 'école' })).toBe(
      'Aucun jeu de données ne correspond à « école ».',
    );
    expect(translatePlural('en', 'dataset.results', 1234, { total: 30000 })).toBe('1,234 records of 30,000');
    expect(translatePlural('fr', 'dataset.results', 1234, { total: 30000 })).toMatch(
      /^1\s234 fiches sur 30\s000$/u,
    );
  });

  it('follows each language’s plural rules (0 is singular in French)', () => {
    expect(translatePlural('fr', 'home.rows', 0)).toBe('0 fiche');
    expect(translatePlural('en', 'home.rows', 0)).toBe('0 records');
    expect(translatePlural('fr', 'home.rows', 2)).toBe('2 fiches');
  });

  it('chooses the singular exactly where Intl.PluralRules says "one"', () => {
    const counts = [0, 0.5, 1, 1.5, 1.99, 2, 3, 21, 100, 1_000_000, 29_290, -1, -2];
    for (const locale of ['fr', 'en'] as const) {
      const rules = new Intl.PluralRules(locale);
      for (const count of counts) {
        const singular =
          translatePlural(locale, 'home.rows', count) === translate(locale, 'home.rows_one', { count });
        expect({ locale, count, singular }).toEqual({
          locale,
          count,
          singular: rules.select(count) === 'one',
        });
      }
    }
  });

  it('leaves an unknown parameter visible rather than failing', () => {
    expect(translate('en', 'home.noMatch')).toBe('No dataset matches “{query}”.');
  });

  it('picks the first supported preferred language, French otherwise', () => {
    expect(pickLocale(['de-DE', 'en-GB', 'fr'])).toBe('en');
    expect(pickLocale(['fr-CA'])).toBe('fr');
    expect(pickLocale(['de'])).toBe('fr');
  });
});
