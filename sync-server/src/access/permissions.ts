/**
 * Who may do what, as in DESIGN.md's table: `accessTo` is the one pure rule the relay and the
 * HTTP API both ask; `effectiveRole` finds a person's role on a dataset, the highest of their
 * personal role and the roles of every hub they belong to. No role means 'anonymous'.
 */
import type { DocumentKind } from '@datapatch/protocol';
import type { AccessQueries } from '../store/access-store.ts';

export const ROLES = ['reader', 'editor', 'moderator', 'owner'] as const;
export type Role = (typeof ROLES)[number];
export type Access = 'write' | 'read' | 'none';
export type Visibility = 'public' | 'private';

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** Higher is more: reader 1 … owner 4; anonymous 0. */
export function roleRank(role: Role | 'anonymous'): number {
  return role === 'anonymous' ? 0 : ROLES.indexOf(role) + 1;
}

export function higherRole<R extends Role | 'anonymous'>(a: R, b: R): R {
  return roleRank(a) >= roleRank(b) ? a : b;
}

/**
 * What a role may do with one of a dataset's two documents. 'write' includes reading.
 * Anonymous people never touch the pending document: they propose through HTTP.
 */
export function accessTo(
  role: Role | 'anonymous',
  kind: DocumentKind,
  settings: { visibility: Visibility },
): Access {
  if (kind === 'pending') return role === 'moderator' || role === 'owner' ? 'write' : 'none';
  switch (role) {
    case 'anonymous':
      return settings.visibility === 'public' ? 'read' : 'none';
    case 'reader':
      return 'read';
    case 'editor':
    case 'moderator':
    case 'owner':
      return 'write';
  }
}

/** Settings, roles and invites are the owner's alone. */
export function mayManageDataset(role: Role | 'anonymous'): boolean {
  return role === 'owner';
}

/**
 * Every dataset the person has a role on (their own or a hub's), with the highest one: what the
 * app shows them, never what the server checks (it asks `effectiveRole` at each request).
 */
export async function rolesOf(
  store: AccessQueries,
  userId: string,
): Promise<{ datasetId: string; role: Role }[]> {
  const best = new Map<string, Role>();
  for (const { datasetId, role } of await store.rolesReaching(userId)) {
    if (!isRole(role)) continue;
    const known = best.get(datasetId);
    best.set(datasetId, known === undefined ? role : higherRole(known, role));
  }
  return [...best]
    .map(([datasetId, role]) => ({ datasetId, role }))
    .sort((a, b) => (a.datasetId < b.datasetId ? -1 : 1));
}

/**
 * The role a person holds on a dataset: the highest among their own grant and their hubs'
 * grants. `null` (not signed in) and people with no grant are 'anonymous'.
 */
export async function effectiveRole(
  store: AccessQueries,
  userId: string | null,
  datasetId: string,
): Promise<Role | 'anonymous'> {
  if (userId === null) return 'anonymous';
  let best: Role | 'anonymous' = 'anonymous';
  for (const { role } of await store.rolesReaching(userId, datasetId)) {
    if (isRole(role)) best = higherRole<Role | 'anonymous'>(best, role);
  }
  return best;
}
