/**
 * Hub member accounts: one per email (compared lower-cased), a scrypt password hash, and an
 * instance role ('owner' may administer the instance, 'member' may not). Only hub members
 * have accounts; citizens propose without one. Changing a password signs out every other session.
 */
import { AccessErrorCode } from '@datapatch/protocol';
import type { Database } from 'better-sqlite3';
import { type AccessDependencies, newId, systemDependencies } from './dependencies.ts';
import {
  hashPassword,
  isAcceptablePassword,
  needsRehash,
  verifyNothing,
  verifyPassword,
} from './passwords.ts';
import { fail, type Result } from './result.ts';
import { revokeAllSessions } from './sessions.ts';

export type InstanceRole = 'owner' | 'member';

export interface User {
  id: string;
  email: string;
  displayName: string;
  instanceRole: InstanceRole;
  createdAt: number;
}

interface UserRow {
  id: string;
  email: string;
  display_name: string;
  instance_role: InstanceRole;
  created_at: number;
  password_hash: string;
}

export function migrate(db: Database): void {
  db.exec(`CREATE TABLE IF NOT EXISTS users (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    instance_role TEXT NOT NULL CHECK (instance_role IN ('owner', 'member')),
    created_at INTEGER NOT NULL,
    password_changed_at INTEGER NOT NULL
  ) STRICT`);
}

/** Trimmed, NFC, lower-cased: the one form emails are stored and looked up in. */
export function normaliseEmail(email: string): string {
  return email.trim().normalize('NFC').toLowerCase();
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@.]+$/;
export function isEmail(email: string): boolean {
  return email.length <= 254 && EMAIL.test(email);
}

function toUser(row: UserRow): User {
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    instanceRole: row.instance_role,
    createdAt: row.created_at,
  };
}

function userRowByEmail(db: Database, email: string): UserRow | undefined {
  return db.prepare('SELECT * FROM users WHERE email = ?').get(normaliseEmail(email)) as UserRow | undefined;
}

export function getUser(db: Database, userId: string): User | undefined {
  const row = db.prepare('SELECT * FROM users WHERE id = ?').get(userId) as UserRow | undefined;
  return row && toUser(row);
}

export function findUserByEmail(db: Database, email: string): User | undefined {
  const row = userRowByEmail(db, email);
  return row && toUser(row);
}

export function countUsers(db: Database): number {
  return (db.prepare('SELECT count(*) AS n FROM users').get() as { n: number }).n;
}

export interface NewUser {
  email: string;
  password: string;
  displayName?: string;
  instanceRole?: InstanceRole;
}

/** A new account checked and hashed, not yet written: `insertUser` writes it (in a caller's transaction). */
export interface PreparedUser {
  row: UserRow;
}

/** Checks the email and password and hashes the password (the slow part, outside any transaction). */
export async function prepareUser(
  deps: AccessDependencies,
  input: NewUser,
): Promise<Result<{ prepared: PreparedUser }, AccessErrorCode>> {
  const email = normaliseEmail(input.email);
  if (!isEmail(email)) return fail(AccessErrorCode.invalidEmail);
  if (!isAcceptablePassword(input.password)) return fail(AccessErrorCode.weakPassword);
  if (userRowByEmail(deps.db, email)) return fail(AccessErrorCode.emailTaken);
  const passwordHash = await hashPassword(input.password, deps.random);
  const now = deps.clock();
  const displayName = (input.displayName ?? '').trim().slice(0, 200);
  return {
    ok: true,
    prepared: {
      row: {
        id: newId(deps.random),
        email,
        display_name: displayName || (email.split('@')[0] ?? email),
        instance_role: input.instanceRole ?? 'member',
        created_at: now,
        password_hash: passwordHash,
      },
    },
  };
}

/** Writes a prepared account; `email_taken` when the address was taken while hashing. */
export function insertUser(db: Database, prepared: PreparedUser): Result<{ user: User }, AccessErrorCode> {
  // The UNIQUE constraint decides between two people racing for one address.
  const inserted = db
    .prepare(
      `INSERT INTO users (id, email, display_name, password_hash, instance_role, created_at, password_changed_at)
       VALUES (@id, @email, @display_name, @password_hash, @instance_role, @created_at, @created_at)
       ON CONFLICT (email) DO NOTHING`,
    )
    .run(prepared.row);
  if (inserted.changes === 0) return fail(AccessErrorCode.emailTaken);
  return { ok: true, user: toUser(prepared.row) };
}

export async function createUser(
  deps: AccessDependencies,
  input: NewUser,
): Promise<Result<{ user: User }, AccessErrorCode>> {
  const prepared = await prepareUser(deps, input);
  return prepared.ok ? insertUser(deps.db, prepared.prepared) : prepared;
}

/**
 * Sets a new password without the current one (a password reset checked by the caller), and
 * signs out every session of the account, in one transaction.
 */
export async function resetPassword(
  deps: AccessDependencies,
  input: { userId: string; newPassword: string },
  /** Runs inside the transaction first; a failure there stops the change (e.g. a spent link). */
  claim: () => Result<Record<never, never>, AccessErrorCode>,
): Promise<Result<{ user: User; revokedSessions: number }, AccessErrorCode>> {
  if (!isAcceptablePassword(input.newPassword)) return fail(AccessErrorCode.weakPassword);
  const passwordHash = await hashPassword(input.newPassword, deps.random);
  return deps.db
    .transaction((): Result<{ user: User; revokedSessions: number }, AccessErrorCode> => {
      const claimed = claim();
      if (!claimed.ok) return claimed;
      const row = deps.db.prepare('SELECT * FROM users WHERE id = ?').get(input.userId) as
        | UserRow
        | undefined;
      if (!row) return fail(AccessErrorCode.userNotFound);
      deps.db
        .prepare('UPDATE users SET password_hash = ?, password_changed_at = ? WHERE id = ?')
        .run(passwordHash, deps.clock(), row.id);
      return { ok: true, user: toUser(row), revokedSessions: revokeAllSessions(deps.db, row.id) };
    })
    .immediate();
}

/**
 * Checks an email and password. Unknown emails spend the same scrypt time as known ones.
 * Rate limiting is the caller's (see login.ts); this only answers yes or no.
 */
export async function checkPassword(
  deps: AccessDependencies,
  email: string,
  password: string,
): Promise<User | undefined> {
  const row = userRowByEmail(deps.db, email);
  if (!row) {
    await verifyNothing(password);
    return undefined;
  }
  if (!(await verifyPassword(password, row.password_hash))) return undefined;
  if (needsRehash(row.password_hash)) {
    const upgraded = await hashPassword(password, deps.random);
    deps.db.prepare('UPDATE users SET password_hash = ? WHERE id = ?').run(upgraded, row.id);
  }
  return toUser(row);
}

/**
 * Replaces the password after checking the current one, then signs out every session of this
 * user except `keepSessionToken` (the one that asked), so a stolen session dies with the old password.
 */
export async function changePassword(
  deps: AccessDependencies,
  input: { userId: string; currentPassword: string; newPassword: string; keepSessionToken?: string },
): Promise<Result<{ revokedSessions: number }, AccessErrorCode>> {
  const row = deps.db.prepare('SELECT * FROM users WHERE id = ?').get(input.userId) as UserRow | undefined;
  if (!row) return fail(AccessErrorCode.userNotFound);
  if (!(await verifyPassword(input.currentPassword, row.password_hash))) {
    return fail(AccessErrorCode.invalidCredentials);
  }
  if (!isAcceptablePassword(input.newPassword)) return fail(AccessErrorCode.weakPassword);
  const passwordHash = await hashPassword(input.newPassword, deps.random);
  const revokedSessions = deps.db.transaction(() => {
    deps.db
      .prepare('UPDATE users SET password_hash = ?, password_changed_at = ? WHERE id = ?')
      .run(passwordHash, deps.clock(), row.id);
    return revokeAllSessions(deps.db, row.id, input.keepSessionToken);
  })();
  return { ok: true, revokedSessions };
}

export interface AdminEnvironment {
  DATAPATCH_ADMIN_EMAIL?: string | undefined;
  DATAPATCH_ADMIN_PASSWORD?: string | undefined;
}

/**
 * Creates the instance's first owner from DATAPATCH_ADMIN_EMAIL / DATAPATCH_ADMIN_PASSWORD, only
 * when the instance has no account at all; afterwards those variables are ignored, so changing
 * them can never reset a password. `created: false` when accounts exist or the variables are unset.
 */
export async function ensureFirstOwner(
  db: Database,
  env: AdminEnvironment,
  deps: AccessDependencies = systemDependencies(db),
): Promise<Result<{ created: boolean; user?: User }, AccessErrorCode>> {
  if (countUsers(db) > 0) return { ok: true, created: false };
  const email = env.DATAPATCH_ADMIN_EMAIL;
  const password = env.DATAPATCH_ADMIN_PASSWORD;
  if (!email || !password) return { ok: true, created: false };
  const normalised = normaliseEmail(email);
  if (!isEmail(normalised)) return fail(AccessErrorCode.invalidEmail);
  if (!isAcceptablePassword(password)) return fail(AccessErrorCode.weakPassword);
  const passwordHash = await hashPassword(password, deps.random);
  const now = deps.clock();
  const row: UserRow = {
    id: newId(deps.random),
    email: normalised,
    display_name: normalised.split('@')[0] ?? normalised,
    instance_role: 'owner',
    created_at: now,
    password_hash: passwordHash,
  };
  // Two processes starting together: the IMMEDIATE transaction lets only one see an empty table.
  const created = db
    .transaction(() => {
      if (countUsers(db) > 0) return false;
      db.prepare(
        `INSERT INTO users (id, email, display_name, password_hash, instance_role, created_at, password_changed_at)
         VALUES (@id, @email, @display_name, @password_hash, @instance_role, @created_at, @created_at)`,
      ).run(row);
      return true;
    })
    .immediate();
  return created ? { ok: true, created: true, user: toUser(row) } : { ok: true, created: false };
}
