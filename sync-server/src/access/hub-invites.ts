/**
 * Invite links into a hub: a hub admin makes a link; whoever opens it becomes a member of the hub
 * (never an admin: that is given by name), signed in or creating their account on the spot. Only
 * the token's hash is stored; the check, the use count and the membership are one transaction,
 * so a link for 3 uses admits 3, and a dead link creates no account.
 */
import { AccessErrorCode } from '@datapatch/protocol';
import type { AccessQueries, HubInviteRecord } from '../store/access-store.ts';
import { type AccessDependencies, newId } from './dependencies.ts';
import { joinWithNewAccount, validInviteTerms } from './invites.ts';
import { fail, type Result } from './result.ts';
import { hashToken } from './sessions.ts';
import type { User } from './users.ts';

const TOKEN_PREFIX = 'dph_';

export interface HubInvite {
  id: string;
  hubId: string;
  createdBy: string;
  createdAt: number;
  expiresAt: number;
  maxUses: number;
  uses: number;
}

/** Whether a token is a hub invite's (the app and the routes tell the two kinds of link apart). */
export function isHubInviteToken(token: string): boolean {
  return typeof token === 'string' && token.startsWith(TOKEN_PREFIX);
}

function toInvite(record: HubInviteRecord): HubInvite {
  return {
    id: record.id,
    hubId: record.hubId,
    createdBy: record.createdBy,
    createdAt: record.createdAt,
    expiresAt: record.expiresAt,
    maxUses: record.maxUses,
    uses: record.uses,
  };
}

/** A hub admin makes a link; the token is returned once and only its hash kept. */
export async function createHubInvite(
  deps: AccessDependencies,
  input: { hubId: string; by: string; lifetimeMs: number; maxUses: number },
): Promise<Result<{ invite: HubInvite; token: string }, AccessErrorCode>> {
  if (!(await deps.store.getHub(input.hubId))) return fail(AccessErrorCode.hubNotFound);
  if ((await deps.store.hubRoleOf(input.hubId, input.by)) !== 'admin') return fail(AccessErrorCode.forbidden);
  if (!validInviteTerms(input.lifetimeMs, input.maxUses)) return fail(AccessErrorCode.invalidInvite);
  const token = TOKEN_PREFIX + deps.random(32).toString('base64url');
  const now = deps.clock();
  const record: HubInviteRecord = {
    id: newId(deps.random),
    tokenHash: hashToken(token),
    hubId: input.hubId,
    createdBy: input.by,
    createdAt: now,
    expiresAt: now + Math.floor(input.lifetimeMs),
    maxUses: input.maxUses,
    uses: 0,
    revokedAt: null,
  };
  await deps.store.createHubInvite(record);
  return { ok: true, invite: toInvite(record), token };
}

async function findInvite(
  store: AccessQueries,
  token: string,
  lock = false,
): Promise<HubInviteRecord | undefined> {
  if (!isHubInviteToken(token) || token.length > 200) return undefined;
  return store.findHubInvite(hashToken(token), lock);
}

function usable(
  deps: AccessDependencies,
  record: HubInviteRecord | undefined,
): Result<{ record: HubInviteRecord }, AccessErrorCode> {
  if (!record) return fail(AccessErrorCode.inviteNotFound);
  if (record.revokedAt !== null) return fail(AccessErrorCode.inviteRevoked);
  if (deps.clock() >= record.expiresAt) return fail(AccessErrorCode.inviteExpired);
  return { ok: true, record };
}

type Joined = Result<{ hubId: string; hubName: string }, AccessErrorCode>;

/** The checks, the use count and the membership; call inside a transaction (`tx`). */
async function useInvite(
  deps: AccessDependencies,
  tx: AccessQueries,
  token: string,
  userId: string,
): Promise<Joined> {
  const found = usable(deps, await findInvite(tx, token, true));
  if (!found.ok) return found;
  const { record } = found;
  const hub = await tx.getHub(record.hubId);
  if (!hub) return fail(AccessErrorCode.inviteNotFound);
  // Already a member (maybe an admin): nothing to spend, nothing to lower.
  if ((await tx.hubRoleOf(record.hubId, userId)) !== undefined)
    return { ok: true, hubId: hub.id, hubName: hub.name };
  if (record.uses >= record.maxUses || !(await tx.spendHubInvite(record.id))) {
    return fail(AccessErrorCode.inviteUsedUp);
  }
  await tx.putHubMember(record.hubId, { userId, hubRole: 'member', addedAt: deps.clock() }, false);
  return { ok: true, hubId: hub.id, hubName: hub.name };
}

/** Someone signed in opens a hub link: they become a member of the hub. */
export function acceptHubInvite(
  deps: AccessDependencies,
  input: { token: string; userId: string },
): Promise<Joined> {
  return deps.store.transaction((tx) => useInvite(deps, tx, input.token, input.userId));
}

/** Someone without an account opens a hub link: the account and the membership, or neither. */
export async function acceptHubInviteWithNewAccount(
  deps: AccessDependencies,
  input: { token: string; email: string; displayName: string; password: string },
): Promise<Result<{ user: User; hubId: string; hubName: string }, AccessErrorCode>> {
  const before = usable(deps, await findInvite(deps.store, input.token));
  if (!before.ok) return before;
  if (before.record.uses >= before.record.maxUses) return fail(AccessErrorCode.inviteUsedUp);
  return joinWithNewAccount(deps, input, (tx, userId) => useInvite(deps, tx, input.token, userId));
}
