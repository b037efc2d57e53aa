/**
 * Hubs are the organisations that pool datasets. A hub has members; its admins add and remove
 * them. A role given to a hub on a dataset reaches every current member and stops the moment
 * someone leaves the hub (roles are looked up, never copied to members).
 */
import { AccessErrorCode } from '@datapatch/protocol';
import type { Database } from 'better-sqlite3';
import { type AccessDependencies, newId } from './dependencies.ts';
import { fail, type Result } from './result.ts';
import { getUser } from './users.ts';

export type HubRole = 'admin' | 'member';

export interface Hub {
  id: string;
  name: string;
  createdAt: number;
}

export interface HubMember {
  userId: string;
  hubRole: HubRole;
  addedAt: number;
}

export function migrate(db: Database): void {
  db.exec(`CREATE TABLE IF NOT EXISTS hubs (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    created_at INTEGER NOT NULL
  ) STRICT;
  CREATE TABLE IF NOT EXISTS hub_members (
    hub_id TEXT NOT NULL REFERENCES hubs(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    hub_role TEXT NOT NULL CHECK (hub_role IN ('admin', 'member')),
    added_at INTEGER NOT NULL,
    PRIMARY KEY (hub_id, user_id)
  ) STRICT;
  CREATE INDEX IF NOT EXISTS hub_members_by_user ON hub_members (user_id)`);
}

export function getHub(db: Database, hubId: string): Hub | undefined {
  const row = db.prepare('SELECT id, name, created_at FROM hubs WHERE id = ?').get(hubId) as
    | { id: string; name: string; created_at: number }
    | undefined;
  return row && { id: row.id, name: row.name, createdAt: row.created_at };
}

export function hubRoleOf(db: Database, hubId: string, userId: string): HubRole | undefined {
  const row = db
    .prepare('SELECT hub_role FROM hub_members WHERE hub_id = ? AND user_id = ?')
    .get(hubId, userId) as { hub_role: HubRole } | undefined;
  return row?.hub_role;
}

/** Creates a hub whose first admin is its creator. */
export function createHub(
  deps: AccessDependencies,
  input: { name: string; createdBy: string },
): Result<{ hub: Hub }, AccessErrorCode> {
  if (!getUser(deps.db, input.createdBy)) return fail(AccessErrorCode.userNotFound);
  const name = input.name.trim().slice(0, 200);
  if (!name) return fail(AccessErrorCode.invalidSettings);
  const hub: Hub = { id: newId(deps.random), name, createdAt: deps.clock() };
  deps.db.transaction(() => {
    deps.db
      .prepare('INSERT INTO hubs (id, name, created_at) VALUES (?, ?, ?)')
      .run(hub.id, hub.name, hub.createdAt);
    deps.db
      .prepare("INSERT INTO hub_members (hub_id, user_id, hub_role, added_at) VALUES (?, ?, 'admin', ?)")
      .run(hub.id, input.createdBy, hub.createdAt);
  })();
  return { ok: true, hub };
}

/** Adds a person to a hub, or changes their hub role. Only a hub admin may. */
export function addHubMember(
  deps: AccessDependencies,
  input: { hubId: string; userId: string; hubRole?: HubRole; by: string },
): Result<{ member: HubMember }, AccessErrorCode> {
  if (!getHub(deps.db, input.hubId)) return fail(AccessErrorCode.hubNotFound);
  if (hubRoleOf(deps.db, input.hubId, input.by) !== 'admin') return fail(AccessErrorCode.forbidden);
  if (!getUser(deps.db, input.userId)) return fail(AccessErrorCode.userNotFound);
  const member: HubMember = {
    userId: input.userId,
    hubRole: input.hubRole ?? 'member',
    addedAt: deps.clock(),
  };
  deps.db
    .prepare(
      `INSERT INTO hub_members (hub_id, user_id, hub_role, added_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (hub_id, user_id) DO UPDATE SET hub_role = excluded.hub_role`,
    )
    .run(input.hubId, member.userId, member.hubRole, member.addedAt);
  return { ok: true, member };
}

/**
 * Removes a person from a hub (an admin removing anyone, or anyone leaving). The last admin
 * cannot leave, or nobody could manage the hub again.
 */
export function removeHubMember(
  deps: AccessDependencies,
  input: { hubId: string; userId: string; by: string },
): Result<{ removed: boolean }, AccessErrorCode> {
  if (!getHub(deps.db, input.hubId)) return fail(AccessErrorCode.hubNotFound);
  if (input.by !== input.userId && hubRoleOf(deps.db, input.hubId, input.by) !== 'admin') {
    return fail(AccessErrorCode.forbidden);
  }
  if (hubRoleOf(deps.db, input.hubId, input.userId) === 'admin') {
    const admins = deps.db
      .prepare("SELECT count(*) AS n FROM hub_members WHERE hub_id = ? AND hub_role = 'admin'")
      .get(input.hubId) as { n: number };
    if (admins.n <= 1) return fail(AccessErrorCode.forbidden);
  }
  const removed =
    deps.db.prepare('DELETE FROM hub_members WHERE hub_id = ? AND user_id = ?').run(input.hubId, input.userId)
      .changes > 0;
  return { ok: true, removed };
}

export function hubMembers(db: Database, hubId: string): HubMember[] {
  const rows = db
    .prepare(
      'SELECT user_id, hub_role, added_at FROM hub_members WHERE hub_id = ? ORDER BY added_at, user_id',
    )
    .all(hubId) as { user_id: string; hub_role: HubRole; added_at: number }[];
  return rows.map((row) => ({ userId: row.user_id, hubRole: row.hub_role, addedAt: row.added_at }));
}

export function hubsOf(db: Database, userId: string): (Hub & { hubRole: HubRole })[] {
  const rows = db
    .prepare(
      `SELECT hubs.id, hubs.name, hubs.created_at, hub_members.hub_role FROM hubs
       JOIN hub_members ON hub_members.hub_id = hubs.id WHERE hub_members.user_id = ? ORDER BY hubs.name`,
    )
    .all(userId) as { id: string; name: string; created_at: number; hub_role: HubRole }[];
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    createdAt: row.created_at,
    hubRole: row.hub_role,
  }));
}
