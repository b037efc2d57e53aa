/**
 * Sessions are opaque random tokens; only their SHA-256 is stored, so a copy of the database
 * signs nobody in. A session ends at its absolute expiry, after its idle timeout (cookies),
 * at sign-out, or when its user changes password. Expired rows are refused before they are pruned.
 */
import { createHash } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import type { AccessDependencies } from './dependencies.ts';

/** 'cookie' for the app (HTTP-only, SameSite), 'bearer' for programs (Authorization header). */
export type SessionKind = 'cookie' | 'bearer';

export const SESSION_COOKIE = 'datapatch_session';
const TOKEN_PREFIX = 'dps_';
const DAY = 24 * 60 * 60 * 1000;

export const SESSION_LIFETIMES: Record<SessionKind, { maxAgeMs: number; idleMs: number | null }> = {
  cookie: { maxAgeMs: 30 * DAY, idleMs: 7 * DAY },
  bearer: { maxAgeMs: 365 * DAY, idleMs: null },
};
// Writing last_used_at on every request would turn each read into a write.
const TOUCH_EVERY_MS = 60 * 60 * 1000;

export interface Session {
  userId: string;
  kind: SessionKind;
  label: string;
  createdAt: number;
  expiresAt: number;
}

interface SessionRow {
  token_hash: string;
  user_id: string;
  kind: SessionKind;
  label: string;
  created_at: number;
  expires_at: number;
  idle_ms: number | null;
  last_used_at: number;
}

export function migrate(db: Database): void {
  db.exec(`CREATE TABLE IF NOT EXISTS sessions (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('cookie', 'bearer')),
    label TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    idle_ms INTEGER,
    last_used_at INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX IF NOT EXISTS sessions_by_user ON sessions (user_id)`);
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Starts a session; the returned token is shown once and never stored. */
export function createSession(
  deps: AccessDependencies,
  userId: string,
  options: { kind?: SessionKind; label?: string; maxAgeMs?: number } = {},
): { token: string; session: Session } {
  const kind = options.kind ?? 'cookie';
  const lifetime = SESSION_LIFETIMES[kind];
  const token = TOKEN_PREFIX + deps.random(32).toString('base64url');
  const now = deps.clock();
  const row: SessionRow = {
    token_hash: hashToken(token),
    user_id: userId,
    kind,
    label: (options.label ?? '').slice(0, 200),
    created_at: now,
    expires_at: now + Math.min(options.maxAgeMs ?? lifetime.maxAgeMs, lifetime.maxAgeMs),
    idle_ms: lifetime.idleMs,
    last_used_at: now,
  };
  deps.db
    .prepare(
      `INSERT INTO sessions (token_hash, user_id, kind, label, created_at, expires_at, idle_ms, last_used_at)
       VALUES (@token_hash, @user_id, @kind, @label, @created_at, @expires_at, @idle_ms, @last_used_at)`,
    )
    .run(row);
  return { token, session: toSession(row) };
}

function toSession(row: SessionRow): Session {
  return {
    userId: row.user_id,
    kind: row.kind,
    label: row.label,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
  };
}

/** The live session for a token, or undefined (unknown, expired, idle too long, revoked). */
export function sessionFor(deps: AccessDependencies, token: string): Session | undefined {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 100) return undefined;
  const tokenHash = hashToken(token);
  const row = deps.db.prepare('SELECT * FROM sessions WHERE token_hash = ?').get(tokenHash) as
    | SessionRow
    | undefined;
  if (!row) return undefined;
  const now = deps.clock();
  const idleExpired = row.idle_ms !== null && now - row.last_used_at >= row.idle_ms;
  if (now >= row.expires_at || idleExpired) {
    deps.db.prepare('DELETE FROM sessions WHERE token_hash = ?').run(tokenHash);
    return undefined;
  }
  if (now - row.last_used_at >= TOUCH_EVERY_MS) {
    deps.db.prepare('UPDATE sessions SET last_used_at = ? WHERE token_hash = ?').run(now, tokenHash);
  }
  return toSession(row);
}

/**
 * The live session behind a token as the request carried it: a session works only the way it was
 * made. A bearer token in the cookie is no session (a program's long-lived token must not become
 * a browser's ambient credential, sent with every cross-site navigation), nor is a cookie's token
 * sent as a bearer (it never leaves the browser's cookie jar in a legitimate use).
 */
export function sessionPresented(
  deps: AccessDependencies,
  presented: { token: string; via: SessionKind },
): Session | undefined {
  const session = sessionFor(deps, presented.token);
  return session?.kind === presented.via ? session : undefined;
}

/** Sign-out: the token stops working at once. False when it was not a live session. */
export function signOut(db: Database, token: string): boolean {
  return db.prepare('DELETE FROM sessions WHERE token_hash = ?').run(hashToken(token)).changes > 0;
}

/** Ends every session of a user, except the one holding `exceptToken`. Returns how many ended. */
export function revokeAllSessions(db: Database, userId: string, exceptToken?: string): number {
  const keep = exceptToken === undefined ? '' : hashToken(exceptToken);
  return db.prepare('DELETE FROM sessions WHERE user_id = ? AND token_hash != ?').run(userId, keep).changes;
}

export function pruneExpiredSessions(deps: AccessDependencies): number {
  const now = deps.clock();
  return deps.db
    .prepare(
      'DELETE FROM sessions WHERE expires_at <= ? OR (idle_ms IS NOT NULL AND last_used_at + idle_ms <= ?)',
    )
    .run(now, now).changes;
}

/**
 * The Set-Cookie value for the app: HttpOnly (scripts cannot read it), SameSite=Lax (not sent
 * on cross-site POSTs, still sent when an invite link opened from a mail navigates here).
 */
export function sessionCookie(token: string, options: { maxAgeMs: number; secure: boolean }): string {
  const parts = [
    `${SESSION_COOKIE}=${token}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Lax',
    `Max-Age=${Math.floor(options.maxAgeMs / 1000)}`,
  ];
  if (options.secure) parts.push('Secure');
  return parts.join('; ');
}

export function clearedSessionCookie(options: { secure: boolean }): string {
  return sessionCookie('', { maxAgeMs: 0, secure: options.secure });
}

/**
 * The token a request carries: `Authorization: Bearer …` first (programs), else the session
 * cookie (the app). Undefined when neither is there.
 */
export function sessionTokenFrom(headers: {
  authorization?: string | undefined;
  cookie?: string | undefined;
}): { token: string; via: SessionKind } | undefined {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '');
  if (bearer?.[1]) return { token: bearer[1], via: 'bearer' };
  for (const pair of (headers.cookie ?? '').split(';')) {
    const index = pair.indexOf('=');
    if (index > 0 && pair.slice(0, index).trim() === SESSION_COOKIE) {
      const token = pair.slice(index + 1).trim();
      if (token) return { token, via: 'cookie' };
    }
  }
  return undefined;
}
