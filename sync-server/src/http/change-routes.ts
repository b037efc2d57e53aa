/**
 * Following a dataset's accepted changes: `GET /api/datasets/:id/changes?since=&limit=` (pages)
 * and `GET /api/datasets/:id/changes/stream` (Server-Sent Events, event id = cursor, resumes
 * from `Last-Event-ID`, heartbeats). Invariants: read access as for rows (a private dataset is
 * 404 to those who may not read it); at most `maxStreamsPerAddress` streams per client address;
 * a stream sends each change once, in changelog order. A page asked with `offset`, `rowId` or
 * `proposalId` is the older changelog view, left to the moderation routes.
 */
import { isDataset } from '@datapatch/core';
import {
  ChangeFeedErrorCode,
  type ChangesPage,
  type FeedRole,
  isDatasetId,
  roomName,
} from '@datapatch/protocol';
import { type Context, Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import type * as Y from 'yjs';
import { effectiveRole } from '../access/index.ts';
import {
  DEFAULT_CHANGES_LIMIT,
  type EntriesAfter,
  entriesAfter,
  feedChange,
  lastCursor,
  MAX_CHANGES_LIMIT,
  officialProposals,
  roleFromEntry,
} from '../data/change-feed.ts';
import type { DatasetRegistry } from '../store/dataset-registry.ts';
import { clientAddress } from './access-guard.ts';
import { type DataAccess, type DataRelay, openDataAccess } from './data-routes.ts';

export interface ChangeRoutesOptions {
  relay: Pick<DataRelay, 'readDocument' | 'roomsInMemory'>;
  registry: DatasetRegistry;
  access?: DataAccess;
  /** The role of the person behind an actor id in a dataset (undefined: unknown → 'editor'). */
  roleOf?: (datasetId: string, actorId: string) => Promise<FeedRole | undefined> | FeedRole | undefined;
  /** Open streams one client address may hold (default 4). */
  maxStreamsPerAddress?: number;
  /** Milliseconds between heartbeats on an idle stream (default 15 s). */
  heartbeatMs?: number;
  trustProxy?: boolean;
}

/** The feed's role of an actor, from the access database (readers and strangers: unknown). */
export function feedRoleOf(
  store: Parameters<typeof effectiveRole>[0],
): NonNullable<ChangeRoutesOptions['roleOf']> {
  return async (datasetId, actorId) => {
    const role = await effectiveRole(store, actorId, datasetId);
    return role === 'owner' || role === 'editor' || role === 'moderator' ? role : undefined;
  };
}

/** How long a stream waits for a change before it reads the document again. */
const RECHECK_MS = 1000;

const CORS_HEADERS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, HEAD, OPTIONS',
  'Access-Control-Allow-Headers': 'Last-Event-ID',
};

function apiError(c: Context, status: 400 | 404 | 429, code: string, message: string) {
  return c.json({ error: { code, message } }, status);
}

/** Wakes the streams waiting on a document when it receives an update. */
class UpdateSignals {
  #waiting = new WeakMap<Y.Doc, Set<() => void>>();

  wait(doc: Y.Doc, ms: number, signal: { aborted: boolean; wake?: () => void }): Promise<void> {
    let set = this.#waiting.get(doc);
    if (!set) {
      const waiters = new Set<() => void>();
      set = waiters;
      this.#waiting.set(doc, waiters);
      doc.on('update', () => {
        for (const wake of [...waiters]) wake();
      });
    }
    const waiters = set;
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        waiters.delete(done);
        signal.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      waiters.add(done);
      signal.wake = done;
    });
  }
}

/** A dataset's changes after a cursor, with the document read (to wait on its updates). */
export type ChangesReader = (
  datasetId: string,
  since: string | null,
  limit: number,
) => Promise<{ answer: ChangesPage; doc: Y.Doc } | null | 'bad-cursor'>;

/** Reads change pages as the feed serves them: null when the dataset is gone, 'bad-cursor' when `since` is unknown. */
export function changesReader(options: Pick<ChangeRoutesOptions, 'relay' | 'roleOf'>): ChangesReader {
  const { relay } = options;
  /** The role of each entry's author; one access question per actor per page. */
  async function roleOf(
    datasetId: string,
    item: EntriesAfter['entries'][number],
    asked: Map<string, FeedRole>,
    official: ReadonlySet<string>,
  ): Promise<FeedRole> {
    const known = roleFromEntry(item.entry, official) ?? asked.get(item.entry.by.id);
    if (known) return known;
    const role = (await options.roleOf?.(datasetId, item.entry.by.id)) ?? 'editor';
    asked.set(item.entry.by.id, role);
    return role;
  }

  /** A page after `since`; null when the dataset is gone, 'bad-cursor' when `since` is unknown. */
  async function page(datasetId: string, since: string | null, limit: number) {
    const read = await relay.readDocument(roomName(datasetId, 'validated'), (doc) => {
      if (!isDataset(doc)) return null;
      return { doc, after: entriesAfter(doc, since, limit) };
    });
    if (read === null) return null;
    if (read.after === null) return 'bad-cursor' as const;
    const changes = [];
    const asked = new Map<string, FeedRole>();
    const proposalIds = new Set(read.after.entries.flatMap((item) => item.entry.proposalId ?? []));
    const official =
      proposalIds.size === 0
        ? new Set<string>()
        : await relay.readDocument(roomName(datasetId, 'pending'), (pending) =>
            officialProposals(pending, proposalIds),
          );
    for (const item of read.after.entries)
      changes.push(feedChange(item, await roleOf(datasetId, item, asked, official)));
    const answer: ChangesPage = {
      datasetId,
      changes,
      next: changes.at(-1)?.cursor ?? since,
      more: read.after.more,
    };
    return { answer, doc: read.doc };
  }

  return page;
}

export function changeRoutes(options: ChangeRoutesOptions): Hono {
  const { relay, registry } = options;
  const access = options.access ?? openDataAccess;
  const maxStreams = options.maxStreamsPerAddress ?? 4;
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const streams = new Map<string, number>();
  const signals = new UpdateSignals();
  const app = new Hono();

  async function readable(c: Context): Promise<{ id: string; public: boolean } | Response> {
    const id = c.req.param('id') ?? '';
    const missing = () => apiError(c, 404, 'dataset_not_found', 'No such dataset');
    if (!isDatasetId(id)) return missing();
    const allowed = await access.read(c, id);
    if (allowed instanceof Response) return allowed;
    const known =
      relay.roomsInMemory().includes(roomName(id, 'validated')) || (await registry.get(id)) !== null;
    return known ? { id, public: allowed.public } : missing();
  }

  const page = changesReader(options);

  const badCursor = (c: Context) =>
    apiError(c, 400, ChangeFeedErrorCode.badCursor, 'since is not a cursor of this dataset’s changes');

  for (const path of ['/api/datasets/:id/changes', '/api/datasets/:id/changes/stream'])
    app.options(path, (c) => c.body(null, 204, CORS_HEADERS));

  app.get('/api/datasets/:id/changes', async (c, next) => {
    // `offset`, `rowId`, `proposalId`: the moderators' changelog view (moderation-routes.ts).
    const q = c.req.query();
    if (q.offset !== undefined || q.rowId !== undefined || q.proposalId !== undefined) return next();
    const target = await readable(c);
    if (target instanceof Response) return target;
    const cors: Record<string, string> = target.public ? { 'Access-Control-Allow-Origin': '*' } : {};
    const limitText = c.req.query('limit');
    const limit = limitText === undefined ? DEFAULT_CHANGES_LIMIT : Number(limitText);
    if (!/^\d{1,4}$/.test(limitText ?? '1') || limit < 1 || limit > MAX_CHANGES_LIMIT)
      return apiError(c, 400, ChangeFeedErrorCode.badLimit, `limit is 1 to ${MAX_CHANGES_LIMIT}`);
    const since = c.req.query('since') || null;
    const read = await page(target.id, since, limit);
    if (read === null) return apiError(c, 404, 'dataset_not_found', 'No such dataset');
    if (read === 'bad-cursor') return badCursor(c);
    return c.json(read.answer, 200, { ...cors, 'Cache-Control': 'no-cache' });
  });

  app.get('/api/datasets/:id/changes/stream', async (c) => {
    const target = await readable(c);
    if (target instanceof Response) return target;
    const room = roomName(target.id, 'validated');
    // No cursor: only what changes from now on.
    let cursor =
      c.req.header('last-event-id') || c.req.query('since') || (await relay.readDocument(room, lastCursor));
    const first = await page(target.id, cursor, MAX_CHANGES_LIMIT);
    if (first === null) return apiError(c, 404, 'dataset_not_found', 'No such dataset');
    if (first === 'bad-cursor') return badCursor(c);
    const address = clientAddress(c, options.trustProxy ?? false);
    const open = streams.get(address) ?? 0;
    if (open >= maxStreams)
      return apiError(
        c,
        429,
        ChangeFeedErrorCode.tooManyStreams,
        `At most ${maxStreams} open streams per address`,
      );
    streams.set(address, open + 1);
    if (target.public) for (const [k, v] of Object.entries(CORS_HEADERS)) c.header(k, v);
    c.header('Cache-Control', 'no-cache');
    c.header('X-Accel-Buffering', 'no');
    const signal: { aborted: boolean; wake?: () => void } = { aborted: false };
    return streamSSE(
      c,
      async (stream) => {
        stream.onAbort(() => {
          signal.aborted = true;
          signal.wake?.();
        });
        try {
          let read: Awaited<ReturnType<typeof page>> = first;
          let quietSince = Date.now();
          await stream.write(': datapatch change stream\n\n');
          while (!signal.aborted && read !== null && read !== 'bad-cursor') {
            for (const change of read.answer.changes) {
              await stream.writeSSE({ id: change.cursor, event: 'change', data: JSON.stringify(change) });
              cursor = change.cursor;
              quietSince = Date.now();
            }
            if (!read.answer.more) {
              await signals.wait(read.doc, Math.min(RECHECK_MS, heartbeatMs), signal);
              if (Date.now() - quietSince >= heartbeatMs) {
                await stream.write(': heartbeat\n\n');
                quietSince = Date.now();
              }
            }
            if (signal.aborted) break;
            read = await page(target.id, cursor, MAX_CHANGES_LIMIT);
          }
        } finally {
          const left = (streams.get(address) ?? 1) - 1;
          if (left > 0) streams.set(address, left);
          else streams.delete(address);
        }
      },
      async () => {
        signal.aborted = true;
      },
    );
  });

  return app;
}
