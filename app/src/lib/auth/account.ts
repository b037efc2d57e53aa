/**
 * The signed-in hub member, as the server's `/api/auth/*` routes describe them.
 * Invariants: the session itself is an HTTP-only cookie the app never sees; these calls are
 * same-origin (the server refuses cookie writes from elsewhere), and an expected failure is a
 * value with a stable code, never a thrown error.
 */
import type { Actor } from '@datapatch/core';
import { AccessErrorCode } from '@datapatch/protocol';

export type Hub = { id: string; name: string };
export type DatasetRole = 'reader' | 'editor' | 'moderator' | 'owner';
export type Account = {
  id: string;
  email: string;
  name: string;
  hubs: Hub[];
  /** Roles by dataset id, when the server lists them. */
  roles: Record<string, DatasetRole>;
};

export type AuthError = {
  code: 'invalid-credentials' | 'rate-limited' | 'unavailable' | 'network' | string;
  message: string;
  retryAfterMs?: number;
};
export type AuthResult<T> = { ok: true; value: T } | { ok: false; error: AuthError };

type Fetch = typeof fetch;

const ROLES = new Set<string>(['reader', 'editor', 'moderator', 'owner']);

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function listOf(value: unknown): unknown[] | undefined {
  return Array.isArray(value) ? value : undefined;
}

/** Reads the body of `GET /api/auth/session` or `/me` (or of a sign-in) leniently: unknown keys are ignored. */
export function readAccount(body: unknown): Account | null {
  if (typeof body !== 'object' || body === null) return null;
  const record = body as Record<string, unknown>;
  const user = (typeof record.user === 'object' && record.user !== null ? record.user : record) as Record<
    string,
    unknown
  >;
  const id = text(user.id);
  if (id === undefined) return null;
  const email = text(user.email) ?? '';
  const name = text(user.displayName) ?? text(user.name) ?? email.split('@')[0] ?? id;
  const hubs: Hub[] = [];
  for (const hub of listOf(record.hubs) ?? listOf(user.hubs) ?? []) {
    const hubId = text((hub as Record<string, unknown>)?.id);
    if (hubId !== undefined)
      hubs.push({ id: hubId, name: text((hub as Record<string, unknown>).name) ?? hubId });
  }
  const roles: Record<string, DatasetRole> = {};
  for (const dataset of listOf(record.datasets) ?? listOf(user.datasets) ?? []) {
    const entry = dataset as Record<string, unknown>;
    const datasetId = text(entry?.id) ?? text(entry?.datasetId);
    const role = text(entry?.role);
    if (datasetId !== undefined && role !== undefined && ROLES.has(role))
      roles[datasetId] = role as DatasetRole;
  }
  return { id, email, name, hubs, roles };
}

/** Who the changelog and decisions name for this account: its id, name and first hub. */
export function actorOf(account: Account): Actor {
  const hub = account.hubs[0]?.name;
  return { id: account.id, name: account.name, ...(hub !== undefined ? { hub } : {}) };
}

async function errorOf(response: Response): Promise<AuthError> {
  try {
    const body = (await response.json()) as {
      error?: { code?: unknown; message?: unknown; retryAfterMs?: unknown };
    };
    const serverCode = text(body.error?.code);
    // The server's codes, in the two words the sign-in page tells apart.
    const code =
      serverCode === AccessErrorCode.invalidCredentials
        ? 'invalid-credentials'
        : serverCode === AccessErrorCode.tooManyAttempts
          ? 'rate-limited'
          : serverCode;
    if (code !== undefined) {
      return {
        code,
        message: text(body.error?.message) ?? code,
        ...(typeof body.error?.retryAfterMs === 'number' ? { retryAfterMs: body.error.retryAfterMs } : {}),
      };
    }
  } catch {
    // Not JSON: described by its status below.
  }
  if (response.status === 401) return { code: 'invalid-credentials', message: 'invalid credentials' };
  if (response.status === 429) return { code: 'rate-limited', message: 'too many attempts' };
  return { code: 'unavailable', message: `HTTP ${response.status}` };
}

/**
 * The signed-in account, or null when nobody is (or the server has no accounts). Asked of
 * `/api/auth/session`, which answers `{user: null}` to nobody instead of a 401 that browsers
 * log as an error on every anonymous page.
 */
export async function fetchAccount(fetcher: Fetch): Promise<AuthResult<Account | null>> {
  let response: Response;
  try {
    response = await fetcher('/api/auth/session', {
      credentials: 'same-origin',
      headers: { accept: 'application/json' },
    });
  } catch {
    return { ok: false, error: { code: 'network', message: 'network error' } };
  }
  if (response.status === 401 || response.status === 404) return { ok: true, value: null };
  if (!response.ok) return { ok: false, error: await errorOf(response) };
  return { ok: true, value: readAccount(await response.json().catch(() => null)) };
}

export async function signIn(fetcher: Fetch, email: string, password: string): Promise<AuthResult<Account>> {
  let response: Response;
  try {
    response = await fetcher('/api/auth/login', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ email: email.trim(), password }),
    });
  } catch {
    return { ok: false, error: { code: 'network', message: 'network error' } };
  }
  if (!response.ok) return { ok: false, error: await errorOf(response) };
  const fromLogin = readAccount(await response.json().catch(() => null));
  if (fromLogin !== null && fromLogin.hubs.length > 0) return { ok: true, value: fromLogin };
  // The login answer may name the user only: the session adds hubs and roles.
  const me = await fetchAccount(fetcher);
  if (me.ok && me.value !== null) return { ok: true, value: me.value };
  if (fromLogin !== null) return { ok: true, value: fromLogin };
  return {
    ok: false,
    error: { code: 'unavailable', message: 'signed in but /api/auth/session answered no user' },
  };
}

export async function signOut(fetcher: Fetch): Promise<void> {
  try {
    await fetcher('/api/auth/logout', { method: 'POST', credentials: 'same-origin' });
  } catch {
    // Offline: the cookie stays until it expires; the app forgets the account anyway.
  }
}
