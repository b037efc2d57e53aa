/**
 * Roles on a dataset, given by its owners to people or to whole hubs. A grant replaces the
 * subject's previous role on that dataset. A dataset always keeps at least one person as
 * owner: the last personal owner can be neither downgraded nor removed.
 */
import { AccessErrorCode } from '@datapatch/protocol';
import type { Database } from 'better-sqlite3';
import type { AccessDependencies } from './dependencies.ts';
import { getHub } from './hubs.ts';
import { effectiveRole, higherRole, isRole, mayManageDataset, type Role } from './permissions.ts';
import { fail, type Result } from './result.ts';
import { getUser } from './users.ts';

export type Subject = { kind: 'user'; id: string } | { kind: 'hub'; id: string };

export interface Grant {
  subject: Subject;
  role: Role;
  grantedBy: string;
  grantedAt: number;
  /** What people read instead of the id: the person's display name, or the hub's name (lists only). */
  name?: string;
  /** The person's email (people only). */
  email?: string;
}

export function migrate(db: Database): void {
  db.exec(`CREATE TABLE IF NOT EXISTS dataset_roles (
    dataset_id TEXT NOT NULL,
    subject_kind TEXT NOT NULL CHECK (subject_kind IN ('user', 'hub')),
    subject_id TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('reader', 'editor', 'moderator', 'owner')),
    granted_by TEXT NOT NULL,
    granted_at INTEGER NOT NULL,
    PRIMARY KEY (dataset_id, subject_kind, subject_id)
  ) STRICT;
  CREATE INDEX IF NOT EXISTS dataset_roles_by_subject ON dataset_roles (subject_kind, subject_id)`);
}

export function datasetExists(db: Database, datasetId: string): boolean {
  return db.prepare('SELECT 1 FROM dataset_settings WHERE dataset_id = ?').get(datasetId) !== undefined;
}

export function roleOf(db: Database, datasetId: string, subject: Subject): Role | undefined {
  const row = db
    .prepare('SELECT role FROM dataset_roles WHERE dataset_id = ? AND subject_kind = ? AND subject_id = ?')
    .get(datasetId, subject.kind, subject.id) as { role: string } | undefined;
  return row && isRole(row.role) ? row.role : undefined;
}

export function grantsOn(db: Database, datasetId: string): Grant[] {
  const rows = db
    .prepare(
      `SELECT r.subject_kind, r.subject_id, r.role, r.granted_by, r.granted_at,
              coalesce(u.display_name, h.name) AS name, u.email
       FROM dataset_roles r
       LEFT JOIN users u ON r.subject_kind = 'user' AND u.id = r.subject_id
       LEFT JOIN hubs h ON r.subject_kind = 'hub' AND h.id = r.subject_id
       WHERE r.dataset_id = ? ORDER BY r.granted_at, r.subject_kind, r.subject_id`,
    )
    .all(datasetId) as {
    subject_kind: 'user' | 'hub';
    subject_id: string;
    role: Role;
    granted_by: string;
    granted_at: number;
    name: string | null;
    email: string | null;
  }[];
  return rows.map((row) => ({
    subject: { kind: row.subject_kind, id: row.subject_id },
    role: row.role,
    grantedBy: row.granted_by,
    grantedAt: row.granted_at,
    ...(row.name !== null ? { name: row.name } : {}),
    ...(row.email !== null ? { email: row.email } : {}),
  }));
}

function personalOwners(db: Database, datasetId: string): number {
  return (
    db
      .prepare(
        "SELECT count(*) AS n FROM dataset_roles WHERE dataset_id = ? AND subject_kind = 'user' AND role = 'owner'",
      )
      .get(datasetId) as { n: number }
  ).n;
}

function isLastPersonalOwner(db: Database, datasetId: string, subject: Subject): boolean {
  return (
    subject.kind === 'user' &&
    roleOf(db, datasetId, subject) === 'owner' &&
    personalOwners(db, datasetId) <= 1
  );
}

/**
 * Writes a grant without checking who asks: for registerDataset and accepted invites, whose
 * authority was checked earlier. `keepHigher` never lowers an existing role (an invite to
 * read must not demote an editor).
 */
export function writeGrant(
  deps: AccessDependencies,
  input: { datasetId: string; subject: Subject; role: Role; by: string; keepHigher?: boolean },
): Role {
  const current = roleOf(deps.db, input.datasetId, input.subject);
  const role = input.keepHigher && current ? higherRole(current, input.role) : input.role;
  deps.db
    .prepare(
      `INSERT INTO dataset_roles (dataset_id, subject_kind, subject_id, role, granted_by, granted_at)
       VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (dataset_id, subject_kind, subject_id)
       DO UPDATE SET role = excluded.role, granted_by = excluded.granted_by, granted_at = excluded.granted_at`,
    )
    .run(input.datasetId, input.subject.kind, input.subject.id, role, input.by, deps.clock());
  return role;
}

function subjectExists(db: Database, subject: Subject): boolean {
  return subject.kind === 'user'
    ? getUser(db, subject.id) !== undefined
    : getHub(db, subject.id) !== undefined;
}

/** An owner gives `role` to a person or a hub on a dataset. */
export function grantRole(
  deps: AccessDependencies,
  input: { datasetId: string; subject: Subject; role: Role; by: string },
): Result<{ grant: Grant }, AccessErrorCode> {
  if (!datasetExists(deps.db, input.datasetId)) return fail(AccessErrorCode.datasetNotFound);
  if (!mayManageDataset(effectiveRole(deps.db, input.by, input.datasetId)))
    return fail(AccessErrorCode.forbidden);
  if (!isRole(input.role)) return fail(AccessErrorCode.invalidSettings);
  if (!subjectExists(deps.db, input.subject)) {
    return fail(input.subject.kind === 'user' ? AccessErrorCode.userNotFound : AccessErrorCode.hubNotFound);
  }
  return deps.db
    .transaction((): Result<{ grant: Grant }, AccessErrorCode> => {
      if (input.role !== 'owner' && isLastPersonalOwner(deps.db, input.datasetId, input.subject)) {
        return fail(AccessErrorCode.lastOwner);
      }
      writeGrant(deps, input);
      return {
        ok: true,
        grant: { subject: input.subject, role: input.role, grantedBy: input.by, grantedAt: deps.clock() },
      };
    })
    .immediate();
}

/** An owner takes back whatever role a person or hub had on a dataset. */
export function revokeRole(
  deps: AccessDependencies,
  input: { datasetId: string; subject: Subject; by: string },
): Result<{ revoked: boolean }, AccessErrorCode> {
  if (!datasetExists(deps.db, input.datasetId)) return fail(AccessErrorCode.datasetNotFound);
  if (!mayManageDataset(effectiveRole(deps.db, input.by, input.datasetId)))
    return fail(AccessErrorCode.forbidden);
  return deps.db
    .transaction((): Result<{ revoked: boolean }, AccessErrorCode> => {
      if (isLastPersonalOwner(deps.db, input.datasetId, input.subject))
        return fail(AccessErrorCode.lastOwner);
      const revoked =
        deps.db
          .prepare('DELETE FROM dataset_roles WHERE dataset_id = ? AND subject_kind = ? AND subject_id = ?')
          .run(input.datasetId, input.subject.kind, input.subject.id).changes > 0;
      return { ok: true, revoked };
    })
    .immediate();
}
