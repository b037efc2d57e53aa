/**
 * Invite links: an owner makes a link carrying a role, an expiry and a number of uses; whoever
 * opens it signed in joins the dataset with that role, for themselves or for a hub they
 * administer. Only the token's hash is stored. Using a link again for the same person or hub
 * spends no extra use, and a link never lowers a role someone already has.
 */
import { AccessErrorCode } from '@datapatch/protocol';
import type { Database } from 'better-sqlite3';
import { type AccessDependencies, newId } from './dependencies.ts';
import { hubRoleOf } from './hubs.ts';
import { effectiveRole, mayManageDataset, type Role } from './permissions.ts';
import { type Failure, fail, type Result } from './result.ts';
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

interface InviteRow {
  id: string;
  token_hash: string;
  dataset_id: string;
  role: InviteRole;
  created_by: string;
  created_at: number;
  expires_at: number;
  max_uses: number;
  uses: number;
  revoked_at: number | null;
}

export function migrate(db: Database): void {
  db.exec(`CREATE TABLE IF NOT EXISTS invites (
    id TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    dataset_id TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('reader', 'editor', 'moderator')),
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    max_uses INTEGER NOT NULL CHECK (max_uses > 0),
    uses INTEGER NOT NULL DEFAULT 0 CHECK (uses <= max_uses),
    revoked_at INTEGER
  ) STRICT;
  CREATE INDEX IF NOT EXISTS invites_by_dataset ON invites (dataset_id);
  CREATE TABLE IF NOT EXISTS invite_uses (
    invite_id TEXT NOT NULL REFERENCES invites(id) ON DELETE CASCADE,
    subject_kind TEXT NOT NULL CHECK (subject_kind IN ('user', 'hub')),
    subject_id TEXT NOT NULL,
    used_by TEXT NOT NULL,
    used_at INTEGER NOT NULL,
    PRIMARY KEY (invite_id, subject_kind, subject_id)
  ) STRICT`);
}

function toInvite(row: InviteRow): Invite {
  return {
    id: row.id,
    datasetId: row.dataset_id,
    role: row.role,
    createdBy: row.created_by,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    maxUses: row.max_uses,
    uses: row.uses,
    revoked: row.revoked_at !== null,
  };
}

/** An owner makes a link; the token is returned once and only its hash kept. */
export function createInvite(
  deps: AccessDependencies,
  input: { datasetId: string; role: InviteRole; lifetimeMs: number; maxUses: number; by: string },
): Result<{ invite: Invite; token: string }, AccessErrorCode> {
  if (!datasetExists(deps.db, input.datasetId)) return fail(AccessErrorCode.datasetNotFound);
  if (!mayManageDataset(effectiveRole(deps.db, input.by, input.datasetId)))
    return fail(AccessErrorCode.forbidden);
  if (!INVITE_ROLES.includes(input.role) || !validInviteTerms(input.lifetimeMs, input.maxUses)) {
    return fail(AccessErrorCode.invalidInvite);
  }
  const token = TOKEN_PREFIX + deps.random(32).toString('base64url');
  const now = deps.clock();
  const row: InviteRow = {
    id: newId(deps.random),
    token_hash: hashToken(token),
    dataset_id: input.datasetId,
    role: input.role,
    created_by: input.by,
    created_at: now,
    expires_at: now + Math.floor(input.lifetimeMs),
    max_uses: input.maxUses,
    uses: 0,
    revoked_at: null,
  };
  deps.db
    .prepare(
      `INSERT INTO invites (id, token_hash, dataset_id, role, created_by, created_at, expires_at, max_uses, uses, revoked_at)
       VALUES (@id, @token_hash, @dataset_id, @role, @created_by, @created_at, @expires_at, @max_uses, @uses, @revoked_at)`,
    )
    .run(row);
  return { ok: true, invite: toInvite(row), token };
}

type Joined = Result<{ datasetId: string; role: Role; subject: Subject }, AccessErrorCode>;

/** The checks, the use count and the grant; call inside an IMMEDIATE transaction. */
function useInvite(deps: AccessDependencies, token: string, subject: Subject, userId: string): Joined {
  const row = findInvite(deps.db, token);
  const usable = checkUsable(deps, row);
  if (!usable.ok || !row) return usable.ok ? fail(AccessErrorCode.inviteNotFound) : usable;
  const alreadyUsed = deps.db
    .prepare('SELECT 1 FROM invite_uses WHERE invite_id = ? AND subject_kind = ? AND subject_id = ?')
    .get(row.id, subject.kind, subject.id);
  if (!alreadyUsed) {
    if (row.uses >= row.max_uses) return fail(AccessErrorCode.inviteUsedUp);
    deps.db.prepare('UPDATE invites SET uses = uses + 1 WHERE id = ?').run(row.id);
    deps.db
      .prepare(
        'INSERT INTO invite_uses (invite_id, subject_kind, subject_id, used_by, used_at) VALUES (?, ?, ?, ?, ?)',
      )
      .run(row.id, subject.kind, subject.id, userId, deps.clock());
  }
  const role = writeGrant(deps, {
    datasetId: row.dataset_id,
    subject,
    role: row.role,
    by: row.created_by,
    keepHigher: true,
  });
  return { ok: true, datasetId: row.dataset_id, role, subject };
}

function findInvite(db: Database, token: string): InviteRow | undefined {
  if (typeof token !== 'string' || token.length > 200) return undefined;
  return db.prepare('SELECT * FROM invites WHERE token_hash = ?').get(hashToken(token)) as
    | InviteRow
    | undefined;
}

function checkUsable(
  deps: AccessDependencies,
  row: InviteRow | undefined,
): Result<Record<never, never>, AccessErrorCode> {
  if (!row) return fail(AccessErrorCode.inviteNotFound);
  if (row.revoked_at !== null) return fail(AccessErrorCode.inviteRevoked);
  if (deps.clock() >= row.expires_at) return fail(AccessErrorCode.inviteExpired);
  return { ok: true };
}

/**
 * Someone signed in opens a link: they (or, with `forHub`, a hub they administer) get the
 * link's role on the dataset, unless they already have a higher one. The use count, the
 * check and the grant happen in one transaction, so a link for 3 uses admits 3, never 4.
 */
export function acceptInvite(
  deps: AccessDependencies,
  input: { token: string; userId: string; forHub?: string },
): Joined {
  if (input.forHub !== undefined && hubRoleOf(deps.db, input.forHub, input.userId) !== 'admin') {
    return fail(AccessErrorCode.forbidden);
  }
  const subject: Subject =
    input.forHub !== undefined ? { kind: 'hub', id: input.forHub } : { kind: 'user', id: input.userId };
  return deps.db.transaction(() => useInvite(deps, input.token, subject, input.userId)).immediate();
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
  const before = findInvite(deps.db, input.token);
  const usable = checkUsable(deps, before);
  if (!usable.ok) return usable;
  if (before && before.uses >= before.max_uses) return fail(AccessErrorCode.inviteUsedUp);
  return joinWithNewAccount(deps, input, (userId) => {
    const joined = useInvite(deps, input.token, { kind: 'user', id: userId }, userId);
    return joined.ok ? { ok: true, datasetId: joined.datasetId, role: joined.role } : joined;
  });
}

/**
 * Creates an account and runs `join` for it in one IMMEDIATE transaction: when `join` refuses,
 * the account is rolled back with the rest, so no link ever leaves an account without what it
 * promised. The password is hashed before the transaction, so no lock is held during scrypt.
 */
export async function joinWithNewAccount<T extends object>(
  deps: AccessDependencies,
  input: { email: string; displayName: string; password: string },
  join: (userId: string) => Result<T, AccessErrorCode>,
): Promise<Result<{ user: User } & T, AccessErrorCode>> {
  const prepared = await prepareUser(deps, {
    email: input.email,
    password: input.password,
    displayName: input.displayName,
  });
  if (!prepared.ok) return prepared;
  const account = prepared.prepared;
  try {
    return deps.db
      .transaction((): Result<{ user: User } & T, AccessErrorCode> => {
        const created = insertUser(deps.db, account);
        if (!created.ok) return created;
        const joined = join(created.user.id);
        if (!joined.ok) throw new JoinRefused(joined);
        return { ...joined, ok: true, user: created.user };
      })
      .immediate();
  } catch (error) {
    if (error instanceof JoinRefused) return error.failure;
    throw error;
  }
}

/** Carries a refusal out of a transaction, so that the transaction rolls back. */
class JoinRefused extends Error {
  constructor(readonly failure: Failure<AccessErrorCode>) {
    super(failure.error.code);
  }
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
export function revokeInvite(
  deps: AccessDependencies,
  input: { inviteId: string; by: string },
): Result<{ invite: Invite }, AccessErrorCode> {
  const row = deps.db.prepare('SELECT * FROM invites WHERE id = ?').get(input.inviteId) as
    | InviteRow
    | undefined;
  if (!row) return fail(AccessErrorCode.inviteNotFound);
  if (!mayManageDataset(effectiveRole(deps.db, input.by, row.dataset_id)))
    return fail(AccessErrorCode.forbidden);
  const revokedAt = row.revoked_at ?? deps.clock();
  deps.db.prepare('UPDATE invites SET revoked_at = ? WHERE id = ?').run(revokedAt, row.id);
  return { ok: true, invite: toInvite({ ...row, revoked_at: revokedAt }) };
}

export function invitesOn(db: Database, datasetId: string): Invite[] {
  const rows = db
    .prepare('SELECT * FROM invites WHERE dataset_id = ? ORDER BY created_at, id')
    .all(datasetId) as InviteRow[];
  return rows.map(toInvite);
}
