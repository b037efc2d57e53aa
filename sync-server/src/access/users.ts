/**
 * Hub member accounts: one per email (compared lower-cased), a scrypt password hash, and an
 * instance role ('owner' may administer the instance, 'member' may not). Only hub members
 * have accounts; citizens propose without one. Changing a password signs out every other session.
 */
import { AccessErrorCode } from '@datapatch/protocol';
import type { AccessQueries, AccessStore, UserRecord } from '../store/access-store.ts';
import { type AccessDependencies, newId } from './dependencies.ts';
import {
  hashPassword,
  isAcceptablePassword,
  needsRehash,
  verifyNothing,
  verifyPassword,
} from './passwords.ts';
import { fail, type Result } from './result.ts';
import { hashToken } from './sessions.ts';

export type InstanceRole = 'owner' | 'member';

export interface User {
  id: string;
  email: string;
  displayName: string;
  instanceRole: InstanceRole;
  createdAt: number;
}

/** Trimmed, NFC, lower-cased: the one form emails are stored and looked up in. */
export function normaliseEmail(email: string): string {
  return email.trim().normalize('NFC').toLowerCase();
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@.]+$/;
export function isEmail(email: string): boolean {
  return email.length <= 254 && EMAIL.test(email);
}

function toUser(record: UserRecord): User {
  return {
    id: record.id,
    email: record.email,
    displayName: record.displayName,
    instanceRole: record.instanceRole,
    createdAt: record.createdAt,
  };
}

export async function getUser(store: AccessQueries, userId: string): Promise<User | undefined> {
  const record = await store.getUser(userId);
  return record && toUser(record);
}

export async function findUserByEmail(store: AccessQueries, email: string): Promise<User | undefined> {
  const record = await store.findUserByEmail(normaliseEmail(email));
  return record && toUser(record);
}

export function countUsers(store: AccessQueries): Promise<number> {
  return store.countUsers();
}

export interface NewUser {
  email: string;
  password: string;
  displayName?: string;
  instanceRole?: InstanceRole;
}

/** A new account checked and hashed, not yet written: `insertUser` writes it (in a caller's transaction). */
export interface PreparedUser {
  record: UserRecord;
}

/** Checks the email and password and hashes the password (the slow part, outside any transaction). */
export async function prepareUser(
  deps: AccessDependencies,
  input: NewUser,
): Promise<Result<{ prepared: PreparedUser }, AccessErrorCode>> {
  const email = normaliseEmail(input.email);
  if (!isEmail(email)) return fail(AccessErrorCode.invalidEmail);
  if (!isAcceptablePassword(input.password)) return fail(AccessErrorCode.weakPassword);
  if (await deps.store.findUserByEmail(email)) return fail(AccessErrorCode.emailTaken);
  const passwordHash = await hashPassword(input.password, deps.random);
  const displayName = (input.displayName ?? '').trim().slice(0, 200);
  return {
    ok: true,
    prepared: {
      record: {
        id: newId(deps.random),
        email,
        displayName: displayName || (email.split('@')[0] ?? email),
        instanceRole: input.instanceRole ?? 'member',
        createdAt: deps.clock(),
        passwordHash,
      },
    },
  };
}

/** Writes a prepared account; `email_taken` when the address was taken while hashing. */
export async function insertUser(
  store: AccessQueries,
  prepared: PreparedUser,
): Promise<Result<{ user: User }, AccessErrorCode>> {
  // The unique constraint decides between two people racing for one address.
  if (!(await store.createUser(prepared.record))) return fail(AccessErrorCode.emailTaken);
  return { ok: true, user: toUser(prepared.record) };
}

export async function createUser(
  deps: AccessDependencies,
  input: NewUser,
): Promise<Result<{ user: User }, AccessErrorCode>> {
  const prepared = await prepareUser(deps, input);
  return prepared.ok ? insertUser(deps.store, prepared.prepared) : prepared;
}

/**
 * Sets a new password without the current one (a password reset checked by the caller), and
 * signs out every session of the account, in one transaction.
 */
export async function resetPassword(
  deps: AccessDependencies,
  input: { userId: string; newPassword: string },
  /** Runs inside the transaction first; a failure there stops the change (e.g. a spent link). */
  claim: (tx: AccessQueries) => Promise<Result<Record<never, never>, AccessErrorCode>>,
): Promise<Result<{ user: User; revokedSessions: number }, AccessErrorCode>> {
  if (!isAcceptablePassword(input.newPassword)) return fail(AccessErrorCode.weakPassword);
  const passwordHash = await hashPassword(input.newPassword, deps.random);
  return deps.store.transaction(
    async (tx): Promise<Result<{ user: User; revokedSessions: number }, AccessErrorCode>> => {
      const claimed = await claim(tx);
      if (!claimed.ok) return claimed;
      const record = await tx.getUser(input.userId);
      if (!record) return fail(AccessErrorCode.userNotFound);
      await tx.setPasswordHash(record.id, passwordHash, deps.clock());
      return { ok: true, user: toUser(record), revokedSessions: await tx.endSessionsOf(record.id) };
    },
  );
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
  const record = await deps.store.findUserByEmail(normaliseEmail(email));
  if (!record) {
    await verifyNothing(password);
    return undefined;
  }
  if (!(await verifyPassword(password, record.passwordHash))) return undefined;
  if (needsRehash(record.passwordHash)) {
    const upgraded = await hashPassword(password, deps.random);
    await deps.store.setPasswordHash(record.id, upgraded, null);
  }
  return toUser(record);
}

/**
 * Replaces the password after checking the current one, then signs out every session of this
 * user except `keepSessionToken` (the one that asked), so a stolen session dies with the old password.
 */
export async function changePassword(
  deps: AccessDependencies,
  input: { userId: string; currentPassword: string; newPassword: string; keepSessionToken?: string },
): Promise<Result<{ revokedSessions: number }, AccessErrorCode>> {
  const record = await deps.store.getUser(input.userId);
  if (!record) return fail(AccessErrorCode.userNotFound);
  if (!(await verifyPassword(input.currentPassword, record.passwordHash))) {
    return fail(AccessErrorCode.invalidCredentials);
  }
  if (!isAcceptablePassword(input.newPassword)) return fail(AccessErrorCode.weakPassword);
  const passwordHash = await hashPassword(input.newPassword, deps.random);
  const keep = input.keepSessionToken === undefined ? undefined : hashToken(input.keepSessionToken);
  const revokedSessions = await deps.store.transaction(async (tx) => {
    await tx.setPasswordHash(record.id, passwordHash, deps.clock());
    return tx.endSessionsOf(record.id, keep);
  });
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
  deps: AccessDependencies,
  env: AdminEnvironment,
): Promise<Result<{ created: boolean; user?: User }, AccessErrorCode>> {
  if ((await deps.store.countUsers()) > 0) return { ok: true, created: false };
  const email = env.DATAPATCH_ADMIN_EMAIL;
  const password = env.DATAPATCH_ADMIN_PASSWORD;
  if (!email || !password) return { ok: true, created: false };
  const normalised = normaliseEmail(email);
  if (!isEmail(normalised)) return fail(AccessErrorCode.invalidEmail);
  if (!isAcceptablePassword(password)) return fail(AccessErrorCode.weakPassword);
  const record: UserRecord = {
    id: newId(deps.random),
    email: normalised,
    displayName: normalised.split('@')[0] ?? normalised,
    instanceRole: 'owner',
    createdAt: deps.clock(),
    passwordHash: await hashPassword(password, deps.random),
  };
  // Two processes starting together: the store lets only one write into an empty table.
  const created = await deps.store.createFirstUser(record);
  return created ? { ok: true, created: true, user: toUser(record) } : { ok: true, created: false };
}

/** The oldest account with instance role 'owner', if any. */
export async function firstOwner(store: AccessStore): Promise<User | undefined> {
  const record = await store.firstOwner();
  return record && toUser(record);
}
