import { describe, expect, it } from 'vitest';
import { closedSetFacets, matchesFacets } from './facets.ts';

const fields = [
  { name: 'nom', type: 'string' },
  { name: 'type', type: 'string' },
  { name: 'accessible', type: 'boolean' },
  { name: 'statut', type: 'string', constraints: { enum: ['ouvert', 'fermé', 'travaux'] } },
  { name: 'position', type: 'geopoint' },
];

function rows(n: number): Record<string, unknown>[] {
  return Array.from({ length: n }, (_, i) => ({
    nom: `Lieu ${i}`,
    type: ['mairie', 'école', 'bibliothèque'][i % 3],
    accessible: i % 2 === 0,
    statut: i === 0 ? 'ouvert' : null,
    position: `45.${i},4.${i}`,
  }));
}

describe('filters on closed sets of values', () => {
  it('offers fields with a declared or observed closed set, not names or positions', () => {
    const facets = closedSetFacets(fields, rows(30));
    expect(facets.map((f) => f.field)).toEqual(['type', 'accessible', 'statut']);
  });

  it('counts each value, most frequent first, empty values under the empty key', () => {
    const facets = closedSetFacets(fields, rows(30));
    expect(facets.find((f) => f.field === 'type')?.values).toEqual([
      { key: 'bibliothèque', count: 10 },
      { key: 'école', count: 10 },
      { key: 'mairie', count: 10 },
    ]);
    expect(facets.find((f) => f.field === 'statut')?.values).toEqual([
      { key: '', count: 29 },
      { key: 'ouvert', count: 1 },
    ]);
  });

  it('drops a field once it shows more distinct values than allowed', () => {
    const many = Array.from({ length: 100 }, (_, i) => ({ type: `t${i % 20}` }));
    expect(closedSetFacets([{ name: 'type' }], many, { maxDistinct: 12 })).toEqual([]);
    expect(closedSetFacets([{ name: 'type' }], many, { maxDistinct: 25 })).toHaveLength(1);
  });

  it('keeps rows whose value is chosen in every filtered field (or within a field)', () => {
    const row = { type: 'mairie', accessible: true } as Record<string, unknown>;
    const get = (f: string) => row[f];
    expect(matchesFacets(get, new Map([['type', new Set(['mairie', 'école'])]]))).toBe(true);
    expect(matchesFacets(get, new Map([['accessible', new Set(['false'])]]))).toBe(false);
    expect(
      matchesFacets(
        get,
        new Map([
          ['type', new Set(['mairie'])],
          ['accessible', new Set(['true'])],
        ]),
      ),
    ).toBe(true);
    expect(matchesFacets(get, new Map([['type', new Set<string>()]]))).toBe(true);
  });
});
