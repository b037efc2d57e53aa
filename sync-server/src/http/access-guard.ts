/**
 * Who is calling and what they may do with a dataset, for every HTTP route. The caller comes
 * from `Authorization: Bearer` or the session cookie; cookie-borne writes must come from our own
 * origin (CSRF). Invariant: a dataset the caller may not read answers 404 like a missing one,
 * so ids of private datasets never leak; 401 only when signing in could help.
 */
import { AccessErrorCode, isDatasetId, parseRoomName, RequestLimitErrorCode } from '@datapatch/protocol';
import type { Context, MiddlewareHandler } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import {
  type AccessDependencies,
  accessTo,
  type DatasetSettings,
  datasetSettings,
  effectiveRole,
  getUser,
  type Role,
  registerDataset,
  type SessionKind,
  sessionPresented,
  sessionTokenFrom,
} from '../access/index.ts';
import type { RowValidator } from '../proposals/index.ts';
import type { SyncRelay } from '../relay/relay.ts';
import type { ServerAccess } from '../server/access-wiring.ts';
import type { ProposalStore } from '../store/proposal-store.ts';
import type { DataAccess } from './data-routes.ts';
import { declaredOverCap, readCappedBody } from './request-body.ts';

/** Codes this module adds to the access codes of @datapatch/protocol. */
export const GuardErrorCode = {
  /** A cookie-authenticated write without a same-origin `Origin` / `Sec-Fetch-Site`. */
  crossSite: 'cross_site_request',
  /** The request body is not the JSON object the route expects. */
  invalidBody: 'invalid_body',
} as const;

export type DatasetNeed = 'read' | 'write' | 'moderate' | 'own';

export interface Caller {
  userId: string | null;
  /** How the caller authenticated; null when anonymous. */
  via: SessionKind | null;
  /** The raw session token (to sign it out); null when anonymous. */
  token: string | null;
}

/** What the route modules need from the running server. */
export interface RouteDependencies {
  access: ServerAccess;
  /** Anonymous proposals (intake, receipts, delivery into pending documents). */
  proposals: ProposalStore;
  relay: Pick<SyncRelay, 'changeDocuments' | 'readDocument' | 'reauthorize'>;
  /** The compiled schema of a dataset's validated document (undefined: no dataset there). */
  schemaFor(datasetId: string): Promise<RowValidator | undefined>;
  /** Take the client address from `X-Forwarded-For` (only behind a proxy you run). */
  trustProxy: boolean;
  /** Several processes: asks the others to re-check their sockets too (bus/cluster-reauthorization.ts). */
  announceReauthorization?(datasetId: string | null): Promise<void>;
}

export interface DatasetCaller extends Caller {
  role: Role | 'anonymous';
  settings: DatasetSettings;
}

/** What the guard needs from the server: the access database and the system clock/randomness. */
export interface AccessContext {
  deps: AccessDependencies;
}

export type AccessEnv = { Variables: { access: AccessContext; caller: Caller } };

type ErrorStatus = 401 | 403 | 404;

export function guardError(c: Context, status: ErrorStatus, code: string, message: string): Response {
  return c.json({ error: { code, message } }, status);
}

/**
 * Puts the access context and the caller (their session looked up once) on every request;
 * mount before any route that calls the guard.
 */
export function accessMiddleware(access: AccessContext): MiddlewareHandler<AccessEnv> {
  return async (c, next) => {
    c.set('access', access);
    c.set('caller', await findCaller(c, access.deps));
    await next();
  };
}

async function findCaller(c: Context, deps: AccessDependencies): Promise<Caller> {
  const found = sessionTokenFrom({
    authorization: c.req.header('authorization'),
    cookie: c.req.header('cookie'),
  });
  const session = found ? await sessionPresented(deps, found) : undefined;
  return found && session
    ? { userId: session.userId, via: found.via, token: found.token }
    : { userId: null, via: null, token: null };
}

export function accessContextOf(c: Context): AccessContext {
  const access = (c as Context<AccessEnv>).get('access');
  if (!access)
    throw Object.assign(new Error('accessMiddleware is not mounted'), { code: 'no-access-context' });
  return access;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * True when a cookie-borne request may change something: the browser said it comes from our
 * own origin. Bearer tokens are never sent by a browser on its own, so they need no such proof.
 */
export function isSameOrigin(c: Context): boolean {
  if (c.req.header('sec-fetch-site') === 'same-origin') return true;
  const origin = c.req.header('origin');
  if (!origin || origin === 'null') return false;
  const host = c.req.header('host') ?? new URL(c.req.url).host;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

/** The signed-in person, or an anonymous caller when there is no live session (as `accessMiddleware` found). */
export function callerOf(c: Context): Caller {
  accessContextOf(c);
  return (c as Context<AccessEnv>).get('caller') ?? { userId: null, via: null, token: null };
}

/** A CSRF refusal for cookie-borne writes from another origin, else null. */
export function refuseCrossSite(c: Context, caller: Caller): Response | null {
  if (caller.via !== 'cookie' || SAFE_METHODS.has(c.req.method) || isSameOrigin(c)) return null;
  return guardError(
    c,
    403,
    GuardErrorCode.crossSite,
    'Cookie-authenticated writes must come from this site (Origin header)',
  );
}

/** A signed-in caller, or a 401/403 answer. */
export function requireSignedIn(c: Context): Caller | Response {
  const caller = callerOf(c);
  if (caller.userId === null) {
    return guardError(c, 401, AccessErrorCode.unauthenticated, 'Sign in first');
  }
  return refuseCrossSite(c, caller) ?? caller;
}

function allows(need: DatasetNeed, role: Role | 'anonymous', settings: DatasetSettings): boolean {
  switch (need) {
    case 'read':
      return accessTo(role, 'validated', settings) !== 'none';
    case 'write':
      return accessTo(role, 'validated', settings) === 'write';
    case 'moderate':
      return accessTo(role, 'pending', settings) === 'write';
    case 'own':
      return role === 'owner';
  }
}

/**
 * The caller and their role on a dataset when they may do `need` with it, else the JSON error
 * to return: 404 when they may not even read it (or it does not exist, or the id is malformed),
 * 401 when anonymous, 403 when signed in without the role, 403 for cross-site cookie writes.
 */
export async function requireDatasetAccess(
  c: Context,
  datasetId: string,
  need: DatasetNeed,
): Promise<DatasetCaller | Response> {
  const notFound = () => guardError(c, 404, AccessErrorCode.datasetNotFound, 'No such dataset');
  if (!isDatasetId(datasetId)) return notFound();
  const { deps } = accessContextOf(c);
  const caller = callerOf(c);
  const settings = await datasetSettings(deps.store, datasetId);
  if (!settings) return notFound();
  const role = await effectiveRole(deps.store, caller.userId, datasetId);
  if (!allows('read', role, settings)) return notFound();
  const crossSite = refuseCrossSite(c, caller);
  if (crossSite) return crossSite;
  if (!allows(need, role, settings)) {
    return caller.userId === null
      ? guardError(c, 401, AccessErrorCode.unauthenticated, 'Sign in first')
      : guardError(c, 403, AccessErrorCode.forbidden, `Your role (${role}) may not do this`);
  }
  return { ...caller, role, settings };
}

/** HTTP status for each expected failure code; anything unlisted is a 400. */
const STATUS: Record<string, ContentfulStatusCode> = {
  invalid_credentials: 401,
  unauthenticated: 401,
  too_many_attempts: 429,
  forbidden: 403,
  user_not_found: 404,
  hub_not_found: 404,
  dataset_not_found: 404,
  invite_not_found: 404,
  reset_not_found: 404,
  proposal_not_found: 404,
  email_taken: 409,
  dataset_exists: 409,
  last_owner: 409,
  proposal_not_pending: 409,
  idempotency_key_reused: 409,
  invite_expired: 410,
  invite_used_up: 410,
  invite_revoked: 410,
  reset_used: 410,
  reset_expired: 410,
  proposal_too_large: 413,
  proposals_closed: 403,
  proposal_field_closed: 422,
  proposal_invalid: 422,
  rate_limited: 429,
  too_many_pending: 429,
};

/** Answers an expected failure `{ ok: false, error }` as `{ error }` with its status (and Retry-After). */
export function sendFailure(
  c: Context,
  failure: { error: { code: string; message: string; retryAfterMs?: number } },
): Response {
  const status = STATUS[failure.error.code] ?? 400;
  if (failure.error.retryAfterMs !== undefined) {
    c.header('Retry-After', String(Math.max(1, Math.ceil(failure.error.retryAfterMs / 1000))));
  }
  return c.json({ error: failure.error }, status);
}

/** The largest JSON body any route reads (the import route reads its file on its own terms). */
export const MAX_JSON_BODY_BYTES = 1024 * 1024;

/**
 * A JSON body as an object, or the answer to send: 400 `invalid_body`, or 413 `body_too_large`
 * past `MAX_JSON_BODY_BYTES` (from `Content-Length` before reading, else as the bytes arrive),
 * with `Connection: close` so the rest is not read either.
 */
export async function jsonBody(c: Context): Promise<Record<string, unknown> | Response> {
  const tooLarge = () => {
    c.header('Connection', 'close');
    return c.json(
      {
        error: {
          code: RequestLimitErrorCode.bodyTooLarge,
          message: `A JSON body is at most ${MAX_JSON_BODY_BYTES} bytes`,
        },
      },
      413,
    );
  };
  if (declaredOverCap(c, MAX_JSON_BODY_BYTES)) return tooLarge();
  const read = await readCappedBody(c.req.raw, MAX_JSON_BODY_BYTES);
  if (!read.ok && read.reason === 'too-large') return tooLarge();
  try {
    if (read.ok) {
      const body: unknown = JSON.parse(new TextDecoder().decode(read.bytes));
      if (body && typeof body === 'object' && !Array.isArray(body)) return body as Record<string, unknown>;
    }
  } catch {
    // fall through
  }
  return c.json({ error: { code: GuardErrorCode.invalidBody, message: 'Send a JSON object' } }, 400);
}

/** The client's address; hash it at once with `hashAddress`, never store or pass it on. */
export function clientAddress(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
    if (forwarded) return forwarded;
  }
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress ?? 'unknown';
}

/**
 * The data routes' access questions (issue 3), answered by the rules above: reading needs
 * 'read'; importing into an existing dataset needs 'write'; a new dataset may be created by
 * any signed-in member, who becomes its owner (private, proposals closed until they say).
 */
export function dataAccessFrom(deps: RouteDependencies): DataAccess {
  return {
    async read(c, datasetId) {
      const caller = await requireDatasetAccess(c, datasetId, 'read');
      return caller instanceof Response ? caller : { public: caller.settings.visibility === 'public' };
    },
    async importInto(c, datasetId, exists) {
      const caller = exists ? await requireDatasetAccess(c, datasetId, 'write') : requireSignedIn(c);
      if (caller instanceof Response) return caller;
      const userId = caller.userId ?? '';
      const user = await getUser(deps.access.deps.store, userId);
      const actor = { id: userId, ...(user ? { name: user.displayName } : {}) };
      if (exists) return { actor };
      if (await datasetSettings(deps.access.deps.store, datasetId)) {
        return guardError(c, 403, AccessErrorCode.forbidden, 'This dataset id is taken');
      }
      return {
        actor,
        created: async () => {
          await registerDataset(deps.access.deps, { datasetId, ownerId: userId });
        },
      };
    },
  };
}

/** Roles and settings changed for a dataset (or null: sessions changed): re-check open sockets, on every process. */
export async function reauthorizeDataset(deps: RouteDependencies, datasetId: string | null): Promise<void> {
  await deps.relay.reauthorize(roomsOfDataset(datasetId));
  await deps.announceReauthorization?.(datasetId);
}

/** The rooms of one dataset (null: every room). */
export function roomsOfDataset(datasetId: string | null): (room: string) => boolean {
  return (room) => datasetId === null || parseRoomName(room)?.datasetId === datasetId;
}

/** Whether the caller may read a dataset (for lists: no error answer needed). */
export async function mayRead(c: Context, datasetId: string): Promise<boolean> {
  const { deps } = accessContextOf(c);
  const settings = await datasetSettings(deps.store, datasetId);
  return (
    settings !== undefined &&
    allows('read', await effectiveRole(deps.store, callerOf(c).userId, datasetId), settings)
  );
}
