/**
 * Password reset links for members who forgot theirs. A hub admin (for a member of their hub)
 * or an instance owner makes one; only its SHA-256 is stored, like sessions. A link works once,
 * for a few hours, and using it ends every session of the account. A hub admin can never make
 * one for an instance owner: that would hand them the instance.
 */
import { AccessErrorCode } from '@datapatch/protocol';
import type { Database } from 'better-sqlite3';
import type { AccessDependencies } from './dependencies.ts';
import { fail, type Result } from './result.ts';
import { hashToken } from './sessions.ts';
import { getUser, resetPassword, type User } from './users.ts';

const TOKEN_PREFIX = 'dpp_';
/** Long enough to reach the person through a chat or a mail; short enough that a stale one is dead. */
export const RESET_LIFETIME_MS = 4 * 60 * 60 * 1000;

interface ResetRow {
  token_hash: string;
  user_id: string;
  created_by: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

export function migrate(db: Database): void {
  db.exec(`CREATE TABLE IF NOT EXISTS password_resets (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at INTEGER
  ) STRICT;
  CREATE INDEX IF NOT EXISTS password_resets_by_user ON password_resets (user_id)`);
}

/** Whether `by` may make a reset link for `userId`: an instance owner, or an admin of one of their hubs. */
export function mayResetPasswordOf(db: Database, by: string, userId: string): boolean {
  const actor = getUser(db, by);
  const target = getUser(db, userId);
  if (!actor || !target) return false;
  if (actor.instanceRole === 'owner') return true;
  if (target.instanceRole === 'owner') return false;
  return (
    db
      .prepare(
        `SELECT 1 FROM hub_members admin JOIN hub_members member ON member.hub_id = admin.hub_id
         WHERE admin.user_id = ? AND admin.hub_role = 'admin' AND member.user_id = ?`,
      )
      .get(by, userId) !== undefined
  );
}

/** A new link for `userId`; earlier unused links of the account stop working. The token is shown once. */
export function createPasswordReset(
  deps: AccessDependencies,
  input: { userId: string; by: string },
): Result<{ token: string; expiresAt: number; user: User }, AccessErrorCode> {
  const user = getUser(deps.db, input.userId);
  if (!user) return fail(AccessErrorCode.userNotFound);
  if (!mayResetPasswordOf(deps.db, input.by, input.userId)) return fail(AccessErrorCode.forbidden);
  const token = TOKEN_PREFIX + deps.random(32).toString('base64url');
  const now = deps.clock();
  const expiresAt = now + RESET_LIFETIME_MS;
  deps.db.transaction(() => {
    deps.db.prepare('DELETE FROM password_resets WHERE user_id = ? AND used_at IS NULL').run(user.id);
    deps.db
      .prepare(
        'INSERT INTO password_resets (token_hash, user_id, created_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?)',
      )
      .run(hashToken(token), user.id, input.by, now, expiresAt);
  })();
  return { ok: true, token, expiresAt, user };
}

function findReset(db: Database, token: string): ResetRow | undefined {
  if (typeof token !== 'string' || !token.startsWith(TOKEN_PREFIX) || token.length > 200) return undefined;
  return db.prepare('SELECT * FROM password_resets WHERE token_hash = ?').get(hashToken(token)) as
    | ResetRow
    | undefined;
}

function usable(
  deps: AccessDependencies,
  row: ResetRow | undefined,
): Result<{ row: ResetRow }, AccessErrorCode> {
  if (!row) return fail(AccessErrorCode.resetNotFound);
  if (row.used_at !== null) return fail(AccessErrorCode.resetUsed);
  if (deps.clock() >= row.expires_at) return fail(AccessErrorCode.resetExpired);
  return { ok: true, row };
}

/** What the reset page shows before the new password is typed: whose account, until when. */
export function passwordResetFor(
  deps: AccessDependencies,
  token: string,
): Result<{ email: string; expiresAt: number }, AccessErrorCode> {
  const found = usable(deps, findReset(deps.db, token));
  if (!found.ok) return found;
  const user = getUser(deps.db, found.row.user_id);
  if (!user) return fail(AccessErrorCode.resetNotFound);
  return { ok: true, email: user.email, expiresAt: found.row.expires_at };
}

/**
 * Sets the new password and spends the link, in one transaction: of two uses at once, one
 * succeeds and the other gets `reset_used`. Every session of the account ends.
 */
export async function redeemPasswordReset(
  deps: AccessDependencies,
  input: { token: string; newPassword: string },
): Promise<Result<{ user: User; revokedSessions: number }, AccessErrorCode>> {
  const found = usable(deps, findReset(deps.db, input.token));
  if (!found.ok) return found;
  const { row } = found;
  return resetPassword(deps, { userId: row.user_id, newPassword: input.newPassword }, () => {
    const spent = deps.db
      .prepare(
        'UPDATE password_resets SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?',
      )
      .run(deps.clock(), row.token_hash, deps.clock());
    return spent.changes === 1 ? { ok: true } : fail(AccessErrorCode.resetUsed);
  });
}
