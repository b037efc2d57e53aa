/**
 * The server's dry run of an import (`POST /api/datasets/:id/import?dryRun=1`) read for the
 * wizard, and the create call that follows. Invariants: the answer is read leniently (a missing
 * part is empty, never a throw); a refused file or schema is a value with the server's code and
 * its message in the user's language; nothing is written before `createFromFile`.
 */
import type { CellValue, TableSchema } from '@datapatch/core';

export type CellError = { row: number | null; field: string | null; code: string; message: string };
/** One repair the file needed, as the server lists it (line of the file, data row, column). */
export type Repair = {
  kind: string;
  line: number | null;
  row: number | null;
  column: { position: number; from: string; to: string } | null;
  detail: string | null;
};
export type ColumnErrors = { field: string | null; count: number; codes: Record<string, number> };

export type DryRun = {
  rowsRead: number;
  schema: TableSchema;
  schemaSource: string;
  /** What reading a Datami field list changed: `{field, change}` (type-defaulted-to-string…). */
  schemaNotes: { field: string; change: string }[];
  detection: {
    format: string | null;
    encoding: string | null;
    hasBom: boolean;
    /** Bytes that were not UTF-8 in a UTF-8 file, read as Windows-1252. */
    strayBytes: number;
    separator: string | null;
    lineEnd: string | null;
    sheet: string | null;
    repairCount: number;
    /** Repairs by kind (short-row-padded…), counted on the repairs io listed. */
    repairsByKind: { kind: string; count: number; firstRow: number | null }[];
    /** Every repair, one by one with its line (headers first). */
    repairs: Repair[];
    /** Row repairs past what the server lists (io lists 10,000). */
    repairsNotListed: number;
    renamedHeaders: { from: string; to: string; reason: string }[];
    blankLinesSkipped: number;
    /** How coordinates were found (`lat-lon-text` in `coordonnees`…). */
    coordinates: { kind: string; fields: string[] }[];
  };
  errorCount: number;
  errorsByField: ColumnErrors[];
  /** The first errors (the server cuts them), each with its message in the user's language. */
  errors: CellError[];
  offendingRows: { row: number; values: Record<string, CellValue> }[];
};

/** A refusal; `repairs` when the file was refused for them (an unclosed quote not accepted). */
export type Failure = { code: string; message: string; status: number; repairs?: Repair[] };
export type Answer<T> = { ok: true; value: T } | { ok: false; error: Failure };

type Fetch = typeof fetch;
type Locale = 'fr' | 'en';

function num(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}
function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}
function record(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}
function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}
function message(v: unknown, locale: Locale): string {
  if (typeof v === 'string') return v;
  const m = record(v);
  return str(m[locale]) ?? str(m.en) ?? str(m.fr) ?? '';
}

function readRepairs(v: unknown): Repair[] {
  return list(v).map((raw) => {
    const r = record(raw);
    const column = record(r.column);
    return {
      kind: str(r.kind) ?? 'repair',
      line: typeof r.line === 'number' ? r.line : null,
      row: typeof r.row === 'number' ? r.row : null,
      column:
        typeof column.position === 'number'
          ? { position: column.position, from: str(column.from) ?? '', to: str(column.to) ?? '' }
          : null,
      detail: str(r.detail),
    };
  });
}

export function readDryRun(body: unknown, locale: Locale): DryRun | null {
  const b = record(body);
  if (b.dryRun !== true) return null;
  const schema = record(b.schema);
  if (!Array.isArray(schema.fields)) return null;
  const report = record(b.importReport);
  const validation = record(b.validation);
  const renamed = list(report.renamedHeaders).map((raw) => {
    const r = record(raw);
    return { from: str(r.from) ?? '', to: str(r.to) ?? '', reason: str(r.reason) ?? '' };
  });
  const repairs = new Map<string, { count: number; firstRow: number | null }>();
  for (const raw of list(report.repairs)) {
    const r = record(raw);
    const kind = str(r.kind) ?? 'repair';
    const entry = repairs.get(kind);
    if (entry === undefined)
      repairs.set(kind, { count: 1, firstRow: typeof r.row === 'number' ? r.row : null });
    else entry.count++;
  }
  const coordinates = list(report.coordinates).map((raw) => {
    const c = record(raw);
    const fields = [c.field, c.latitude, c.longitude].flatMap((f) => (typeof f === 'string' ? [f] : []));
    return { kind: str(c.kind) ?? '', fields };
  });
  return {
    rowsRead: num(b.rowsRead),
    schema: schema as TableSchema,
    schemaSource: str(b.schemaSource) ?? 'inferred',
    schemaNotes: list(b.schemaNotes).flatMap((raw) => {
      const n = record(raw);
      const field = str(n.field);
      const change = str(n.change);
      return field !== null && change !== null ? [{ field, change }] : [];
    }),
    detection: {
      format: str(report.format),
      encoding: str(report.encoding),
      hasBom: report.hasBom === true,
      strayBytes: num(report.strayBytes),
      separator: str(report.separator),
      lineEnd: str(report.lineEnd),
      sheet: str(report.sheet),
      repairCount: num(report.repairCount),
      repairsByKind: [...repairs].map(([kind, v]) => ({ kind, ...v })),
      repairs: readRepairs(b.repairs),
      repairsNotListed: Math.max(0, num(report.repairCount) - list(report.repairs).length),
      renamedHeaders: renamed,
      blankLinesSkipped: num(report.blankLinesSkipped),
      coordinates,
    },
    errorCount: num(validation.errorCount),
    errorsByField: list(b.errorsByField).map((raw) => {
      const e = record(raw);
      const codes: Record<string, number> = {};
      for (const [code, count] of Object.entries(record(e.codes))) codes[code] = num(count);
      return { field: str(e.field), count: num(e.count), codes };
    }),
    errors: list(validation.errors).map((raw) => {
      const e = record(raw);
      return {
        row: typeof e.row === 'number' ? e.row : null,
        field: str(e.field),
        code: str(e.code) ?? 'error',
        message: message(e.message, locale),
      };
    }),
    offendingRows: list(b.offendingRows).flatMap((raw) => {
      const r = record(raw);
      return typeof r.row === 'number'
        ? [{ row: r.row, values: record(r.values) as Record<string, CellValue> }]
        : [];
    }),
  };
}

async function send(
  fetcher: Fetch,
  url: string,
  file: File,
  schema: TableSchema | null,
  locale: Locale,
): Promise<Answer<unknown>> {
  const form = new FormData();
  form.append('file', file, file.name);
  if (schema !== null) form.append('schema', JSON.stringify(schema));
  let response: Response;
  try {
    response = await fetcher(url, { method: 'POST', credentials: 'same-origin', body: form });
  } catch {
    return { ok: false, error: { code: 'network', message: '', status: 0 } };
  }
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const e = record(record(body).error);
    const text = (locale === 'fr' ? str(e.fr) : null) ?? str(e.message) ?? '';
    const repairs = readRepairs(record(body).repairs);
    return {
      ok: false,
      error: {
        code: str(e.code) ?? String(response.status),
        message: text,
        status: response.status,
        ...(repairs.length > 0 ? { repairs } : {}),
      },
    };
  }
  return { ok: true, value: body };
}

function importUrl(datasetId: string, query: Record<string, string>): string {
  return `/api/datasets/${encodeURIComponent(datasetId)}/import?${new URLSearchParams(query)}`;
}

/**
 * What the server would do with the file and the schema (`null`: the one it infers). `draftId`
 * names no dataset yet: the server checks the caller may create one and writes nothing.
 */
export async function dryRunImport(
  fetcher: Fetch,
  draftId: string,
  file: File,
  schema: TableSchema | null,
  locale: Locale,
  acceptRepairs = false,
): Promise<Answer<DryRun>> {
  const query: Record<string, string> = { dryRun: '1', ...(acceptRepairs ? { acceptRepairs: '1' } : {}) };
  const answer = await send(fetcher, importUrl(draftId, query), file, schema, locale);
  if (!answer.ok) return answer;
  const read = readDryRun(answer.value, locale);
  return read === null
    ? { ok: false, error: { code: 'bad-response', message: '', status: 200 } }
    : { ok: true, value: read };
}

export type NewDatasetMeta = {
  title: string;
  description: string;
  licence: string;
  source: string;
  /** The owning hub's id, when the owner belongs to several. */
  hub?: string;
  /** The owner accepted the repair of an unclosed quote (the dry run showed it). */
  acceptRepairs?: boolean;
};

/** Creates the dataset: the file, the schema the owner settled on and the metadata, in one call. */
export async function createFromFile(
  fetcher: Fetch,
  datasetId: string,
  file: File,
  schema: TableSchema,
  meta: NewDatasetMeta,
  locale: Locale,
): Promise<Answer<{ datasetId: string; rowsImported: number }>> {
  // new=1: the server refuses (dataset_exists) rather than append to a dataset with this id.
  const query: Record<string, string> = { new: '1', ...(meta.acceptRepairs ? { acceptRepairs: '1' } : {}) };
  for (const key of ['title', 'description', 'licence', 'source', 'hub'] as const) {
    const value = meta[key]?.trim();
    if (value) query[key] = value;
  }
  const answer = await send(fetcher, importUrl(datasetId, query), file, schema, locale);
  if (!answer.ok) return answer;
  const b = record(answer.value);
  return { ok: true, value: { datasetId: str(b.datasetId) ?? datasetId, rowsImported: num(b.rowsImported) } };
}

/** A dataset id from a title: what the URL and the rooms will use. */
export function slugOf(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64);
}
