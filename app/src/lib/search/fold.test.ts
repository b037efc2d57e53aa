import { describe, expect, it } from 'vitest';
import { foldText, matchesAllWords, queryWords, searchableText } from './fold.ts';

describe('searching as a French speaker types', () => {
  it('ignores case and accents', () => {
    expect(foldText('Médiathèque ÉMILE-Zola')).toBe('mediatheque emile zola');
    expect(matchesAllWords(foldText('Château de Fougères'), queryWords('chateau fougeres'))).toBe(true);
  });

  it('treats ligatures as their letters', () => {
    expect(foldText('Œuvre sociale, Cæcilia, Straße')).toBe('oeuvre sociale caecilia strasse');
  });

  it('splits on apostrophes and hyphens so either spelling finds the place', () => {
    const place = searchableText({ nom: "Maison de l'Économie - Saint-Étienne" });
    expect(matchesAllWords(place, queryWords('saint etienne economie'))).toBe(true);
    expect(matchesAllWords(place, queryWords("l'economie saint-etienne"))).toBe(true);
  });

  it('requires every word to match, each possibly as part of a word', () => {
    const place = searchableText({ nom: 'Espace numérique', ville: 'Villeurbanne' });
    expect(matchesAllWords(place, queryWords('numer villeur'))).toBe(true);
    expect(matchesAllWords(place, queryWords('numer lyon'))).toBe(false);
  });

  it('matches everything when nothing is typed', () => {
    expect(queryWords('   ')).toEqual([]);
    expect(matchesAllWords('anything', [])).toBe(true);
  });

  it('never lets a word span two fields', () => {
    const place = searchableText({ a: 'porte', b: 'manteau' });
    expect(matchesAllWords(place, queryWords('portemanteau'))).toBe(false);
    expect(matchesAllWords(place, queryWords('porte manteau'))).toBe(true);
  });

  it('searches numbers and booleans as text and skips empty values', () => {
    const place = searchableText({ cp: 69100, ouvert: true, vide: null, rien: '' });
    expect(place).toBe('69100\ntrue');
  });

  it('folds idempotently', () => {
    const once = foldText("L'Île-d'Yeu  Œ");
    expect(foldText(once)).toBe(once);
  });
});
