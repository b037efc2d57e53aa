/**
 * Filters on fields with a closed set of values: a field declares one (an `enum`
 * constraint, a boolean) or shows one (few distinct values compared with the row count).
 * Facet values are compared as text keys, so 1 and "1" are the same choice.
 */

export type FacetField = { name: string; type?: string; constraints?: Record<string, unknown> };
export type Facet = { field: string; values: { key: string; count: number }[] };
/** field name -> the chosen value keys; a row matches when, for each field, its key is chosen. */
export type FacetSelection = ReadonlyMap<string, ReadonlySet<string>>;

const NEVER_FACETS = new Set(['geopoint', 'geojson', 'object', 'array', 'date', 'datetime', 'time']);

/** The text key of a value, or '' for an empty one (shown as "not filled in"). */
export function facetKey(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

export type FacetOptions = {
  /** more distinct values than this and the field is not a closed set */
  maxDistinct?: number;
};

/**
 * The facets of a table. `rows` yields each row's values once; fields that show too many
 * distinct values are dropped as soon as they do, so a wide table costs about one pass.
 */
export function closedSetFacets(
  fields: readonly FacetField[],
  rows: Iterable<Record<string, unknown>>,
  options: FacetOptions = {},
): Facet[] {
  const maxDistinct = options.maxDistinct ?? 12;
  const counts = new Map<string, Map<string, number>>();
  const declared = new Set<string>();
  for (const field of fields) {
    if (field.type !== undefined && NEVER_FACETS.has(field.type)) continue;
    const allowed = field.constraints?.enum;
    if (Array.isArray(allowed) || field.type === 'boolean') declared.add(field.name);
    counts.set(field.name, new Map());
  }
  let rowCount = 0;
  for (const row of rows) {
    rowCount++;
    for (const [name, seen] of counts) {
      const key = facetKey(row[name]);
      seen.set(key, (seen.get(key) ?? 0) + 1);
      if (seen.size > maxDistinct && !declared.has(name)) counts.delete(name);
    }
  }
  const facets: Facet[] = [];
  for (const field of fields) {
    const seen = counts.get(field.name);
    if (seen === undefined) continue;
    const filled = [...seen.keys()].filter((k) => k !== '').length;
    // A field where nearly every row has its own value (an id, a name) is not a closed set.
    if (!declared.has(field.name) && (filled < 2 || filled > Math.max(2, rowCount / 3))) continue;
    const values = [...seen].map(([key, count]) => ({ key, count }));
    values.sort((a, b) => b.count - a.count || a.key.localeCompare(b.key, 'fr'));
    facets.push({ field: field.name, values });
  }
  return facets;
}

/** True when the row's value is among the chosen ones for every field with a choice. */
export function matchesFacets(row: (field: string) => unknown, selection: FacetSelection): boolean {
  for (const [field, keys] of selection) {
    if (keys.size === 0) continue;
    if (!keys.has(facetKey(row(field)))) return false;
  }
  return true;
}

/**
 * The facets' counts among the rows the citizen could reach: each value's count is the number of
 * `rows` (already narrowed by the search text) that would match if that value were chosen and
 * every other field's choice kept — faceted search's usual rule, so a field's own choice never
 * zeroes its other values. Values and their order stay those of `facets`. One pass over `rows`.
 */
export function countFacets(
  facets: readonly Facet[],
  rows: Iterable<(field: string) => unknown>,
  selection: FacetSelection,
): Facet[] {
  const counts = facets.map(() => new Map<string, number>());
  const chosen = facets.map((facet) => {
    const keys = selection.get(facet.field);
    return keys !== undefined && keys.size > 0 ? keys : null;
  });
  const keys: string[] = new Array(facets.length);
  for (const cell of rows) {
    // A row counts for every field when it fails no choice, for that field alone when it fails
    // only that field's choice, and for none when it fails two.
    let failed = -1;
    let failures = 0;
    for (let f = 0; f < facets.length; f++) {
      const key = facetKey(cell((facets[f] as Facet).field));
      keys[f] = key;
      const keep = chosen[f];
      if (keep !== null && keep !== undefined && !keep.has(key)) {
        failures++;
        failed = f;
        if (failures > 1) break;
      }
    }
    if (failures > 1) continue;
    for (let f = 0; f < facets.length; f++) {
      if (failures === 1 && f !== failed) continue;
      const seen = counts[f] as Map<string, number>;
      const key = keys[f] as string;
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
  }
  return facets.map((facet, f) => {
    const seen = counts[f] as Map<string, number>;
    return {
      field: facet.field,
      values: facet.values.map(({ key }) => ({ key, count: seen.get(key) ?? 0 })),
    };
  });
}
