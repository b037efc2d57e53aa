/**
 * `/api/datasets/:id/upstream/*`: a dataset's official source — its settings, the dry run and the
 * real run of a new release, and the CSV of what the hubs changed since the last release taken.
 * Invariants: only the dataset's owners, editors and moderators run a release, only owners name the
 * source; a dry run writes nothing; the only network request is to the URL the dataset names;
 * one release runs at a time per dataset.
 */
import { type Actor, fieldNames, isDataset } from '@datapatch/core';
import { importFile, type Table } from '@datapatch/io';
import {
  AccessErrorCode,
  roomName,
  UpstreamErrorCode,
  type UpstreamRunAnswer,
  type UpstreamSettings,
} from '@datapatch/protocol';
import { changesCsv, changesSinceRelease, dryRun } from '@datapatch/upstream';
import { type Context, Hono } from 'hono';
import type * as Y from 'yjs';
import { getUser } from '../access/index.ts';
import { fetchRelease, isReleaseUrl } from '../upstream/fetch-release.ts';
import {
  hubRecords,
  lastChanges,
  missingKeyFields,
  planRelease,
  takeRelease,
} from '../upstream/take-release.ts';
import {
  keepRelease,
  readSource,
  readTakenRelease,
  upstreamRoom,
  writeSource,
} from '../upstream/upstream-room.ts';
import {
  type DatasetCaller,
  guardError,
  jsonBody,
  type RouteDependencies,
  requireDatasetAccess,
} from './access-guard.ts';
import { readCappedBody } from './request-body.ts';

/** The largest release read, uploaded or fetched. */
export const MAX_RELEASE_BYTES = 50 * 1024 * 1024;
const FETCH_TIMEOUT_MS = 60_000;
const EXAMPLES = 5;

type Release = { bytes: Uint8Array; filename: string; table: Table };

function fail(
  c: Context,
  status: 400 | 404 | 409 | 413 | 422 | 502,
  code: string,
  message: string,
  extra = {},
) {
  return c.json({ error: { code, message, ...extra } }, status);
}

export function upstreamRoutes(deps: RouteDependencies): Hono {
  const app = new Hono();
  const running = new Map<string, Promise<unknown>>();
  const validatedRoom = (id: string) => roomName(id, 'validated');

  async function allowed(c: Context, id: string, need: 'write' | 'own'): Promise<DatasetCaller | Response> {
    const caller = await requireDatasetAccess(c, id, need);
    if (caller instanceof Response) return caller;
    const exists = await deps.relay.readDocument(validatedRoom(id), isDataset);
    return exists ? caller : guardError(c, 404, AccessErrorCode.datasetNotFound, 'No such dataset');
  }

  async function actorOf(caller: DatasetCaller): Promise<Actor> {
    const user = caller.userId === null ? undefined : await getUser(deps.access.deps.store, caller.userId);
    return { id: caller.userId ?? 'unknown', ...(user ? { name: user.displayName } : {}) };
  }

  const upstreamOf = (id: string) =>
    deps.relay.readDocument(upstreamRoom(id), (doc) => ({
      source: readSource(doc),
      taken: readTakenRelease(doc),
    }));

  async function readTable(bytes: Uint8Array, filename: string): Promise<Table | { code: string }> {
    const read = await importFile(bytes, { filename, maxBytes: MAX_RELEASE_BYTES });
    return read.ok ? read.table : { code: read.error.code };
  }

  /** The release sent in the body (multipart `file`, or the raw file with `?filename=`), else fetched from the URL. */
  async function releaseOf(c: Context, url: string | null): Promise<Release | Response> {
    const body = await readCappedBody(c.req.raw, MAX_RELEASE_BYTES + 1024 * 1024);
    if (!body.ok)
      return body.reason === 'too-large'
        ? fail(c, 413, UpstreamErrorCode.tooLarge, 'The release is too large', { limit: MAX_RELEASE_BYTES })
        : fail(c, 400, UpstreamErrorCode.unreadable, 'The body ended before it was complete');
    let bytes = body.bytes;
    let filename = c.req.query('filename') ?? 'release.csv';
    const type = c.req.header('content-type') ?? '';
    if (type.toLowerCase().startsWith('multipart/form-data')) {
      let file: File | string | null = null;
      try {
        file = (await new Response(bytes, { headers: { 'content-type': type } }).formData()).get('file');
      } catch {
        return fail(c, 400, UpstreamErrorCode.unreadable, 'The multipart/form-data body cannot be read');
      }
      if (!(file instanceof File))
        return fail(c, 400, UpstreamErrorCode.noRelease, 'Send the release in a "file" field');
      bytes = new Uint8Array(await file.arrayBuffer());
      filename = file.name;
    }
    if (bytes.length === 0) {
      if (url === null)
        return fail(c, 409, UpstreamErrorCode.noRelease, 'Send the release, or name its URL in the settings');
      const fetched = await fetchRelease(url, { maxBytes: MAX_RELEASE_BYTES, timeoutMs: FETCH_TIMEOUT_MS });
      if (!fetched.ok)
        return fetched.reason === 'too-large'
          ? fail(c, 413, UpstreamErrorCode.tooLarge, 'The release is too large', { limit: MAX_RELEASE_BYTES })
          : fail(
              c,
              502,
              UpstreamErrorCode.fetchFailed,
              `The source did not give the release: ${fetched.detail}`,
            );
      bytes = fetched.bytes;
      filename = fetched.filename;
    }
    const table = await readTable(bytes, filename);
    if ('code' in table)
      return fail(c, 422, UpstreamErrorCode.unreadable, 'The release cannot be read as a table', {
        detail: table.code,
      });
    return { bytes, filename, table };
  }

  /** Everything a run needs, or the answer that stops it. */
  async function prepare(c: Context, id: string) {
    const caller = await allowed(c, id, 'write');
    if (caller instanceof Response) return caller;
    const { source, taken } = await upstreamOf(id);
    if (!source)
      return fail(c, 409, UpstreamErrorCode.notConfigured, 'Name the key columns of the source first');
    const release = await releaseOf(c, source.url);
    if (release instanceof Response) return release;
    const missing = await deps.relay.readDocument(validatedRoom(id), (doc) =>
      missingKeyFields(doc, release.table, source.key),
    );
    if (missing.length > 0)
      return fail(c, 422, UpstreamErrorCode.badKey, `Key columns missing: ${missing.join(', ')}`, {
        fields: missing,
      });
    let base: Table | null = null;
    if (taken) {
      const read = await readTable(taken.bytes, taken.filename);
      base = 'code' in read ? null : read;
    }
    return { caller, source, release, base };
  }

  /** One release at a time per dataset: a run waits for the one before. */
  function serially<T>(id: string, run: () => Promise<T>): Promise<T> {
    const previous = running.get(id) ?? Promise.resolve();
    const next = previous.then(run, run);
    const settled = next.catch(() => undefined);
    running.set(id, settled);
    void settled.then(() => {
      if (running.get(id) === settled) running.delete(id);
    });
    return next;
  }

  app.get('/api/datasets/:id/upstream', async (c) => {
    const id = c.req.param('id');
    const caller = await allowed(c, id, 'write');
    if (caller instanceof Response) return caller;
    const { source, taken } = await upstreamOf(id);
    const answer: UpstreamSettings = {
      url: source?.url ?? null,
      key: source?.key ?? [],
      lastRelease: taken ? { filename: taken.filename, takenAt: taken.takenAt, rows: taken.rows } : null,
    };
    return c.json(answer);
  });

  app.put('/api/datasets/:id/upstream', async (c) => {
    const id = c.req.param('id');
    const caller = await allowed(c, id, 'own');
    if (caller instanceof Response) return caller;
    const body = await jsonBody(c);
    if (body instanceof Response) return body;
    const { url, key } = body;
    const keyOk = Array.isArray(key) && key.length > 0 && key.every((k) => typeof k === 'string' && k !== '');
    const urlOk = url === undefined || url === null || (typeof url === 'string' && isReleaseUrl(url));
    if (!keyOk || !urlOk)
      return fail(
        c,
        400,
        UpstreamErrorCode.invalidSettings,
        'Send {url?: an http(s) URL or null, key: [column, …]}',
      );
    const fields = new Set(await deps.relay.readDocument(validatedRoom(id), fieldNames));
    const unknown = (key as string[]).filter((k) => !fields.has(k));
    if (unknown.length > 0)
      return fail(c, 422, UpstreamErrorCode.badKey, `Not fields of the dataset: ${unknown.join(', ')}`, {
        fields: unknown,
      });
    const source = { url: typeof url === 'string' ? url : null, key: key as string[] };
    await deps.relay.changeDocuments([upstreamRoom(id)], ([doc]) => writeSource(doc as Y.Doc, source));
    return c.json({ ...source, lastRelease: null } satisfies UpstreamSettings);
  });

  // Names the release the dataset's data currently reflects (the base of the next merge), taking nothing in.
  app.post('/api/datasets/:id/upstream/release', async (c) => {
    const id = c.req.param('id');
    const caller = await allowed(c, id, 'own');
    if (caller instanceof Response) return caller;
    const { source } = await upstreamOf(id);
    const release = await releaseOf(c, source?.url ?? null);
    if (release instanceof Response) return release;
    const kept = {
      filename: release.filename,
      takenAt: new Date().toISOString(),
      rows: release.table.rows.length,
    };
    await deps.relay.changeDocuments([upstreamRoom(id)], ([doc]) =>
      keepRelease(doc as Y.Doc, { ...kept, bytes: release.bytes }),
    );
    return c.json(kept);
  });

  app.post('/api/datasets/:id/upstream/dry-run', async (c) => {
    const id = c.req.param('id');
    const ready = await prepare(c, id);
    if (ready instanceof Response) return ready;
    const plan = await deps.relay.readDocument(validatedRoom(id), (doc) =>
      planRelease(doc, ready.base, ready.release.table, ready.source.key),
    );
    return c.json({
      ...dryRun(plan, EXAMPLES),
      filename: ready.release.filename,
    } satisfies UpstreamRunAnswer);
  });

  app.post('/api/datasets/:id/upstream/apply', async (c) => {
    const id = c.req.param('id');
    const ready = await prepare(c, id);
    if (ready instanceof Response) return ready;
    const actor = await actorOf(ready.caller);
    const answer = await serially(id, () =>
      deps.relay.changeDocuments(
        [validatedRoom(id), roomName(id, 'pending'), upstreamRoom(id)],
        ([validated, pending, upstream]) => {
          // Planned inside the write, on the documents as they are now: nothing slips in between.
          const plan = planRelease(validated!, ready.base, ready.release.table, ready.source.key);
          const at = new Date().toISOString();
          const batchId = `upstream-${at.replace(/[^0-9]/g, '').slice(0, 14)}-${Math.random().toString(36).slice(2, 8)}`;
          const taken = takeRelease(validated!, pending!, plan, actor, {
            datasetId: id,
            filename: ready.release.filename,
            at,
            batchId,
          });
          keepRelease(upstream!, {
            filename: ready.release.filename,
            takenAt: at,
            rows: ready.release.table.rows.length,
            bytes: ready.release.bytes,
          });
          return {
            ...dryRun(plan, EXAMPLES),
            filename: ready.release.filename,
            batchId: taken.batchId,
            proposalsSent: taken.proposalIds.length,
          } satisfies UpstreamRunAnswer;
        },
      ),
    );
    return c.json(answer);
  });

  app.get('/api/datasets/:id/upstream/changes.csv', async (c) => {
    const id = c.req.param('id');
    const caller = await allowed(c, id, 'write');
    if (caller instanceof Response) return caller;
    const { source, taken } = await upstreamOf(id);
    if (!source)
      return fail(c, 409, UpstreamErrorCode.notConfigured, 'Name the key columns of the source first');
    if (!taken) return fail(c, 409, UpstreamErrorCode.noReleaseTaken, 'No release was taken yet');
    const base = await readTable(taken.bytes, taken.filename);
    if ('code' in base)
      return fail(c, 422, UpstreamErrorCode.unreadable, 'The last release cannot be read', {
        detail: base.code,
      });
    const changes = await deps.relay.readDocument(validatedRoom(id), (doc) => {
      const fields = new Set(fieldNames(doc));
      return changesSinceRelease({
        base,
        ours: hubRecords(doc),
        key: source.key,
        fields: base.fields.filter((f) => fields.has(f)),
        changedAt: lastChanges(doc),
      });
    });
    const bytes = await changesCsv(changes);
    return c.body(new Uint8Array(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength), 200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${id}-corrections.csv"`,
    });
  });

  return app;
}
