/**
 * The data API: `GET /api/datasets/:id` (what a visitor needs to reuse it: licence, source, size,
 * last change), `GET /api/datasets/:id/rows` (json, csv, geojson; paging, `q`, `filter.<field>`,
 * ETag), `GET /api/datasets/:id/rows/:rowId` (one record, for its page), `GET /api/datasets/:id/schema`, `POST /api/datasets/:id/import`. Reads go to the relay's
 * live validated document, so they see every accepted edit. Invariants: an ETag names one document
 * state and one query, `Last-Modified` is the time of the last accepted change; an import's caller and rights are checked before its body is read, the
 * body is capped as it arrives, the file is read in a worker thread within its budgets, and
 * imports into one dataset run one at a time; CORS is open only on reads the access policy calls
 * public.
 */
import { createHash } from 'node:crypto';
import { type Actor, isDataset, type Row, readChangelog, readMeta, readSchema } from '@datapatch/core';
import { type CoordinatesDetection, detectCoordinates, exportTable, type Table } from '@datapatch/io';
import { type DatasetAbout, ImportLimitErrorCode, isDatasetId, roomName } from '@datapatch/protocol';
import { type Context, Hono } from 'hono';
import type * as Y from 'yjs';
import { httpDate, lastChangeAt } from '../data/change-feed.ts';
import {
  type DocumentState,
  documentState,
  type ImportAnswer,
  type ImportMeta,
} from '../data/dataset-import.ts';
import { summarizeDataset } from '../data/dataset-summaries.ts';
import { UploadErrorCode } from '../data/imports/import-job.ts';
import { defaultImportLimits, type ImportLimits } from '../data/imports/import-limits.ts';
import { ImportSlots } from '../data/imports/import-slots.ts';
import { type ImportWorkers, sharedImportWorkers } from '../data/imports/import-workers.ts';
import { rowsProvenance, withProvenanceColumns } from '../data/provenance-columns.ts';
import { datasetRows, parseRowsQuery, type RowsQuery } from '../data/rows-query.ts';
import type { DatasetRegistry } from '../store/dataset-registry.ts';
import { declaredOverCap, readCappedBody } from './request-body.ts';

export const DataErrorCode = {
  datasetNotFound: 'dataset_not_found',
  /** `rows/:rowId`: no live record has this id (never was, or deleted). */
  rowNotFound: 'row_not_found',
  badDatasetId: 'bad_dataset_id',
  fileTooLarge: 'file-too-large',
  noFile: UploadErrorCode.noFile,
  /** `?new=1`: the import was to create a dataset, and one with that id exists. */
  datasetExists: 'dataset_exists',
} as const;

/** What the routes need from the relay (SyncRelay has it). */
export interface DataRelay {
  readDocument<T>(room: string, read: (doc: Y.Doc) => T): Promise<T>;
  applyServerUpdate(room: string, update: Uint8Array): Promise<void>;
  roomsInMemory(): string[];
}

/** Who may read and import; the answer to send instead when they may not. */
export interface DataAccess {
  read(
    c: Context,
    datasetId: string,
  ): Promise<{ public: boolean } | Response> | { public: boolean } | Response;
  /** `exists` false: the import creates the dataset (`created` runs once it exists). */
  importInto(
    c: Context,
    datasetId: string,
    exists: boolean,
  ):
    | Promise<{ actor: Actor; created?: () => void | Promise<void> } | Response>
    | { actor: Actor; created?: () => void | Promise<void> }
    | Response;
}

/** Every dataset public, anyone may import: the behaviour before accounts exist. */
export const openDataAccess: DataAccess = {
  read: () => ({ public: true }),
  importInto: () => ({ actor: { id: 'datapatch-import', name: 'Import' } }),
};

export interface DataRoutesOptions {
  relay: DataRelay;
  registry: DatasetRegistry;
  access?: DataAccess;
  /** Largest file `import` accepts, in bytes (default: `importLimits.maxBytes`). */
  maxImportBytes?: number;
  /** Budgets and concurrency of imports (default `defaultImportLimits`). */
  importLimits?: Partial<ImportLimits>;
  /** The worker threads imports run in (default: the process's pool for these budgets). */
  importWorkers?: ImportWorkers;
}

/** What a multipart body may carry beyond the file: the schema text and the framing. */
const MULTIPART_ALLOWANCE = 1024 * 1024;
/** Seconds a caller refused with `import_busy` is told to wait. */
const BUSY_RETRY_SECONDS = 5;

const CORS_HEADERS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, HEAD, OPTIONS',
  'Access-Control-Allow-Headers': 'If-None-Match',
  'Access-Control-Expose-Headers': 'ETag, Link, X-Total-Count',
};

const CONTENT_TYPES = {
  json: 'application/json; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  geojson: 'application/geo+json; charset=utf-8',
} as const;

function apiError(
  c: Context,
  status: 400 | 404 | 409 | 413 | 422 | 429,
  code: string,
  message: string,
  fr?: string,
) {
  return c.json({ error: { code, message, ...(fr ? { fr } : {}) } }, status);
}

export function etagOf(...parts: string[]): string {
  return `"${createHash('sha1').update(parts.join('\n')).digest('base64url')}"`;
}

/** Whether the client's If-None-Match names `etag`: it has this state already. */
export function matches(c: Context, etag: string): boolean {
  const header = c.req.header('if-none-match');
  if (!header) return false;
  return header
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .some((tag) => tag === etag || tag === '*');
}

/** `Last-Modified` of the validated data: its last accepted change, as an HTTP date. */
function lastModifiedOf(doc: Y.Doc): string | undefined {
  return httpDate(lastChangeAt(doc));
}

/** Coordinates of a document state, detected once per state on the first rows. */
const coordinatesCache = new WeakMap<Y.Doc, { version: string; found: CoordinatesDetection | null }>();

function coordinatesOf(
  doc: Y.Doc,
  version: string,
  fields: string[],
  rows: Iterable<Row>,
): CoordinatesDetection | null {
  const cached = coordinatesCache.get(doc);
  if (cached?.version === version) return cached.found;
  const sample: Table['rows'] = [];
  for (const row of rows) {
    sample.push(row.values);
    if (sample.length >= 2000) break;
  }
  const found = detectCoordinates({ fields, rows: sample })[0] ?? null;
  coordinatesCache.set(doc, { version, found });
  return found;
}

function nextLink(c: Context, offset: number): string {
  const url = new URL(c.req.url);
  url.searchParams.set('offset', String(offset));
  return `${url.pathname}${url.search}`;
}

export function dataRoutes(options: DataRoutesOptions): Hono {
  const { relay, registry } = options;
  const access = options.access ?? openDataAccess;
  const limits: ImportLimits = {
    ...defaultImportLimits,
    ...options.importLimits,
    ...(options.maxImportBytes !== undefined ? { maxBytes: options.maxImportBytes } : {}),
  };
  const maxImportBytes = limits.maxBytes;
  const bodyCap = maxImportBytes + MULTIPART_ALLOWANCE;
  const slots = new ImportSlots(limits);
  const workers = options.importWorkers ?? sharedImportWorkers(limits);
  const imports = new Map<string, Promise<unknown>>();
  const app = new Hono();

  /** Whether a dataset exists, without loading a room for an unknown id. */
  async function known(datasetId: string): Promise<boolean> {
    const room = roomName(datasetId, 'validated');
    if (relay.roomsInMemory().includes(room)) return true;
    return (await registry.get(datasetId)) !== null;
  }

  async function readable(c: Context): Promise<{ id: string; public: boolean } | Response> {
    const id = c.req.param('id') ?? '';
    if (!isDatasetId(id)) return apiError(c, 404, DataErrorCode.datasetNotFound, 'No such dataset');
    const allowed = await access.read(c, id);
    if (allowed instanceof Response) return allowed;
    if (!(await known(id))) return apiError(c, 404, DataErrorCode.datasetNotFound, 'No such dataset');
    return { id, public: allowed.public };
  }

  for (const path of [
    '/api/datasets/:id',
    '/api/datasets/:id/rows',
    '/api/datasets/:id/rows/:rowId',
    '/api/datasets/:id/schema',
  ]) {
    app.options(path, (c) => c.body(null, 204, CORS_HEADERS));
  }

  app.get('/api/datasets/:id/rows', async (c) => {
    const target = await readable(c);
    if (target instanceof Response) return target;
    const cors = target.public ? CORS_HEADERS : {};
    const params = new URL(c.req.url).searchParams;
    const read = await relay.readDocument(roomName(target.id, 'validated'), (doc) => {
      if (!isDataset(doc)) return null;
      const view = datasetRows(doc);
      const fields = view.fields;
      const parsed = parseRowsQuery(params, fields);
      if (!parsed.ok) return parsed;
      const etag = etagOf(view.version, params.toString());
      const modified = lastModifiedOf(doc);
      if (matches(c, etag)) return { ok: true as const, etag, modified, notModified: true as const };
      const page = view.page(parsed.query);
      const provenance = flag(params.get('provenance') ?? undefined)
        ? rowsProvenance(readChangelog(doc), page.rows, fields)
        : null;
      const coordinates =
        parsed.query.format === 'geojson' ? coordinatesOf(doc, view.version, fields, view.all()) : null;
      return {
        ok: true as const,
        etag,
        modified,
        notModified: false as const,
        fields,
        page,
        coordinates,
        provenance,
        query: parsed.query,
      };
    });
    if (read === null) return apiError(c, 404, DataErrorCode.datasetNotFound, 'No such dataset');
    if (!read.ok) return c.json({ error: read.error }, 400, cors);
    const validators = { ETag: read.etag, ...(read.modified ? { 'Last-Modified': read.modified } : {}) };
    if (read.notModified) return c.body(null, 304, { ...cors, ...validators });
    const { page, query, fields, provenance } = read;
    const headers: Record<string, string> = {
      ...cors,
      ...validators,
      'Cache-Control': 'no-cache',
      'X-Total-Count': String(page.total),
      'Content-Type': CONTENT_TYPES[query.format],
    };
    const next = page.nextOffset === null ? null : nextLink(c, page.nextOffset);
    if (next) headers.Link = `<${next}>; rel="next"`;
    if (query.format === 'json') {
      return c.body(
        JSON.stringify({
          datasetId: target.id,
          total: page.total,
          offset: query.offset,
          limit: query.limit,
          fields,
          rows: provenance
            ? page.rows.map((row) => ({ ...row, provenance: provenance.get(row.id) ?? {} }))
            : page.rows,
          next,
        }),
        200,
        headers,
      );
    }
    const table: Table =
      provenance && query.format === 'csv'
        ? withProvenanceColumns(fields, page.rows, provenance)
        : { fields, rows: page.rows.map((row) => row.values) };
    const bytes = await exportTable(table, exportOptions(query, read.coordinates));
    if (query.format === 'csv') headers['Content-Disposition'] = `inline; filename="${target.id}.csv"`;
    return c.body(
      new Uint8Array(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength),
      200,
      headers,
    );
  });

  app.get('/api/datasets/:id', async (c) => {
    const target = await readable(c);
    if (target instanceof Response) return target;
    const cors = target.public ? CORS_HEADERS : {};
    const read = await relay.readDocument(roomName(target.id, 'validated'), (doc) => {
      if (!isDataset(doc)) return null;
      const view = datasetRows(doc);
      const etag = etagOf(view.version, 'about');
      if (matches(c, etag)) return { etag, about: null };
      return { etag, about: aboutDataset(doc, view.page(COUNT_ONLY).total) };
    });
    if (read === null) return apiError(c, 404, DataErrorCode.datasetNotFound, 'No such dataset');
    if (read.about === null) return c.body(null, 304, { ...cors, ETag: read.etag });
    return c.json(read.about, 200, { ...cors, ETag: read.etag, 'Cache-Control': 'no-cache' });
  });

  // The app's page asks here first: 200 with `dataset: null` for a dataset it cannot read
  // (unknown, private), a state and not a failure, so browsers log no failed request; the
  // schema and rows are then not asked at all. Same answer for unknown and private: no leak.
  app.get('/api/datasets/:id/about', async (c) => {
    const nothing = () => c.json({ dataset: null }, 200, { 'Cache-Control': 'no-store' });
    const target = await readable(c);
    if (target instanceof Response) return nothing();
    const about = await relay.readDocument(roomName(target.id, 'validated'), (doc) =>
      isDataset(doc) ? aboutDataset(doc, datasetRows(doc).page(COUNT_ONLY).total) : null,
    );
    if (about === null) return nothing();
    return c.json({ dataset: about }, 200, { 'Cache-Control': 'no-store' });
  });

  app.get('/api/datasets/:id/rows/:rowId', async (c) => {
    const target = await readable(c);
    if (target instanceof Response) return target;
    const cors = target.public ? CORS_HEADERS : {};
    const rowId = c.req.param('rowId');
    const read = await relay.readDocument(roomName(target.id, 'validated'), (doc) => {
      if (!isDataset(doc)) return null;
      const view = datasetRows(doc);
      const etag = etagOf(view.version, 'row', rowId);
      if (matches(c, etag)) return { etag, row: undefined, notModified: true };
      return { etag, row: view.row(rowId), notModified: false };
    });
    if (read === null) return apiError(c, 404, DataErrorCode.datasetNotFound, 'No such dataset');
    if (read.notModified) return c.body(null, 304, { ...cors, ETag: read.etag });
    if (read.row === undefined)
      return c.json({ error: { code: DataErrorCode.rowNotFound, message: 'No such record' } }, 404, cors);
    return c.json({ datasetId: target.id, row: read.row }, 200, {
      ...cors,
      ETag: read.etag,
      'Cache-Control': 'no-cache',
    });
  });

  app.get('/api/datasets/:id/schema', async (c) => {
    const target = await readable(c);
    if (target instanceof Response) return target;
    const cors = target.public ? CORS_HEADERS : {};
    const read = await relay.readDocument(roomName(target.id, 'validated'), (doc) =>
      isDataset(doc) ? { schema: readSchema(doc), version: datasetRows(doc).version } : null,
    );
    if (read === null) return apiError(c, 404, DataErrorCode.datasetNotFound, 'No such dataset');
    const etag = etagOf(read.version, 'schema');
    if (matches(c, etag)) return c.body(null, 304, { ...cors, ETag: etag });
    return c.json({ datasetId: target.id, schema: read.schema }, 200, {
      ...cors,
      ETag: etag,
      'Cache-Control': 'no-cache',
    });
  });

  const tooLarge = (c: Context) =>
    apiError(
      c,
      413,
      DataErrorCode.fileTooLarge,
      `The file is larger than ${maxImportBytes} bytes`,
      `Le fichier dépasse ${maxImportBytes} octets`,
    );

  /** Whether the dataset exists. A room in memory is not enough: a dry run or a refused file leaves an empty one. */
  async function datasetExists(id: string): Promise<boolean> {
    const room = roomName(id, 'validated');
    return (
      (await registry.get(id)) !== null ||
      (relay.roomsInMemory().includes(room) && (await relay.readDocument(room, isDataset)))
    );
  }

  /** Who may import, decided before the body is read; the answer to send instead, if any. */
  async function mayImport(c: Context, id: string) {
    const exists = await datasetExists(id);
    const allowed = await access.importInto(c, id, exists);
    if (allowed instanceof Response) return allowed;
    // The create wizard must never append to a dataset that happens to have the id it chose.
    if (exists && flag(c.req.query('new')))
      return apiError(
        c,
        409,
        DataErrorCode.datasetExists,
        'A dataset with this id exists',
        'Un jeu de données a déjà cet identifiant',
      );
    return { ...allowed, exists };
  }

  /**
   * Whether this import may start: the caller's rights, the declared size, a free slot — all
   * before any of the body is read. The refusal to send, or the slot's release function.
   */
  async function admit(c: Context, id: string) {
    if (!isDatasetId(id))
      return apiError(c, 400, DataErrorCode.badDatasetId, 'A dataset id is 1-64 letters, digits, - or _');
    const allowed = await mayImport(c, id);
    if (allowed instanceof Response) return allowed;
    if (declaredOverCap(c, bodyCap)) return tooLarge(c);
    const release = slots.take(allowed.actor.id);
    if (typeof release === 'function') return release;
    c.header('Retry-After', String(BUSY_RETRY_SECONDS));
    return release.busy === 'account'
      ? apiError(
          c,
          429,
          ImportLimitErrorCode.busy,
          `This account already has ${limits.perAccount} imports running; retry when one has finished`,
          `Ce compte a déjà ${limits.perAccount} imports en cours : réessayez quand l’un d’eux sera fini`,
        )
      : apiError(
          c,
          429,
          ImportLimitErrorCode.busy,
          `The server already runs ${limits.perInstance} imports; retry in a moment`,
          `Le serveur fait déjà ${limits.perInstance} imports : réessayez dans un instant`,
        );
  }

  app.post('/api/datasets/:id/import', async (c) => {
    const id = c.req.param('id');
    const release = await admit(c, id);
    // A large body left unread is not drained: the connection closes once the answer is sent.
    if (release instanceof Response) return closingConnection(c, release);
    try {
      const body = await readCappedBody(c.req.raw, bodyCap);
      if (!body.ok)
        return closingConnection(
          c,
          body.reason === 'too-large'
            ? tooLarge(c)
            : apiError(c, 400, ImportLimitErrorCode.malformedBody, 'The body ended before it was complete'),
        );
      // One import at a time per dataset: two creations racing would each write a schema.
      const previous = imports.get(id) ?? Promise.resolve();
      const run = previous.then(() => importInto(c, id, body.bytes));
      const settled = run.catch(() => undefined);
      imports.set(id, settled);
      void settled.then(() => {
        if (imports.get(id) === settled) imports.delete(id);
      });
      return await run;
    } finally {
      release();
    }
  });

  async function importInto(c: Context, id: string, body: Uint8Array): Promise<Response> {
    const room = roomName(id, 'validated');
    // Asked again in turn: an import queued behind a creation now appends, which needs write access.
    const allowed = await mayImport(c, id);
    if (allowed instanceof Response) return allowed;
    const dryRun = dryRunOf(c);
    // A dry run for a dataset still to create needs no room: nothing is there to read.
    const current: DocumentState =
      dryRun && !allowed.exists
        ? { exists: false, schema: null, state: new Uint8Array() }
        : await relay.readDocument(room, documentState);
    const meta: ImportMeta = { datasetId: id };
    for (const key of ['title', 'description', 'licence', 'source', 'hub'] as const) {
      const value = c.req.query(key)?.trim();
      if (value) meta[key] = value;
    }
    const filename = c.req.query('filename');
    // A dry run answers what the import would do (same reading, schema and checks), writes nothing.
    const outcome = await workers.run({
      body,
      contentType: c.req.header('content-type') ?? '',
      ...(filename ? { filename } : {}),
      maxBytes: maxImportBytes,
      rowBudget: limits.rowBudget,
      strict: flag(c.req.query('strict')),
      acceptRepairs: flag(c.req.query('acceptRepairs')),
      dryRun,
      current,
      meta,
      actor: allowed.actor,
    });
    if (!outcome.ok) {
      const { code, message, fr } = outcome.error;
      // A file refused for its repairs says which, so the owner can fix the file or accept them.
      if (outcome.repairs)
        return c.json(
          { error: { code, message, ...(fr ? { fr } : {}) }, repairs: outcome.repairs },
          outcome.status,
        );
      return apiError(c, outcome.status, code, message, fr);
    }
    if (outcome.kind === 'dry-run') return c.json(outcome.answer, 200);
    await relay.applyServerUpdate(room, outcome.update);
    if (outcome.created) await allowed.created?.();
    const summary = await relay.readDocument(room, summarizeDataset);
    if (summary) await registry.upsert(summary);
    const answer: ImportAnswer = {
      datasetId: id,
      created: outcome.created,
      rowsImported: outcome.rowsImported,
      ...outcome.answer,
    };
    return c.json(answer, outcome.created ? 201 : 200);
  }

  return app;
}

/** Above this much unread body, a refusal closes the connection rather than read the rest. */
const DRAIN_AT_MOST = 1024 * 1024;

/**
 * Asks Node to close the connection after this answer when the body still coming is large (or
 * of unknown length), instead of reading and throwing it away. A small one is read, so the
 * client surely sees the answer: a close with unread bytes may reach it as a reset.
 */
function closingConnection(c: Context, response: Response): Response {
  const declared = c.req.header('content-length');
  if (declared === undefined || !/^\d+$/.test(declared) || Number(declared) > DRAIN_AT_MOST)
    response.headers.set('Connection', 'close');
  return response;
}

/** A page of no row: its total is the row count, read without a pass over the rows. */
const COUNT_ONLY: RowsQuery = {
  format: 'json',
  offset: 0,
  limit: 0,
  words: [],
  filters: new Map(),
  bom: false,
  separator: ',',
  forExcel: false,
  verifiedBefore: null,
  sortByVerified: false,
};

function aboutDataset(doc: Y.Doc, rowCount: number): DatasetAbout {
  const meta = readMeta(doc);
  const lastChange = readChangelog(doc).at(-1)?.at ?? meta.createdAt;
  return {
    datasetId: meta.datasetId,
    title: meta.title,
    ...(meta.description ? { description: meta.description } : {}),
    ...(meta.licence ? { licence: meta.licence } : {}),
    ...(meta.source ? { source: meta.source } : {}),
    rowCount,
    ...(lastChange ? { lastChange } : {}),
  };
}

function flag(value: string | undefined): boolean {
  return value === '1' || value === 'true';
}

function dryRunOf(c: Context): boolean {
  return flag(c.req.query('dryRun'));
}

function exportOptions(query: RowsQuery, coordinates: CoordinatesDetection | null) {
  if (query.format === 'geojson')
    return { format: 'geojson' as const, ...(coordinates ? { coordinates } : {}) };
  // Re-users get the values byte for byte; only the "for Excel" download guards formulas.
  return {
    format: 'csv' as const,
    bom: query.bom,
    separator: query.separator,
    neutraliseFormulas: query.forExcel,
  };
}
