/**
 * Roles on a dataset, given by its owners to people or to whole hubs. A grant replaces the
 * subject's previous role on that dataset. A dataset always keeps at least one person as
 * owner: the last personal owner can be neither downgraded nor removed.
 */
import { AccessErrorCode } from '@datapatch/protocol';
import type { AccessQueries, SubjectRef } from '../store/access-store.ts';
import type { AccessDependencies } from './dependencies.ts';
import { effectiveRole, higherRole, isRole, mayManageDataset, type Role } from './permissions.ts';
import { fail, type Result } from './result.ts';

export type Subject = SubjectRef;

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

export async function datasetExists(store: AccessQueries, datasetId: string): Promise<boolean> {
  return (await store.datasetSettings(datasetId)) !== undefined;
}

export async function roleOf(
  store: AccessQueries,
  datasetId: string,
  subject: Subject,
): Promise<Role | undefined> {
  const role = await store.roleOf(datasetId, subject);
  return isRole(role) ? role : undefined;
}

export async function grantsOn(store: AccessQueries, datasetId: string): Promise<Grant[]> {
  return (await store.grantsOn(datasetId)).map(({ datasetId: _dataset, ...grant }) => grant);
}

async function isLastPersonalOwner(tx: AccessQueries, datasetId: string, subject: Subject): Promise<boolean> {
  return (
    subject.kind === 'user' &&
    (await roleOf(tx, datasetId, subject)) === 'owner' &&
    (await tx.countOwners(datasetId, 'user')) <= 1
  );
}

/**
 * Writes a grant without checking who asks: for registerDataset and accepted invites, whose
 * authority was checked earlier. `keepHigher` never lowers an existing role (an invite to
 * read must not demote an editor). Call it inside the caller's transaction (`tx`).
 */
export async function writeGrant(
  tx: AccessQueries,
  clock: () => number,
  input: { datasetId: string; subject: Subject; role: Role; by: string; keepHigher?: boolean },
): Promise<Role> {
  const current = input.keepHigher ? await roleOf(tx, input.datasetId, input.subject) : undefined;
  const role = current ? higherRole(current, input.role) : input.role;
  await tx.putGrant({
    datasetId: input.datasetId,
    subject: input.subject,
    role,
    grantedBy: input.by,
    grantedAt: clock(),
  });
  return role;
}

async function subjectExists(store: AccessQueries, subject: Subject): Promise<boolean> {
  return subject.kind === 'user'
    ? (await store.getUser(subject.id)) !== undefined
    : (await store.getHub(subject.id)) !== undefined;
}

/** An owner gives `role` to a person or a hub on a dataset. */
export async function grantRole(
  deps: AccessDependencies,
  input: { datasetId: string; subject: Subject; role: Role; by: string },
): Promise<Result<{ grant: Grant }, AccessErrorCode>> {
  if (!(await datasetExists(deps.store, input.datasetId))) return fail(AccessErrorCode.datasetNotFound);
  if (!mayManageDataset(await effectiveRole(deps.store, input.by, input.datasetId)))
    return fail(AccessErrorCode.forbidden);
  if (!isRole(input.role)) return fail(AccessErrorCode.invalidSettings);
  if (!(await subjectExists(deps.store, input.subject))) {
    return fail(input.subject.kind === 'user' ? AccessErrorCode.userNotFound : AccessErrorCode.hubNotFound);
  }
  return deps.store.transaction(async (tx): Promise<Result<{ grant: Grant }, AccessErrorCode>> => {
    // Two owners stepping down at once: the lock makes the second count the first gone.
    await tx.lockDataset(input.datasetId);
    if (input.role !== 'owner' && (await isLastPersonalOwner(tx, input.datasetId, input.subject))) {
      return fail(AccessErrorCode.lastOwner);
    }
    await writeGrant(tx, deps.clock, input);
    return {
      ok: true,
      grant: { subject: input.subject, role: input.role, grantedBy: input.by, grantedAt: deps.clock() },
    };
  });
}

/** An owner takes back whatever role a person or hub had on a dataset. */
export async function revokeRole(
  deps: AccessDependencies,
  input: { datasetId: string; subject: Subject; by: string },
): Promise<Result<{ revoked: boolean }, AccessErrorCode>> {
  if (!(await datasetExists(deps.store, input.datasetId))) return fail(AccessErrorCode.datasetNotFound);
  if (!mayManageDataset(await effectiveRole(deps.store, input.by, input.datasetId)))
    return fail(AccessErrorCode.forbidden);
  return deps.store.transaction(async (tx): Promise<Result<{ revoked: boolean }, AccessErrorCode>> => {
    await tx.lockDataset(input.datasetId);
    if (await isLastPersonalOwner(tx, input.datasetId, input.subject)) return fail(AccessErrorCode.lastOwner);
    return { ok: true, revoked: await tx.deleteGrant(input.datasetId, input.subject) };
  });
}
