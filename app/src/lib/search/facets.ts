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
