/**
 * What a hub writes on `<datapatch-dataset>`, read into options the element can trust: unknown
 * views fall back to the table, a bad colour or height to the defaults, filters to field → values.
 * Pure (no DOM): the element and the iframe page read attributes through it alone.
 */
import { isDatasetId } from '@datapatch/protocol';

export type EmbedView = 'table' | 'cards' | 'map';
export type EmbedLang = 'fr' | 'en';

export interface EmbedOptions {
  dataset: string;
  view: EmbedView;
  lang: EmbedLang;
  /** Fields to show, in order; empty: every field of the dataset. */
  fields: string[];
  /** Preset filters: field → accepted values (a record matches any value of each field). */
  filters: Map<string, string[]>;
  /** Height in CSS pixels. */
  height: number;
  /** Accent colour as `#rgb` or `#rrggbb`. */
  accent: string;
}

export const DEFAULT_HEIGHT = 480;
export const DEFAULT_ACCENT = '#0055aa';
const MIN_HEIGHT = 200;
const MAX_HEIGHT = 4000;

export function parseView(text: string | null): EmbedView {
  return text === 'cards' || text === 'map' ? text : 'table';
}

export function parseLang(text: string | null, fallback: string | undefined = undefined): EmbedLang {
  const wanted = (text ?? fallback ?? 'fr').toLowerCase();
  return wanted.startsWith('en') ? 'en' : 'fr';
}

export function parseFields(text: string | null): string[] {
  if (!text) return [];
  const seen = new Set<string>();
  for (const part of text.split(',')) {
    const field = part.trim();
    if (field !== '') seen.add(field);
  }
  return [...seen];
}

/**
 * `commune=Besançon;type=Mairie|Poste`: `;` or `&` between fields, `|` between accepted values.
 * A part without `=` or with an empty field name is ignored.
 */
export function parseFilters(text: string | null): Map<string, string[]> {
  const filters = new Map<string, string[]>();
  if (!text) return filters;
  for (const part of text.split(/[;&]/)) {
    const at = part.indexOf('=');
    if (at <= 0) continue;
    const field = part.slice(0, at).trim();
    if (field === '') continue;
    const values = part
      .slice(at + 1)
      .split('|')
      .map((value) => value.trim())
      .filter((value) => value !== '');
    if (values.length === 0) continue;
    filters.set(field, [...(filters.get(field) ?? []), ...values]);
  }
  return filters;
}

export function parseHeight(text: string | null): number {
  const value = Number((text ?? '').replace(/px$/, ''));
  if (!Number.isFinite(value) || value <= 0) return DEFAULT_HEIGHT;
  return Math.round(Math.min(MAX_HEIGHT, Math.max(MIN_HEIGHT, value)));
}

export function parseAccent(text: string | null): string {
  const value = (text ?? '').trim();
  return /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i.test(value) ? value.toLowerCase() : DEFAULT_ACCENT;
}

export function isEmbeddableId(text: string | null): text is string {
  return text !== null && isDatasetId(text);
}

/** Reads every attribute at once; `get` is `element.getAttribute` or a URL's search params. */
export function readOptions(
  get: (name: string) => string | null,
  pageLang: string | undefined = undefined,
): EmbedOptions | null {
  const dataset = get('dataset');
  if (!isEmbeddableId(dataset)) return null;
  return {
    dataset,
    view: parseView(get('view')),
    lang: parseLang(get('lang'), pageLang),
    fields: parseFields(get('fields')),
    filters: parseFilters(get('filter')),
    height: parseHeight(get('height')),
    accent: parseAccent(get('accent')),
  };
}

/** The public rows API address for these options, a search, and a format. */
export function rowsUrl(
  base: string,
  options: Pick<EmbedOptions, 'dataset' | 'filters'>,
  search: string,
  extra: { format?: 'json' | 'geojson'; limit?: number } = {},
): string {
  const url = new URL(`/api/datasets/${encodeURIComponent(options.dataset)}/rows`, base);
  if (extra.format === 'geojson') url.searchParams.set('format', 'geojson');
  else url.searchParams.set('limit', String(extra.limit ?? 100));
  const words = search.trim();
  if (words !== '') url.searchParams.set('q', words);
  for (const [field, values] of options.filters) {
    for (const value of values) url.searchParams.append(`filter.${field}`, value);
  }
  return url.toString();
}
