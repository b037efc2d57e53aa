/**
 * `POST /api/datasets/:id/duplicates`: the likely duplicates of a record about to be proposed, in
 * the dataset posted to and in the instance's other datasets. Invariants: candidates come only
 * from the dataset the caller may read and from public datasets, so nothing private crosses over;
 * the body is capped and checked before any document is read; each dataset's index follows its
 * document, re-indexing only the rows that changed since the last question.
 */
import { isDataset, readSchema } from '@datapatch/core';
import {
  type DuplicateCandidateWire,
  DuplicatesErrorCode,
  isDatasetId,
  roomName,
  type WireCellValue,
} from '@datapatch/protocol';
import { DuplicateIndex, deriveFieldRoles, type FieldRoles } from '@datapatch/quality';
import { type Context, Hono } from 'hono';
import { datasetRows } from '../data/rows-query.ts';
import type { DatasetRegistry } from '../store/dataset-registry.ts';
import { type DataAccess, DataErrorCode, type DataRelay, openDataAccess } from './data-routes.ts';
import { readCappedBody } from './request-body.ts';

/** A record's values are a form's worth: 64 KiB is far more than any. */
const MAX_BODY_BYTES = 64 * 1024;
/** Candidates answered, best first. */
const MAX_CANDIDATES = 5;

export interface DuplicateRoutesOptions {
  relay: DataRelay;
  registry: DatasetRegistry;
  access?: DataAccess;
}

interface DatasetIndex {
  version: string;
  title: string;
  roles: FieldRoles;
  index: DuplicateIndex;
  values: Map<string, Record<string, WireCellValue>>;
}

function apiError(c: Context, status: 400 | 404 | 413, code: string, message: string) {
  return c.json({ error: { code, message } }, status);
}

function readValues(text: string): Record<string, WireCellValue> | null {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return null;
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) return null;
  const values = (body as { values?: unknown }).values;
  if (!values || typeof values !== 'object' || Array.isArray(values)) return null;
  const out: Record<string, WireCellValue> = {};
  for (const [field, value] of Object.entries(values)) {
    if (value !== null && !['string', 'number', 'boolean'].includes(typeof value)) return null;
    out[field] = value as WireCellValue;
  }
  return out;
}

function sameValues(a: Record<string, WireCellValue>, b: Record<string, WireCellValue>): boolean {
  if (a === b) return true;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((key) => a[key] === b[key]);
}

export function duplicateRoutes(options: DuplicateRoutesOptions): Hono {
  const { relay, registry } = options;
  const access = options.access ?? openDataAccess;
  const indexes = new Map<string, DatasetIndex>();
  const app = new Hono();

  /**
   * The dataset's index, brought up to date when its document changed since the last question:
   * only rows whose values changed are indexed again, rows gone are removed (a document reloaded
   * after eviction costs one pass of comparisons, not a rebuild). Null when it is not a dataset.
   */
  async function indexOf(datasetId: string, title: string): Promise<DatasetIndex | null> {
    return relay.readDocument(roomName(datasetId, 'validated'), (doc) => {
      if (!isDataset(doc)) return null;
      const view = datasetRows(doc);
      const cached = indexes.get(datasetId);
      if (cached?.version === view.version) return cached;
      const schema = readSchema(doc);
      const roles = deriveFieldRoles(schema?.fields ?? view.fields.map((name) => ({ name })));
      const sameRoles = cached !== undefined && JSON.stringify(cached.roles) === JSON.stringify(roles);
      const index = sameRoles ? cached.index : new DuplicateIndex();
      const values = sameRoles ? cached.values : new Map<string, Record<string, WireCellValue>>();
      const seen = new Set<string>();
      for (const row of view.all()) {
        seen.add(row.id);
        const before = values.get(row.id);
        if (before !== undefined && sameValues(before, row.values)) continue;
        index.add({ datasetId, recordId: row.id }, row.values, roles);
        // A copy: whether the document hands out fresh objects or edits them in place, the next
        // comparison sees the change.
        values.set(row.id, { ...row.values });
      }
      for (const rowId of values.keys()) {
        if (seen.has(rowId)) continue;
        index.remove({ datasetId, recordId: rowId });
        values.delete(rowId);
      }
      const updated = { version: view.version, title, roles, index, values };
      indexes.set(datasetId, updated);
      return updated;
    });
  }

  app.post('/api/datasets/:id/duplicates', async (c) => {
    const id = c.req.param('id');
    if (!isDatasetId(id)) return apiError(c, 404, DataErrorCode.datasetNotFound, 'No such dataset');
    const allowed = await access.read(c, id);
    if (allowed instanceof Response) return allowed;
    const body = await readCappedBody(c.req.raw, MAX_BODY_BYTES);
    if (!body.ok)
      return body.reason === 'too-large'
        ? apiError(c, 413, DuplicatesErrorCode.badBody, `The body is over ${MAX_BODY_BYTES} bytes`)
        : apiError(c, 400, DuplicatesErrorCode.badBody, 'The body ended early');
    const values = readValues(new TextDecoder().decode(body.bytes));
    if (values === null)
      return apiError(
        c,
        400,
        DuplicatesErrorCode.badBody,
        'Send {"values": {field: string | number | boolean | null}}',
      );

    const summaries = await registry.list();
    const target = summaries.find((s) => s.id === id);
    const own = await indexOf(id, target?.title ?? id);
    if (own === null) return apiError(c, 404, DataErrorCode.datasetNotFound, 'No such dataset');

    const searched: DatasetIndex[] = [own];
    for (const summary of summaries) {
      if (summary.id === id) continue;
      // Only public datasets: a private one the caller may read still stays out, so an answer
      // never depends on, nor shows, what someone else could not see.
      const other = await access.read(c, summary.id);
      if (other instanceof Response || !other.public) continue;
      const index = await indexOf(summary.id, summary.title);
      if (index) searched.push(index);
    }

    const candidates: DuplicateCandidateWire[] = [];
    for (const dataset of searched) {
      for (const found of dataset.index.candidates(values, own.roles, { limit: MAX_CANDIDATES })) {
        const row = dataset.values.get(found.ref.recordId) ?? {};
        const text = (field: string | undefined) => (field && row[field] != null ? String(row[field]) : '');
        candidates.push({
          datasetId: found.ref.datasetId,
          datasetTitle: dataset.title,
          rowId: found.ref.recordId,
          score: found.score,
          reasons: found.reasons,
          label: {
            name: text(dataset.roles.name),
            address: text(dataset.roles.address),
            city: text(dataset.roles.city),
          },
        });
      }
    }
    candidates.sort((a, b) => b.score - a.score);
    return c.json({ candidates: candidates.slice(0, MAX_CANDIDATES) });
  });

  return app;
}
