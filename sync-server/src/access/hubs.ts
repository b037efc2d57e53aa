/**
 * Hubs are the organisations that pool datasets. A hub has members; its admins add and remove
 * them and change their hub role; a hub always keeps one admin. A role given to a hub on a dataset reaches every current member and stops the moment
 * someone leaves the hub (roles are looked up, never copied to members).
 */
import { AccessErrorCode } from '@datapatch/protocol';
import type {
  AccessQueries,
  HubMemberRecord,
  HubRecord,
  HubRole,
  NamedHubMemberRecord,
} from '../store/access-store.ts';
import { type AccessDependencies, newId } from './dependencies.ts';
import { fail, type Result } from './result.ts';

export type { HubRole };
export type Hub = HubRecord;
export type HubMember = HubMemberRecord;
/** A member as their hub's other members see them: who (email, name) and their hub role. */
export type NamedHubMember = NamedHubMemberRecord;

export function getHub(store: AccessQueries, hubId: string): Promise<Hub | undefined> {
  return store.getHub(hubId);
}

export function hubRoleOf(store: AccessQueries, hubId: string, userId: string): Promise<HubRole | undefined> {
  return store.hubRoleOf(hubId, userId);
}

/** Creates a hub whose first admin is its creator. */
export async function createHub(
  deps: AccessDependencies,
  input: { name: string; createdBy: string },
): Promise<Result<{ hub: Hub }, AccessErrorCode>> {
  if (!(await deps.store.getUser(input.createdBy))) return fail(AccessErrorCode.userNotFound);
  const name = input.name.trim().slice(0, 200);
  if (!name) return fail(AccessErrorCode.invalidSettings);
  const hub: Hub = { id: newId(deps.random), name, createdAt: deps.clock() };
  await deps.store.transaction(async (tx) => {
    await tx.createHub(hub);
    await tx.putHubMember(
      hub.id,
      { userId: input.createdBy, hubRole: 'admin', addedAt: hub.createdAt },
      true,
    );
  });
  return { ok: true, hub };
}

/**
 * Adds a person to a hub, or changes their hub role. Only a hub admin may. Making the last admin
 * a plain member is refused, as with `setHubRole`.
 */
export async function addHubMember(
  deps: AccessDependencies,
  input: { hubId: string; userId: string; hubRole?: HubRole; by: string },
): Promise<Result<{ member: HubMember }, AccessErrorCode>> {
  if (!(await deps.store.getHub(input.hubId))) return fail(AccessErrorCode.hubNotFound);
  if ((await deps.store.hubRoleOf(input.hubId, input.by)) !== 'admin') return fail(AccessErrorCode.forbidden);
  if (!(await deps.store.getUser(input.userId))) return fail(AccessErrorCode.userNotFound);
  const member: HubMember = {
    userId: input.userId,
    hubRole: input.hubRole ?? 'member',
    addedAt: deps.clock(),
  };
  return deps.store.transaction(async (tx): Promise<Result<{ member: HubMember }, AccessErrorCode>> => {
    await tx.lockHub(input.hubId);
    const current = await tx.hubRoleOf(input.hubId, input.userId);
    if (current === 'admin' && member.hubRole !== 'admin' && (await tx.countHubAdmins(input.hubId)) <= 1) {
      return fail(AccessErrorCode.forbidden);
    }
    await tx.putHubMember(input.hubId, member, true);
    return { ok: true, member };
  });
}

/**
 * Removes a person from a hub (an admin removing anyone, or anyone leaving). The last admin
 * cannot leave, or nobody could manage the hub again.
 */
export async function removeHubMember(
  deps: AccessDependencies,
  input: { hubId: string; userId: string; by: string },
): Promise<Result<{ removed: boolean }, AccessErrorCode>> {
  if (!(await deps.store.getHub(input.hubId))) return fail(AccessErrorCode.hubNotFound);
  if (input.by !== input.userId && (await deps.store.hubRoleOf(input.hubId, input.by)) !== 'admin') {
    return fail(AccessErrorCode.forbidden);
  }
  return deps.store.transaction(async (tx): Promise<Result<{ removed: boolean }, AccessErrorCode>> => {
    // Two admins leaving at once: the lock makes the second see the first gone.
    await tx.lockHub(input.hubId);
    if (
      (await tx.hubRoleOf(input.hubId, input.userId)) === 'admin' &&
      (await tx.countHubAdmins(input.hubId)) <= 1
    ) {
      return fail(AccessErrorCode.forbidden);
    }
    return { ok: true, removed: await tx.removeHubMember(input.hubId, input.userId) };
  });
}

/**
 * A hub admin makes a member an admin or a plain member. The last admin cannot step down, for
 * the same reason they cannot leave.
 */
export async function setHubRole(
  deps: AccessDependencies,
  input: { hubId: string; userId: string; hubRole: HubRole; by: string },
): Promise<Result<{ member: HubMember }, AccessErrorCode>> {
  if (!(await deps.store.getHub(input.hubId))) return fail(AccessErrorCode.hubNotFound);
  if ((await deps.store.hubRoleOf(input.hubId, input.by)) !== 'admin') return fail(AccessErrorCode.forbidden);
  if (input.hubRole !== 'admin' && input.hubRole !== 'member') return fail(AccessErrorCode.invalidSettings);
  return deps.store.transaction(async (tx): Promise<Result<{ member: HubMember }, AccessErrorCode>> => {
    await tx.lockHub(input.hubId);
    const current = await tx.hubRoleOf(input.hubId, input.userId);
    if (!current) return fail(AccessErrorCode.userNotFound);
    if (current === 'admin' && input.hubRole === 'member' && (await tx.countHubAdmins(input.hubId)) <= 1) {
      return fail(AccessErrorCode.forbidden);
    }
    await tx.setHubRole(input.hubId, input.userId, input.hubRole);
    const member = (await tx.hubMembers(input.hubId)).find((one) => one.userId === input.userId);
    if (!member) return fail(AccessErrorCode.userNotFound);
    return { ok: true, member };
  });
}

export function namedHubMembers(store: AccessQueries, hubId: string): Promise<NamedHubMember[]> {
  return store.namedHubMembers(hubId);
}

export function hubMembers(store: AccessQueries, hubId: string): Promise<HubMember[]> {
  return store.hubMembers(hubId);
}

export function hubsOf(store: AccessQueries, userId: string): Promise<(Hub & { hubRole: HubRole })[]> {
  return store.hubsOf(userId);
}
