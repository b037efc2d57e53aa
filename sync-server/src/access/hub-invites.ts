/**
 * Invite links into a hub: a hub admin makes a link; whoever opens it becomes a member of the hub
 * (never an admin: that is given by name), signed in or creating their account on the spot. Only
 * the token's hash is stored; the check, the use count and the membership are one transaction,
 * so a link for 3 uses admits 3, and a dead link creates no account.
 */
import { AccessErrorCode } from '@datapatch/protocol';
import type { Database } from 'better-sqlite3';
import { type AccessDependencies, newId } from './dependencies.ts';
import { getHub, hubRoleOf } from './hubs.ts';
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

interface HubInviteRow {
  id: string;
  token_hash: string;
  hub_id: string;
  created_by: string;
  created_at: number;
  expires_at: number;
  max_uses: number;
  uses: number;
  revoked_at: number | null;
}

export function migrate(db: Database): void {
  db.exec(`CREATE TABLE IF NOT EXISTS hub_invites (
    id TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    hub_id TEXT NOT NULL REFERENCES hubs(id) ON DELETE CASCADE,
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    max_uses INTEGER NOT NULL CHECK (max_uses > 0),
    uses INTEGER NOT NULL DEFAULT 0 CHECK (uses <= max_uses),
    revoked_at INTEGER
  ) STRICT`);
}

/** Whether a token is a hub invite's (the app and the routes tell the two kinds of link apart). */
export function isHubInviteToken(token: string): boolean {
  return typeof token === 'string' && token.startsWith(TOKEN_PREFIX);
}

function toInvite(row: HubInviteRow): HubInvite {
  return {
    id: row.id,
    hubId: row.hub_id,
    createdBy: row.created_by,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    maxUses: row.max_uses,
    uses: row.uses,
  };
}

/** A hub admin makes a link; the token is returned once and only its hash kept. */
export function createHubInvite(
  deps: AccessDependencies,
  input: { hubId: string; by: string; lifetimeMs: number; maxUses: number },
): Result<{ invite: HubInvite; token: string }, AccessErrorCode> {
  if (!getHub(deps.db, input.hubId)) return fail(AccessErrorCode.hubNotFound);
  if (hubRoleOf(deps.db, input.hubId, input.by) !== 'admin') return fail(AccessErrorCode.forbidden);
  if (!validInviteTerms(input.lifetimeMs, input.maxUses)) return fail(AccessErrorCode.invalidInvite);
  const token = TOKEN_PREFIX + deps.random(32).toString('base64url');
  const now = deps.clock();
  const row: HubInviteRow = {
    id: newId(deps.random),
    token_hash: hashToken(token),
    hub_id: input.hubId,
    created_by: input.by,
    created_at: now,
    expires_at: now + Math.floor(input.lifetimeMs),
    max_uses: input.maxUses,
    uses: 0,
    revoked_at: null,
  };
  deps.db
    .prepare(
      `INSERT INTO hub_invites (id, token_hash, hub_id, created_by, created_at, expires_at, max_uses, uses, revoked_at)
       VALUES (@id, @token_hash, @hub_id, @created_by, @created_at, @expires_at, @max_uses, @uses, @revoked_at)`,
    )
    .run(row);
  return { ok: true, invite: toInvite(row), token };
}

function findInvite(db: Database, token: string): HubInviteRow | undefined {
  if (!isHubInviteToken(token) || token.length > 200) return undefined;
  return db.prepare('SELECT * FROM hub_invites WHERE token_hash = ?').get(hashToken(token)) as
    | HubInviteRow
    | undefined;
}

function usable(
  deps: AccessDependencies,
  row: HubInviteRow | undefined,
): Result<{ row: HubInviteRow }, AccessErrorCode> {
  if (!row) return fail(AccessErrorCode.inviteNotFound);
  if (row.revoked_at !== null) return fail(AccessErrorCode.inviteRevoked);
  if (deps.clock() >= row.expires_at) return fail(AccessErrorCode.inviteExpired);
  return { ok: true, row };
}

type Joined = Result<{ hubId: string; hubName: string }, AccessErrorCode>;

/** The checks, the use count and the membership; call inside an IMMEDIATE transaction. */
function useInvite(deps: AccessDependencies, token: string, userId: string): Joined {
  const found = usable(deps, findInvite(deps.db, token));
  if (!found.ok) return found;
  const { row } = found;
  const hub = getHub(deps.db, row.hub_id);
  if (!hub) return fail(AccessErrorCode.inviteNotFound);
  // Already a member (maybe an admin): nothing to spend, nothing to lower.
  if (hubRoleOf(deps.db, row.hub_id, userId) !== undefined)
    return { ok: true, hubId: hub.id, hubName: hub.name };
  if (row.uses >= row.max_uses) return fail(AccessErrorCode.inviteUsedUp);
  deps.db.prepare('UPDATE hub_invites SET uses = uses + 1 WHERE id = ?').run(row.id);
  deps.db
    .prepare("INSERT INTO hub_members (hub_id, user_id, hub_role, added_at) VALUES (?, ?, 'member', ?)")
    .run(row.hub_id, userId, deps.clock());
  return { ok: true, hubId: hub.id, hubName: hub.name };
}

/** Someone signed in opens a hub link: they become a member of the hub. */
export function acceptHubInvite(deps: AccessDependencies, input: { token: string; userId: string }): Joined {
  return deps.db.transaction(() => useInvite(deps, input.token, input.userId)).immediate();
}

/** Someone without an account opens a hub link: the account and the membership, or neither. */
export async function acceptHubInviteWithNewAccount(
  deps: AccessDependencies,
  input: { token: string; email: string; displayName: string; password: string },
): Promise<Result<{ user: User; hubId: string; hubName: string }, AccessErrorCode>> {
  const before = usable(deps, findInvite(deps.db, input.token));
  if (!before.ok) return before;
  if (before.row.uses >= before.row.max_uses) return fail(AccessErrorCode.inviteUsedUp);
  return joinWithNewAccount(deps, input, (userId) => useInvite(deps, input.token, userId));
}
