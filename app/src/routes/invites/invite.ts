/**
 * An invitation link and its acceptance. The link carries the token and, as hints for the
 * page, the dataset and role it was made for; only the server's answer to accept counts
 * (a hint can be edited by anyone holding the link). Failures are values with the server's code.
 */
import type { DatasetRole } from '$lib/auth/account.ts';

export type InviteRole = Exclude<DatasetRole, 'owner'>;
export type InviteHints = { datasetId?: string; role?: InviteRole; expiresAt?: number; hub?: string };

/** A link into a hub (membership) rather than onto a dataset (a role): the server's token prefix says. */
export function isHubInvite(token: string): boolean {
  return token.startsWith('dph_');
}
export type Accepted = { ok: true; datasetId: string; role: InviteRole } | { ok: false; code: string };

const ROLES: readonly string[] = ['reader', 'editor', 'moderator'];

function isInviteRole(value: unknown): value is InviteRole {
  return typeof value === 'string' && ROLES.includes(value);
}

/** The link an owner hands out: `/invites/<token>?dataset=<id>&role=<role>&until=<ms>` on this origin. */
export function inviteUrl(origin: string, token: string, hints: InviteHints): string {
  const url = new URL(`/invites/${encodeURIComponent(token)}`, origin);
  if (hints.datasetId !== undefined) url.searchParams.set('dataset', hints.datasetId);
  if (hints.role !== undefined) url.searchParams.set('role', hints.role);
  if (hints.hub !== undefined) url.searchParams.set('hub', hints.hub);
  if (hints.expiresAt !== undefined) url.searchParams.set('until', String(hints.expiresAt));
  return url.href;
}

export function inviteHints(search: URLSearchParams): InviteHints {
  const datasetId = search.get('dataset') ?? '';
  const role = search.get('role');
  const until = Number(search.get('until') ?? Number.NaN);
  const hub = search.get('hub') ?? '';
  return {
    ...(hub !== '' ? { hub } : {}),
    ...(datasetId !== '' ? { datasetId } : {}),
    ...(isInviteRole(role) ? { role } : {}),
    ...(Number.isSafeInteger(until) && until > 0 ? { expiresAt: until } : {}),
  };
}

/**
 * Posts for a new invite link and builds it from the token (shown once; the server keeps only
 * its hash) and the expiry the server set, with `hints` for the page that opens it.
 */
async function makeInviteLink(
  fetcher: typeof fetch,
  origin: string,
  url: string,
  body: object,
  hints: InviteHints,
): Promise<{ ok: true; link: string } | { ok: false; code: string }> {
  let response: Response;
  try {
    response = await fetcher(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
    });
  } catch {
    return { ok: false, code: 'network' };
  }
  const answer = (await response.json().catch(() => null)) as Record<string, unknown> | null;
  if (response.ok && typeof answer?.token === 'string') {
    const expiresAt = (answer.invite as { expiresAt?: unknown } | undefined)?.expiresAt;
    return {
      ok: true,
      link: inviteUrl(origin, answer.token, {
        ...hints,
        ...(typeof expiresAt === 'number' ? { expiresAt } : {}),
      }),
    };
  }
  const error = answer?.error as { code?: unknown } | undefined;
  return { ok: false, code: typeof error?.code === 'string' ? error.code : `http_${response.status}` };
}

/** `POST /api/datasets/:id/invites` (owners): a one-use link for `role`. */
export function createInviteLink(
  fetcher: typeof fetch,
  origin: string,
  datasetId: string,
  role: InviteRole,
): Promise<{ ok: true; link: string } | { ok: false; code: string }> {
  return makeInviteLink(
    fetcher,
    origin,
    `/api/datasets/${encodeURIComponent(datasetId)}/invites`,
    { role, maxUses: 1 },
    { datasetId, role },
  );
}

/** `POST /api/hubs/:hubId/invites` (hub admins): a one-use link into the hub. */
export function createHubInviteLink(
  fetcher: typeof fetch,
  origin: string,
  hub: { id: string; name: string },
): Promise<{ ok: true; link: string } | { ok: false; code: string }> {
  return makeInviteLink(
    fetcher,
    origin,
    `/api/hubs/${encodeURIComponent(hub.id)}/invites`,
    { maxUses: 1 },
    { hub: hub.name },
  );
}

/** Where the invited person works first: the screen their new role opens. */
export function landingFor(datasetId: string, role: InviteRole): string {
  const base = `/datasets/${encodeURIComponent(datasetId)}`;
  return role === 'moderator' ? `${base}/moderate` : role === 'editor' ? `${base}/edit` : base;
}

export type AdminHub = { id: string; name: string };

/** The hubs the signed-in person administers, from `GET /api/auth/me`: an invite can go to them. */
export function administeredHubs(me: unknown): AdminHub[] {
  const user = (me as { user?: { hubs?: unknown } } | null)?.user;
  const hubs = Array.isArray(user?.hubs) ? (user.hubs as Record<string, unknown>[]) : [];
  return hubs
    .filter((h) => h?.hubRole === 'admin' && typeof h.id === 'string')
    .map((h) => ({ id: h.id as string, name: typeof h.name === 'string' ? h.name : (h.id as string) }));
}

export async function fetchAdministeredHubs(fetcher: typeof fetch): Promise<AdminHub[]> {
  try {
    const response = await fetcher('/api/auth/me', { credentials: 'same-origin' });
    return response.ok ? administeredHubs(await response.json()) : [];
  } catch {
    return [];
  }
}

/**
 * `POST /api/invites/:token/accept` for the signed-in person (session cookie), or for a hub
 * they administer (`forHub`): then every member of the hub has the role.
 */
export async function acceptInvite(fetcher: typeof fetch, token: string, forHub?: string): Promise<Accepted> {
  let response: Response;
  try {
    response = await fetcher(`/api/invites/${encodeURIComponent(token)}/accept`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(forHub === undefined ? {} : { forHub }),
    });
  } catch {
    return { ok: false, code: 'network' };
  }
  const body = (await response.json().catch(() => null)) as Record<string, unknown> | null;
  if (response.ok && typeof body?.datasetId === 'string' && isInviteRole(body.role))
    return { ok: true, datasetId: body.datasetId, role: body.role };
  const error = body?.error as { code?: unknown } | undefined;
  if (typeof error?.code === 'string') return { ok: false, code: error.code };
  return { ok: false, code: response.status === 401 ? 'not_signed_in' : `http_${response.status}` };
}

/** The title the server lists for a dataset, when it lists it to this person. */
export async function datasetTitle(fetcher: typeof fetch, datasetId: string): Promise<string | null> {
  try {
    const response = await fetcher('/api/datasets', { credentials: 'same-origin' });
    if (!response.ok) return null;
    const body = (await response.json()) as unknown;
    const list = Array.isArray(body) ? body : ((body as { datasets?: unknown[] })?.datasets ?? []);
    for (const entry of list as Record<string, unknown>[]) {
      if (entry?.id !== datasetId) continue;
      const title = entry.title ?? (entry.meta as Record<string, unknown> | undefined)?.title;
      return typeof title === 'string' && title !== '' ? title : null;
    }
    return null;
  } catch {
    return null;
  }
}

/** `POST /api/hub-invites/:token/accept`: the signed-in person joins the link's hub. */
export async function acceptHubInvite(
  fetcher: typeof fetch,
  token: string,
): Promise<{ ok: true; hubName: string } | { ok: false; code: string }> {
  let response: Response;
  try {
    response = await fetcher(`/api/hub-invites/${encodeURIComponent(token)}/accept`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { accept: 'application/json' },
    });
  } catch {
    return { ok: false, code: 'network' };
  }
  const body = (await response.json().catch(() => null)) as Record<string, unknown> | null;
  if (response.ok && typeof body?.hubName === 'string') return { ok: true, hubName: body.hubName };
  const error = body?.error as { code?: unknown } | undefined;
  return { ok: false, code: typeof error?.code === 'string' ? error.code : `http_${response.status}` };
}
