/**
 * Hubs are the organisations that pool datasets. A hub has members; its admins add and remove
 * them and change their hub role; a hub always keeps one admin. A role given to a hub on a dataset reaches every current member and stops the moment
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
  if (hubRoleOf(deps.db, input.hubId, input.userId) === 'admin' && adminCount(deps.db, input.hubId) <= 1) {
    return fail(AccessErrorCode.forbidden);
  }
  const removed =
    deps.db.prepare('DELETE FROM hub_members WHERE hub_id = ? AND user_id = ?').run(input.hubId, input.userId)
      .changes > 0;
  return { ok: true, removed };
}

/**
 * A hub admin makes a member an admin or a plain member. The last admin cannot step down, for
 * the same reason they cannot leave.
 */
export function setHubRole(
  deps: AccessDependencies,
  input: { hubId: string; userId: string; hubRole: HubRole; by: string },
): Result<{ member: HubMember }, AccessErrorCode> {
  if (!getHub(deps.db, input.hubId)) return fail(AccessErrorCode.hubNotFound);
  if (hubRoleOf(deps.db, input.hubId, input.by) !== 'admin') return fail(AccessErrorCode.forbidden);
  if (input.hubRole !== 'admin' && input.hubRole !== 'member') return fail(AccessErrorCode.invalidSettings);
  return deps.db
    .transaction((): Result<{ member: HubMember }, AccessErrorCode> => {
      const current = hubRoleOf(deps.db, input.hubId, input.userId);
      if (!current) return fail(AccessErrorCode.userNotFound);
      if (current === 'admin' && input.hubRole === 'member' && adminCount(deps.db, input.hubId) <= 1) {
        return fail(AccessErrorCode.forbidden);
      }
      deps.db
        .prepare('UPDATE hub_members SET hub_role = ? WHERE hub_id = ? AND user_id = ?')
        .run(input.hubRole, input.hubId, input.userId);
      const member = hubMembers(deps.db, input.hubId).find((one) => one.userId === input.userId);
      if (!member) return fail(AccessErrorCode.userNotFound);
      return { ok: true, member };
    })
    .immediate();
}

function adminCount(db: Database, hubId: string): number {
  return (
    db
      .prepare("SELECT count(*) AS n FROM hub_members WHERE hub_id = ? AND hub_role = 'admin'")
      .get(hubId) as {
      n: number;
    }
  ).n;
}

/** A member as their hub's other members see them: who (email, name) and their hub role. */
export interface NamedHubMember extends HubMember {
  email: string;
  displayName: string;
}

export function namedHubMembers(db: Database, hubId: string): NamedHubMember[] {
  const rows = db
    .prepare(
      `SELECT hub_members.user_id, hub_members.hub_role, hub_members.added_at, users.email, users.display_name
       FROM hub_members JOIN users ON users.id = hub_members.user_id
       WHERE hub_members.hub_id = ? ORDER BY hub_members.added_at, hub_members.user_id`,
    )
    .all(hubId) as {
    user_id: string;
    hub_role: HubRole;
    added_at: number;
    email: string;
    display_name: string;
  }[];
  return rows.map((row) => ({
    userId: row.user_id,
    hubRole: row.hub_role,
    addedAt: row.added_at,
    email: row.email,
    displayName: row.display_name,
  }));
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
