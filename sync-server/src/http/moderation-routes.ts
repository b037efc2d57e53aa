/**
 * Moderation over HTTP: list proposals, accept (all or some fields), reject, undo, and page the
 * changelog. Invariant: the same @datapatch/core functions as the app's live moderation run on
 * the relay's live documents, so connected clients see the result at once and it is stored in
 * the durable log like any client update; the answer is sent once that is on disk.
 */
import {
  type AcceptOptions,
  type Actor,
  acceptProposal,
  type CellValue,
  listProposals,
  type ProposalStatus,
  readChangelog,
  rejectProposal,
  undoDecision,
} from '@datapatch/core';
import { roomName } from '@datapatch/protocol';
import { type Context, Hono } from 'hono';
import { getUser } from '../access/index.ts';
import { jsonBody, type RouteDependencies, requireDatasetAccess } from './access-guard.ts';

export const ModerationErrorCode = {
  /** A query parameter is not one of the accepted forms (never passed to SQL in any case). */
  invalidFilter: 'invalid_filter',
  /** Values changed since the contributor saw them; `conflicts` holds base, current, proposed. */
  conflict: 'conflict',
  alreadyDecided: 'already_decided',
  notDecided: 'not_decided',
  unknownField: 'unknown_field',
  rowMissing: 'row_missing',
  invalidValue: 'invalid_value',
} as const;

const STATUSES: readonly ProposalStatus[] = [
  'pending',
  'accepted',
  'partially-accepted',
  'rejected',
  'withdrawn',
];
/** Field names and row ids: 1-200 characters, no control character. */
const NAME = { test: (text: string) => text.length > 0 && text.length <= 200 && !/\p{Cc}/u.test(text) };
const WHOLE = /^\d{1,15}$/;

function invalidFilter(c: Context, name: string) {
  return c.json(
    { error: { code: ModerationErrorCode.invalidFilter, message: `Invalid value for ${name}` } },
    400,
  );
}

function isCell(value: unknown): value is CellValue {
  return (
    value === null ||
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value))
  );
}

/** The core's result codes as wire answers. */
function coreFailure(c: Context, result: { code: string; conflicts?: unknown; fields?: unknown }) {
  switch (result.code) {
    case 'not-found':
      return c.json({ error: { code: 'proposal_not_found', message: 'No such proposal' } }, 404);
    case 'conflict':
      return c.json(
        {
          error: {
            code: ModerationErrorCode.conflict,
            message: 'Values changed since the proposal was made; resend with force to overwrite',
            conflicts: result.conflicts,
          },
        },
        409,
      );
    case 'unknown-field':
      return c.json(
        {
          error: { code: ModerationErrorCode.unknownField, message: 'Unknown field', fields: result.fields },
        },
        422,
      );
    default: {
      const code = result.code.replace(/-/g, '_');
      return c.json({ error: { code, message: `Refused: ${result.code}` } }, 409);
    }
  }
}

export function moderationRoutes(deps: RouteDependencies): Hono {
  const app = new Hono();
  const { store } = deps.access.deps;

  async function moderatorOf(userId: string | null): Promise<Actor> {
    const user = userId === null ? undefined : await getUser(store, userId);
    // The hub a moderator acts for, by name, when they belong to exactly one: the record page
    // says "validée par <hub>" (provenance), never the person.
    const hubs = userId === null ? [] : await store.hubsOf(userId);
    const hub = hubs.length === 1 ? hubs[0]?.name : undefined;
    return { id: userId ?? 'unknown', ...(user ? { name: user.displayName } : {}), ...(hub ? { hub } : {}) };
  }

  /** Runs a core decision on the live documents; a thrown core error is a 400 `invalid_value`. */
  async function decide<T>(
    c: Context,
    datasetId: string,
    run: (validated: import('yjs').Doc, pending: import('yjs').Doc) => T,
  ): Promise<T | Response> {
    try {
      return await deps.relay.changeDocuments(
        [roomName(datasetId, 'validated'), roomName(datasetId, 'pending')],
        ([validated, pending]) => run(validated!, pending!),
      );
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code === 'invalid-value' || code === 'unknown-row' || code === 'unknown-field') {
        return c.json({ error: { code: ModerationErrorCode.invalidValue, message: String(code) } }, 400);
      }
      throw error;
    }
  }

  /** Filters: status (one or a comma list), rowId, field, olderThanMs, newerThanMs; limit/offset. */
  app.get('/api/datasets/:id/proposals', async (c) => {
    const datasetId = c.req.param('id');
    const caller = await requireDatasetAccess(c, datasetId, 'moderate');
    if (caller instanceof Response) return caller;
    const q = c.req.query();
    const statuses = q.status?.split(',');
    if (statuses?.some((s) => !STATUSES.includes(s as ProposalStatus))) return invalidFilter(c, 'status');
    for (const name of ['rowId', 'field'] as const) {
      if (q[name] !== undefined && !NAME.test(q[name])) return invalidFilter(c, name);
    }
    for (const name of ['olderThanMs', 'newerThanMs', 'limit', 'offset'] as const) {
      if (q[name] !== undefined && !WHOLE.test(q[name])) return invalidFilter(c, name);
    }
    const limit = Math.min(Number(q.limit ?? 100), 1000);
    const offset = Number(q.offset ?? 0);
    const now = Date.now();
    const all = await deps.relay.readDocument(roomName(datasetId, 'pending'), (pending) =>
      listProposals(pending, {
        ...(statuses ? { status: statuses as ProposalStatus[] } : {}),
        ...(q.rowId !== undefined ? { rowId: q.rowId } : {}),
      }),
    );
    const field = q.field;
    const older = q.olderThanMs === undefined ? null : now - Number(q.olderThanMs);
    const newer = q.newerThanMs === undefined ? null : now - Number(q.newerThanMs);
    const matching = all.filter((proposal) => {
      if (field !== undefined && !(field in proposal.proposed) && !(field in proposal.base)) return false;
      const created = Date.parse(proposal.createdAt);
      if (older !== null && created > older) return false;
      if (newer !== null && created < newer) return false;
      return true;
    });
    return c.json({ total: matching.length, proposals: matching.slice(offset, offset + limit) });
  });

  /** `{fields?, edits?, force?, refusedReasons?}`. */
  app.post('/api/datasets/:id/proposals/:pid/accept', async (c) => {
    const datasetId = c.req.param('id');
    const caller = await requireDatasetAccess(c, datasetId, 'moderate');
    if (caller instanceof Response) return caller;
    const body = c.req.header('content-length') === '0' ? {} : await jsonBody(c);
    if (body instanceof Response) return body;
    const options: AcceptOptions = {
      moderator: await moderatorOf(caller.userId),
      force: body.force === true,
    };
    if (body.fields !== undefined) {
      if (!Array.isArray(body.fields) || !body.fields.every((f) => typeof f === 'string' && NAME.test(f)))
        return invalidFilter(c, 'fields');
      options.fields = body.fields as string[];
    }
    if (body.edits !== undefined) {
      const edits = body.edits as Record<string, unknown>;
      if (!edits || typeof edits !== 'object' || Array.isArray(edits) || !Object.values(edits).every(isCell))
        return invalidFilter(c, 'edits');
      options.edits = edits as Record<string, CellValue>;
    }
    if (body.refusedReasons !== undefined) {
      const reasons = body.refusedReasons as Record<string, unknown>;
      if (
        !reasons ||
        typeof reasons !== 'object' ||
        Array.isArray(reasons) ||
        !Object.entries(reasons).every(([f, r]) => NAME.test(f) && typeof r === 'string' && r.length <= 2000)
      )
        return invalidFilter(c, 'refusedReasons');
      options.refusedReasons = reasons as Record<string, string>;
    }
    const pid = c.req.param('pid');
    const result = await decide(c, datasetId, (validated, pending) =>
      acceptProposal(validated, pending, pid, options),
    );
    if (result instanceof Response) return result;
    if (!result.ok) return coreFailure(c, result);
    // Decided: it stops counting against its contributor's pending cap (the status itself stays
    // in the pending document).
    await deps.proposals.settle([pid], deps.access.deps.clock());
    return c.json(result);
  });

  /** `{reason?}`. */
  app.post('/api/datasets/:id/proposals/:pid/reject', async (c) => {
    const datasetId = c.req.param('id');
    const caller = await requireDatasetAccess(c, datasetId, 'moderate');
    if (caller instanceof Response) return caller;
    const body = c.req.header('content-length') === '0' ? {} : await jsonBody(c);
    if (body instanceof Response) return body;
    if (body.reason !== undefined && (typeof body.reason !== 'string' || body.reason.length > 2000))
      return invalidFilter(c, 'reason');
    const pid = c.req.param('pid');
    const moderator = await moderatorOf(caller.userId);
    const result = await decide(c, datasetId, (_validated, pending) =>
      rejectProposal(pending, pid, {
        moderator,
        ...(typeof body.reason === 'string' ? { reason: body.reason } : {}),
      }),
    );
    if (result instanceof Response) return result;
    if (!result.ok) return coreFailure(c, result);
    await deps.proposals.settle([pid], deps.access.deps.clock());
    return c.json(result);
  });

  /** `{force?}`: the decision is undone, the proposal is pending again. */
  app.post('/api/datasets/:id/proposals/:pid/undo', async (c) => {
    const datasetId = c.req.param('id');
    const caller = await requireDatasetAccess(c, datasetId, 'moderate');
    if (caller instanceof Response) return caller;
    const body = c.req.header('content-length') === '0' ? {} : await jsonBody(c);
    if (body instanceof Response) return body;
    const pid = c.req.param('pid');
    const moderator = await moderatorOf(caller.userId);
    const result = await decide(c, datasetId, (validated, pending) =>
      undoDecision(validated, pending, pid, moderator, { force: body.force === true }),
    );
    if (result instanceof Response) return result;
    if (!result.ok) return coreFailure(c, result);
    // Undone: pending again in the document, but it does not count against the cap again (a
    // proposal a moderator has handled once is no flood).
    return c.json(result);
  });

  /** The changelog, oldest first: `offset`, `limit` (≤ 1000), `rowId`, `proposalId`. */
  app.get('/api/datasets/:id/changes', async (c) => {
    const datasetId = c.req.param('id');
    const caller = await requireDatasetAccess(c, datasetId, 'read');
    if (caller instanceof Response) return caller;
    const q = c.req.query();
    for (const name of ['limit', 'offset'] as const) {
      if (q[name] !== undefined && !WHOLE.test(q[name])) return invalidFilter(c, name);
    }
    for (const name of ['rowId', 'proposalId'] as const) {
      if (q[name] !== undefined && !NAME.test(q[name])) return invalidFilter(c, name);
    }
    const limit = Math.min(Number(q.limit ?? 100), 1000);
    const offset = Number(q.offset ?? 0);
    const page = await deps.relay.readDocument(roomName(datasetId, 'validated'), (validated) => {
      const entries = readChangelog(validated, {
        ...(q.rowId !== undefined ? { rowId: q.rowId } : {}),
        ...(q.proposalId !== undefined ? { proposalId: q.proposalId } : {}),
      });
      return { total: entries.length, changes: entries.slice(offset, offset + limit) };
    });
    return c.json({ ...page, offset, limit });
  });

  return app;
}
