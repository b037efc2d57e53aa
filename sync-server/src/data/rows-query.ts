/**
 * Reading a dataset's rows for the API: paging, full-text `q` and field filters over one live
 * validated document. Invariants: one RowIndex per Y.Doc, built once and kept current by Yjs
 * events (never rebuilt per request); a row's search text is recomputed only when that row changed;
 * `version` changes with every update the document receives, so an ETag built on it is honest.
 */
import { fieldNames, type Row, RowIndex, rowFreshness } from '@datapatch/core';
import type * as Y from 'yjs';

export const RowsErrorCode = {
  unknownField: 'unknown_field',
  badPaging: 'bad_paging',
  badFormat: 'bad_format',
} as const;
export type RowsErrorCode = (typeof RowsErrorCode)[keyof typeof RowsErrorCode];

export type RowsFormat = 'json' | 'csv' | 'geojson';

export interface RowsQuery {
  format: RowsFormat;
  offset: number;
  /** null: every row from `offset` (CSV and GeoJSON downloads). */
  limit: number | null;
  /** Normalised words; a row matches when its text holds them all. */
  words: string[];
  /** Field → accepted values (any of them); every field must match. */
  filters: Map<string, string[]>;
  /** CSV: a byte order mark, `;` or tab between cells. */
  bom: boolean;
  separator: ',' | ';' | '\t';
  /**
   * CSV `for=excel`: for spreadsheet users — formula-like text neutralised, a BOM, and `;` unless
   * `separator` says otherwise. Without it the CSV holds the values exactly as stored.
   */
  forExcel: boolean;
  /**
   * Freshness (`verifiedBefore=<ISO date>`): only rows some field of which was verified before
   * that date, or never ("non vérifié depuis 12 mois"). `sort=verified`: least recently verified
   * first, never verified before all.
   */
  verifiedBefore: string | null;
  sortByVerified: boolean;
}

export type RowsQueryResult =
  | { ok: true; query: RowsQuery }
  | { ok: false; error: { code: RowsErrorCode; message: string } };

export const DEFAULT_JSON_LIMIT = 100;
export const MAX_JSON_LIMIT = 1000;

/** Lower case, accents removed: "Élysée" and "elysee" are the same word to a search. */
export function normaliseText(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

function wholeNumber(text: string | null): number | null | 'bad' {
  if (text === null || text === '') return null;
  return /^\d{1,9}$/.test(text) ? Number(text) : 'bad';
}

export function parseRowsQuery(params: URLSearchParams, fields: readonly string[]): RowsQueryResult {
  const bad = (code: RowsErrorCode, message: string): RowsQueryResult => ({
    ok: false,
    error: { code, message },
  });
  const format = params.get('format') ?? 'json';
  if (format !== 'json' && format !== 'csv' && format !== 'geojson')
    return bad(RowsErrorCode.badFormat, `format must be json, csv or geojson, got "${format}"`);
  const offset = wholeNumber(params.get('offset'));
  const limit = wholeNumber(params.get('limit'));
  if (offset === 'bad' || limit === 'bad' || limit === 0)
    return bad(RowsErrorCode.badPaging, 'offset and limit must be whole numbers (limit at least 1)');
  if (format === 'json' && limit !== null && limit > MAX_JSON_LIMIT)
    return bad(RowsErrorCode.badPaging, `limit is at most ${MAX_JSON_LIMIT} for JSON`);
  const separators = { ',': ',', ';': ';', tab: '\t' } as const;
  const audience = params.get('for');
  if (audience !== null && (audience !== 'excel' || format !== 'csv'))
    return bad(RowsErrorCode.badFormat, `for must be "excel" with format=csv, got "${audience}"`);
  const forExcel = audience === 'excel';
  const separator = params.get('separator') ?? (forExcel ? ';' : ',');
  if (!(separator in separators))
    return bad(RowsErrorCode.badFormat, `separator must be ",", ";" or "tab", got "${separator}"`);
  const known = new Set(fields);
  const filters = new Map<string, string[]>();
  for (const [key, value] of params) {
    if (!key.startsWith('filter.')) continue;
    const field = key.slice('filter.'.length);
    if (!known.has(field)) return bad(RowsErrorCode.unknownField, `No field named "${field}"`);
    filters.set(field, [...(filters.get(field) ?? []), value]);
  }
  const verifiedBefore = params.get('verifiedBefore');
  if (verifiedBefore !== null && Number.isNaN(Date.parse(verifiedBefore)))
    return bad(RowsErrorCode.badFormat, `verifiedBefore must be an ISO 8601 date, got "${verifiedBefore}"`);
  const sort = params.get('sort');
  if (sort !== null && sort !== 'verified')
    return bad(RowsErrorCode.badFormat, `sort must be "verified", got "${sort}"`);
  const words = normaliseText(params.get('q') ?? '')
    .split(/\s+/)
    .filter((word) => word !== '');
  return {
    ok: true,
    query: {
      format,
      offset: offset ?? 0,
      limit: limit ?? (format === 'json' ? DEFAULT_JSON_LIMIT : null),
      words,
      filters,
      bom: forExcel || params.get('bom') === '1' || params.get('bom') === 'true',
      separator: separators[separator as keyof typeof separators],
      forExcel,
      verifiedBefore: verifiedBefore === null ? null : new Date(Date.parse(verifiedBefore)).toISOString(),
      sortByVerified: sort === 'verified',
    },
  };
}

export interface RowsPage {
  rows: Row[];
  /** Rows matching the query, all pages together. */
  total: number;
  /** Offset of the next page, or null on the last one. */
  nextOffset: number | null;
}

/** The always-current rows of one validated document, with what searching them needs. */
export class DatasetRows {
  readonly #index: RowIndex;
  readonly #searchText = new Map<string, string>();
  #version = 0;

  constructor(readonly doc: Y.Doc) {
    this.#index = new RowIndex(doc);
    this.#index.onChange((changed) => {
      for (const id of changed) this.#searchText.delete(id);
    });
    doc.on('update', () => {
      this.#version++;
    });
  }

  /** Changes whenever the document changes; with the doc's guid, unique for this process. */
  get version(): string {
    return `${this.doc.guid}.${this.#version}`;
  }

  get fields(): string[] {
    return fieldNames(this.doc);
  }

  all(): Iterable<Row> {
    return this.#index.rows();
  }

  /** One live row (undefined: no such row, or deleted). */
  row(id: string): Row | undefined {
    return this.#index.get(id);
  }

  /** The row's normalised text, computed once per row change. */
  #text(id: string): string {
    let text = this.#searchText.get(id);
    if (text === undefined) {
      const values = this.#index.get(id)?.values ?? {};
      text = normaliseText(
        Object.values(values)
          .filter((value) => value !== null)
          .join('\u0001'),
      );
      this.#searchText.set(id, text);
    }
    return text;
  }

  #matches(id: string, query: RowsQuery): boolean {
    if (query.words.length > 0) {
      const text = this.#text(id);
      if (!query.words.every((word) => text.includes(word))) return false;
    }
    if (query.filters.size === 0) return true;
    const values = this.#index.get(id)?.values;
    if (!values) return false;
    for (const [field, accepted] of query.filters) {
      const value = values[field];
      if (!accepted.includes(value === null || value === undefined ? '' : String(value))) return false;
    }
    return true;
  }

  page(query: RowsQuery): RowsPage {
    const ids = this.#index.ids();
    const end = query.limit === null ? Number.POSITIVE_INFINITY : query.offset + query.limit;
    // Without a search, a page reads only its own rows: no pass over the whole dataset.
    let matching =
      query.words.length === 0 && query.filters.size === 0
        ? ids
        : ids.filter((id) => this.#matches(id, query));
    if (query.verifiedBefore !== null || query.sortByVerified) {
      const verified = rowFreshness(this.doc);
      const before = query.verifiedBefore;
      if (before !== null) matching = matching.filter((id) => (verified.get(id) ?? '') < before);
      if (query.sortByVerified) {
        const at = (id: string) => verified.get(id) ?? '';
        matching = [...matching].sort((a, b) => (at(a) < at(b) ? -1 : at(a) > at(b) ? 1 : 0));
      }
    }
    const rows: Row[] = [];
    for (const id of matching.slice(query.offset, end)) {
      const row = this.#index.get(id);
      if (row) rows.push(row);
    }
    const total = matching.length;
    return { rows, total, nextOffset: end < total ? end : null };
  }
}

const views = new WeakMap<Y.Doc, DatasetRows>();

/** The one DatasetRows of a document (created on first use; it lives as long as the doc). */
export function datasetRows(doc: Y.Doc): DatasetRows {
  let view = views.get(doc);
  if (!view) {
    view = new DatasetRows(doc);
    views.set(doc, view);
  }
  return view;
}
