import { describe, expect, it } from 'vitest';
import { closedSetFacets, countFacets, type FacetSelection, facetKey, matchesFacets } from './facets.ts';

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

describe('counts beside each filter value (faceted search)', () => {
  const table = rows(30);
  const facets = closedSetFacets(fields, table);
  const cells = (list: Record<string, unknown>[]) => list.map((row) => (field: string) => row[field]);
  const count = (result: ReturnType<typeof countFacets>, field: string, key: string) =>
    result.find((f) => f.field === field)?.values.find((v) => v.key === key)?.count;

  it('without any choice, counts every row given', () => {
    const result = countFacets(facets, cells(table), new Map());
    expect(result).toEqual(facets);
  });

  it('a choice in one field narrows the counts of the other fields, not its own', () => {
    const selection: FacetSelection = new Map([['type', new Set(['mairie'])]]);
    const result = countFacets(facets, cells(table), selection);
    // mairie rows are i = 0, 3, 6, …, 27: five even (accessible) and five odd.
    expect(count(result, 'accessible', 'true')).toBe(5);
    expect(count(result, 'accessible', 'false')).toBe(5);
    expect(count(result, 'statut', 'ouvert')).toBe(1);
    // The chosen field still shows what choosing another value would add.
    expect(count(result, 'type', 'école')).toBe(10);
    expect(count(result, 'type', 'mairie')).toBe(10);
  });

  it('choices in two fields narrow each other', () => {
    const selection: FacetSelection = new Map([
      ['type', new Set(['mairie'])],
      ['accessible', new Set(['false'])],
    ]);
    const result = countFacets(facets, cells(table), selection);
    expect(count(result, 'type', 'mairie')).toBe(5);
    expect(count(result, 'type', 'école')).toBe(5);
    expect(count(result, 'accessible', 'true')).toBe(5);
    expect(count(result, 'accessible', 'false')).toBe(5);
    expect(count(result, 'statut', '')).toBe(5);
  });

  it('counts only the rows the search text kept, and keeps every value listed (at 0)', () => {
    const found = table.filter((row) => row.type === 'école');
    const result = countFacets(facets, cells(found), new Map());
    expect(count(result, 'type', 'école')).toBe(10);
    expect(count(result, 'type', 'mairie')).toBe(0);
    expect(result.find((f) => f.field === 'type')?.values.map((v) => v.key)).toEqual(
      facets.find((f) => f.field === 'type')?.values.map((v) => v.key),
    );
  });

  it('agrees with filtering then counting, on every single-value choice', () => {
    for (const facet of facets) {
      for (const { key } of facet.values) {
        const selection: FacetSelection = new Map([
          [facet.field, new Set([key])],
          ['accessible', new Set(['true'])],
        ]);
        const result = countFacets(facets, cells(table), selection);
        for (const other of facets) {
          const rest = new Map([...selection].filter(([field]) => field !== other.field));
          const reachable = table.filter((row) => matchesFacets((f) => row[f], rest));
          for (const value of other.values) {
            const expected = reachable.filter((row) => facetKey(row[other.field]) === value.key).length;
            expect(count(result, other.field, value.key)).toBe(expected);
          }
        }
      }
    }
  });
});
