/**
 * An owner's dataset settings, roles and invite links over the server's API.
 * Invariants: every call is same-origin with the session cookie (the server checks Origin on
 * writes); answers are read leniently and failures are values with the server's code.
 */
import type { DatasetRole } from './account.ts';

export type DatasetSettings = {
  visibility: 'public' | 'private';
  proposals: 'open' | 'closed';
  proposableFields: string[];
};
export type Grant = {
  subject: { kind: 'user' | 'hub'; id: string };
  role: DatasetRole;
  /** The person's or hub's name, and the person's email, when the server gives them. */
  name?: string;
  email?: string;
};

/** What a grant is called on screen: the name and email, never the internal id when a name is known. */
export function grantLabel(grant: Grant): string {
  if (grant.name === undefined) return grant.email ?? grant.subject.id;
  return grant.email !== undefined && grant.email !== '' ? `${grant.name} (${grant.email})` : grant.name;
}

/**
 * Whether the settings screen offers to remove this grant: never one's own (a slip would lock
 * oneself out), never the dataset's last personal owner (the server refuses it: `last_owner`).
 */
export function removable(grant: Grant, grants: readonly Grant[], myId: string): boolean {
  if (grant.subject.kind === 'user' && grant.subject.id === myId) return false;
  const personalOwners = grants.filter((g) => g.subject.kind === 'user' && g.role === 'owner').length;
  return !(grant.subject.kind === 'user' && grant.role === 'owner' && personalOwners <= 1);
}
export type AdminResult<T> = { ok: true; value: T } | { ok: false; error: { code: string; status: number } };

type Fetch = typeof fetch;

async function call<T>(
  fetcher: Fetch,
  method: string,
  url: string,
  read: (body: Record<string, unknown>) => T | null,
  body?: unknown,
): Promise<AdminResult<T>> {
  let response: Response;
  try {
    response = await fetcher(url, {
      method,
      credentials: 'same-origin',
      headers: {
        accept: 'application/json',
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  } catch {
    return { ok: false, error: { code: 'network', status: 0 } };
  }
  const parsed = (await response.json().catch(() => null)) as Record<string, unknown> | null;
  if (!response.ok) {
    const error = parsed?.error as { code?: unknown } | undefined;
    return {
      ok: false,
      error: { code: typeof error?.code === 'string' ? error.code : 'http', status: response.status },
    };
  }
  const value = parsed === null ? null : read(parsed);
  return value === null
    ? { ok: false, error: { code: 'bad-response', status: response.status } }
    : { ok: true, value };
}

export function readSettings(body: Record<string, unknown>): DatasetSettings | null {
  const s = body.settings as Record<string, unknown> | undefined;
  if (typeof s !== 'object' || s === null) return null;
  if (s.visibility !== 'public' && s.visibility !== 'private') return null;
  if (s.proposals !== 'open' && s.proposals !== 'closed') return null;
  const fields = Array.isArray(s.proposableFields)
    ? s.proposableFields.filter((f): f is string => typeof f === 'string')
    : [];
  return { visibility: s.visibility, proposals: s.proposals, proposableFields: fields };
}

export function readGrants(body: Record<string, unknown>): Grant[] | null {
  if (!Array.isArray(body.roles)) return null;
  return body.roles.flatMap((raw) => {
    const g = raw as {
      subject?: { kind?: unknown; id?: unknown };
      role?: unknown;
      name?: unknown;
      email?: unknown;
    };
    const kind = g.subject?.kind;
    const id = g.subject?.id;
    const role = g.role;
    if ((kind !== 'user' && kind !== 'hub') || typeof id !== 'string') return [];
    if (role !== 'reader' && role !== 'editor' && role !== 'moderator' && role !== 'owner') return [];
    return [
      {
        subject: { kind, id },
        role,
        ...(typeof g.name === 'string' && g.name !== '' ? { name: g.name } : {}),
        ...(typeof g.email === 'string' && g.email !== '' ? { email: g.email } : {}),
      },
    ];
  });
}

function base(datasetId: string): string {
  return `/api/datasets/${encodeURIComponent(datasetId)}`;
}

export const datasetAdmin = {
  settings: (f: Fetch, id: string) => call(f, 'GET', `${base(id)}/settings`, readSettings),
  saveSettings: (f: Fetch, id: string, settings: DatasetSettings) =>
    call(f, 'PUT', `${base(id)}/settings`, readSettings, settings),
  roles: (f: Fetch, id: string) => call(f, 'GET', `${base(id)}/roles`, readGrants),
  /** Grants a role to the account with that email; `null` takes it back. */
  grant: (f: Fetch, id: string, email: string, role: DatasetRole | null) =>
    call(f, 'PUT', `${base(id)}/roles`, readGrants, { email: email.trim(), role }),
  invite: (f: Fetch, id: string, role: Exclude<DatasetRole, 'owner'>, maxUses: number) =>
    call(f, 'POST', `${base(id)}/invites`, (body) => (typeof body.token === 'string' ? body.token : null), {
      role,
      maxUses,
    }),
};
