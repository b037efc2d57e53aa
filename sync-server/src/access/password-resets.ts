/**
 * Password reset links for members who forgot theirs. A hub admin (for a member of their hub)
 * or an instance owner makes one; only its SHA-256 is stored, like sessions. A link works once,
 * for a few hours, and using it ends every session of the account. A hub admin can never make
 * one for an instance owner: that would hand them the instance.
 */
import { AccessErrorCode } from '@datapatch/protocol';
import type { AccessQueries, PasswordResetRecord } from '../store/access-store.ts';
import type { AccessDependencies } from './dependencies.ts';
import { fail, type Result } from './result.ts';
import { hashToken } from './sessions.ts';
import { getUser, resetPassword, type User } from './users.ts';

const TOKEN_PREFIX = 'dpp_';
/** Long enough to reach the person through a chat or a mail; short enough that a stale one is dead. */
export const RESET_LIFETIME_MS = 4 * 60 * 60 * 1000;

/** Whether `by` may make a reset link for `userId`: an instance owner, or an admin of one of their hubs. */
export async function mayResetPasswordOf(store: AccessQueries, by: string, userId: string): Promise<boolean> {
  const actor = await getUser(store, by);
  const target = await getUser(store, userId);
  if (!actor || !target) return false;
  if (actor.instanceRole === 'owner') return true;
  if (target.instanceRole === 'owner') return false;
  return store.isHubAdminOf(by, userId);
}

/** A new link for `userId`; earlier unused links of the account stop working. The token is shown once. */
export async function createPasswordReset(
  deps: AccessDependencies,
  input: { userId: string; by: string },
): Promise<Result<{ token: string; expiresAt: number; user: User }, AccessErrorCode>> {
  const user = await getUser(deps.store, input.userId);
  if (!user) return fail(AccessErrorCode.userNotFound);
  if (!(await mayResetPasswordOf(deps.store, input.by, input.userId))) return fail(AccessErrorCode.forbidden);
  const token = TOKEN_PREFIX + deps.random(32).toString('base64url');
  const now = deps.clock();
  const expiresAt = now + RESET_LIFETIME_MS;
  await deps.store.transaction((tx) =>
    tx.replacePasswordReset({
      tokenHash: hashToken(token),
      userId: user.id,
      createdBy: input.by,
      createdAt: now,
      expiresAt,
      usedAt: null,
    }),
  );
  return { ok: true, token, expiresAt, user };
}

async function findReset(store: AccessQueries, token: string): Promise<PasswordResetRecord | undefined> {
  if (typeof token !== 'string' || !token.startsWith(TOKEN_PREFIX) || token.length > 200) return undefined;
  return store.findPasswordReset(hashToken(token));
}

function usable(
  deps: AccessDependencies,
  record: PasswordResetRecord | undefined,
): Result<{ record: PasswordResetRecord }, AccessErrorCode> {
  if (!record) return fail(AccessErrorCode.resetNotFound);
  if (record.usedAt !== null) return fail(AccessErrorCode.resetUsed);
  if (deps.clock() >= record.expiresAt) return fail(AccessErrorCode.resetExpired);
  return { ok: true, record };
}

/** What the reset page shows before the new password is typed: whose account, until when. */
export async function passwordResetFor(
  deps: AccessDependencies,
  token: string,
): Promise<Result<{ email: string; expiresAt: number }, AccessErrorCode>> {
  const found = usable(deps, await findReset(deps.store, token));
  if (!found.ok) return found;
  const user = await getUser(deps.store, found.record.userId);
  if (!user) return fail(AccessErrorCode.resetNotFound);
  return { ok: true, email: user.email, expiresAt: found.record.expiresAt };
}

/**
 * Sets the new password and spends the link, in one transaction: of two uses at once, one
 * succeeds and the other gets `reset_used`. Every session of the account ends.
 */
export async function redeemPasswordReset(
  deps: AccessDependencies,
  input: { token: string; newPassword: string },
): Promise<Result<{ user: User; revokedSessions: number }, AccessErrorCode>> {
  const found = usable(deps, await findReset(deps.store, input.token));
  if (!found.ok) return found;
  const { record } = found;
  return resetPassword(deps, { userId: record.userId, newPassword: input.newPassword }, async (tx) =>
    (await tx.spendPasswordReset(record.tokenHash, deps.clock()))
      ? { ok: true }
      : fail(AccessErrorCode.resetUsed),
  );
}
