/**
 * Invite links: an owner makes a link carrying a role, an expiry and a number of uses; whoever
 * opens it signed in joins the dataset with that role, for themselves or for a hub they
 * administer. Only the token's hash is stored. Using a link again for the same person or hub
 * spends no extra use, and a link never lowers a role someone already has.
 */
import { AccessErrorCode } from '@datapatch/protocol';
import type { AccessQueries, InviteRecord } from '../store/access-store.ts';
import { type AccessDependencies, newId } from './dependencies.ts';
import { effectiveRole, mayManageDataset, type Role } from './permissions.ts';
import { fail, type Result } from './result.ts';
import { datasetExists, type Subject, writeGrant } from './roles.ts';
import { hashToken } from './sessions.ts';
import { insertUser, prepareUser, type User } from './users.ts';

/** Ownership is given by name (grantRole), never through a link that could be forwarded. */
export type InviteRole = Exclude<Role, 'owner'>;
const INVITE_ROLES: readonly string[] = ['reader', 'editor', 'moderator'];
const TOKEN_PREFIX = 'dpi_';
const MINUTE = 60 * 1000;
export const INVITE_LIMITS = {
  minLifetimeMs: 5 * MINUTE,
  maxLifetimeMs: 90 * 24 * 60 * MINUTE,
  maxUses: 1000,
};

export interface Invite {
  id: string;
  datasetId: string;
  role: InviteRole;
  createdBy: string;
  createdAt: number;
  expiresAt: number;
  maxUses: number;
  uses: number;
  revoked: boolean;
}

function toInvite(record: InviteRecord): Invite {
  return {
    id: record.id,
    datasetId: record.datasetId,
    role: record.role,
    createdBy: record.createdBy,
    createdAt: record.createdAt,
    expiresAt: record.expiresAt,
    maxUses: record.maxUses,
    uses: record.uses,
    revoked: record.revokedAt !== null,
  };
}

/** An owner makes a link; the token is returned once and only its hash kept. */
export async function createInvite(
  deps: AccessDependencies,
  input: { datasetId: string; role: InviteRole; lifetimeMs: number; maxUses: number; by: string },
): Promise<Result<{ invite: Invite; token: string }, AccessErrorCode>> {
  if (!(await datasetExists(deps.store, input.datasetId))) return fail(AccessErrorCode.datasetNotFound);
  if (!mayManageDataset(await effectiveRole(deps.store, input.by, input.datasetId)))
    return fail(AccessErrorCode.forbidden);
  if (!INVITE_ROLES.includes(input.role) || !validInviteTerms(input.lifetimeMs, input.maxUses)) {
    return fail(AccessErrorCode.invalidInvite);
  }
  const token = TOKEN_PREFIX + deps.random(32).toString('base64url');
  const now = deps.clock();
  const record: InviteRecord = {
    id: newId(deps.random),
    tokenHash: hashToken(token),
    datasetId: input.datasetId,
    role: input.role,
    createdBy: input.by,
    createdAt: now,
    expiresAt: now + Math.floor(input.lifetimeMs),
    maxUses: input.maxUses,
    uses: 0,
    revokedAt: null,
  };
  await deps.store.createInvite(record);
  return { ok: true, invite: toInvite(record), token };
}

type Joined = Result<{ datasetId: string; role: Role; subject: Subject }, AccessErrorCode>;

/** The checks, the use count and the grant; call inside a transaction (`tx`). */
async function useInvite(
  deps: AccessDependencies,
  tx: AccessQueries,
  token: string,
  subject: Subject,
  userId: string,
): Promise<Joined> {
  // Locked: of 20 people opening a one-use link at once, each waits for the one before.
  const record = await findInvite(tx, token, true);
  const usable = checkUsable(deps, record);
  if (!usable.ok || !record) return usable.ok ? fail(AccessErrorCode.inviteNotFound) : usable;
  if (!(await tx.inviteUsedFor(record.id, subject))) {
    if (record.uses >= record.maxUses) return fail(AccessErrorCode.inviteUsedUp);
    if (!(await tx.spendInvite(record.id, subject, userId, deps.clock()))) {
      return fail(AccessErrorCode.inviteUsedUp);
    }
  }
  const role = await writeGrant(tx, deps.clock, {
    datasetId: record.datasetId,
    subject,
    role: record.role,
    by: record.createdBy,
    keepHigher: true,
  });
  return { ok: true, datasetId: record.datasetId, role, subject };
}

async function findInvite(
  store: AccessQueries,
  token: string,
  lock = false,
): Promise<InviteRecord | undefined> {
  if (typeof token !== 'string' || token.length > 200) return undefined;
  return store.findInvite(hashToken(token), lock);
}

function checkUsable(
  deps: AccessDependencies,
  record: InviteRecord | undefined,
): Result<Record<never, never>, AccessErrorCode> {
  if (!record) return fail(AccessErrorCode.inviteNotFound);
  if (record.revokedAt !== null) return fail(AccessErrorCode.inviteRevoked);
  if (deps.clock() >= record.expiresAt) return fail(AccessErrorCode.inviteExpired);
  return { ok: true };
}

/**
 * Someone signed in opens a link: they (or, with `forHub`, a hub they administer) get the
 * link's role on the dataset, unless they already have a higher one. The use count, the
 * check and the grant happen in one transaction, so a link for 3 uses admits 3, never 4.
 */
export async function acceptInvite(
  deps: AccessDependencies,
  input: { token: string; userId: string; forHub?: string },
): Promise<Joined> {
  if (input.forHub !== undefined && (await deps.store.hubRoleOf(input.forHub, input.userId)) !== 'admin') {
    return fail(AccessErrorCode.forbidden);
  }
  const subject: Subject =
    input.forHub !== undefined ? { kind: 'hub', id: input.forHub } : { kind: 'user', id: input.userId };
  return deps.store.transaction((tx) => useInvite(deps, tx, input.token, subject, input.userId));
}

/**
 * Someone without an account opens a link: the account is created and takes the link's role in
 * one transaction, so a spent, expired or revoked link creates no account, and two people
 * racing for a one-use link get one account with a role, the other an error and no account.
 * The link is checked before the password is hashed too, so a dead link costs no scrypt.
 */
export async function acceptInviteWithNewAccount(
  deps: AccessDependencies,
  input: { token: string; email: string; displayName: string; password: string },
): Promise<Result<{ user: User; datasetId: string; role: Role }, AccessErrorCode>> {
  const before = await findInvite(deps.store, input.token);
  const usable = checkUsable(deps, before);
  if (!usable.ok) return usable;
  if (before && before.uses >= before.maxUses) return fail(AccessErrorCode.inviteUsedUp);
  return joinWithNewAccount(deps, input, async (tx, userId) => {
    const joined = await useInvite(deps, tx, input.token, { kind: 'user', id: userId }, userId);
    return joined.ok ? { ok: true, datasetId: joined.datasetId, role: joined.role } : joined;
  });
}

/**
 * Creates an account and runs `join` for it in one transaction: when `join` refuses, the
 * account is deleted again before the commit (and `join` wrote nothing), so no link ever leaves
 * an account without what it promised. The password is hashed before the transaction, so no lock is held during scrypt.
 */
export async function joinWithNewAccount<T extends object>(
  deps: AccessDependencies,
  input: { email: string; displayName: string; password: string },
  join: (tx: AccessQueries, userId: string) => Promise<Result<T, AccessErrorCode>>,
): Promise<Result<{ user: User } & T, AccessErrorCode>> {
  const prepared = await prepareUser(deps, {
    email: input.email,
    password: input.password,
    displayName: input.displayName,
  });
  if (!prepared.ok) return prepared;
  const account = prepared.prepared;
  return deps.store.transaction(async (tx): Promise<Result<{ user: User } & T, AccessErrorCode>> => {
    const created = await insertUser(tx, account);
    if (!created.ok) return created;
    const joined = await join(tx, created.user.id);
    if (!joined.ok) {
      // Taken back in the same transaction, which still commits: no account without its link.
      await tx.deleteUser(created.user.id);
      return joined;
    }
    return { ...joined, ok: true, user: created.user };
  });
}

/** A link's lifetime and number of uses within INVITE_LIMITS. */
export function validInviteTerms(lifetimeMs: number, maxUses: number): boolean {
  return (
    Number.isFinite(lifetimeMs) &&
    lifetimeMs >= INVITE_LIMITS.minLifetimeMs &&
    lifetimeMs <= INVITE_LIMITS.maxLifetimeMs &&
    Number.isInteger(maxUses) &&
    maxUses >= 1 &&
    maxUses <= INVITE_LIMITS.maxUses
  );
}

/** An owner cancels a link; people who already joined keep their role. */
export async function revokeInvite(
  deps: AccessDependencies,
  input: { inviteId: string; by: string },
): Promise<Result<{ invite: Invite }, AccessErrorCode>> {
  const record = await deps.store.getInvite(input.inviteId);
  if (!record) return fail(AccessErrorCode.inviteNotFound);
  if (!mayManageDataset(await effectiveRole(deps.store, input.by, record.datasetId)))
    return fail(AccessErrorCode.forbidden);
  const revokedAt = record.revokedAt ?? deps.clock();
  await deps.store.revokeInvite(record.id, revokedAt);
  return { ok: true, invite: toInvite({ ...record, revokedAt }) };
}

export async function invitesOn(store: AccessQueries, datasetId: string): Promise<Invite[]> {
  return (await store.invitesOn(datasetId)).map(toInvite);
}
