/**
 * Sessions are opaque random tokens; only their SHA-256 is stored, so a copy of the database
 * signs nobody in. A session ends at its absolute expiry, after its idle timeout (cookies),
 * at sign-out, or when its user changes password. Expired rows are refused before they are pruned.
 */
import { createHash } from 'node:crypto';
import type { AccessQueries, SessionRecord } from '../store/access-store.ts';
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

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Starts a session; the returned token is shown once and never stored. */
export async function createSession(
  deps: AccessDependencies,
  userId: string,
  options: { kind?: SessionKind; label?: string; maxAgeMs?: number } = {},
): Promise<{ token: string; session: Session }> {
  const kind = options.kind ?? 'cookie';
  const lifetime = SESSION_LIFETIMES[kind];
  const token = TOKEN_PREFIX + deps.random(32).toString('base64url');
  const now = deps.clock();
  const record: SessionRecord = {
    tokenHash: hashToken(token),
    userId,
    kind,
    label: (options.label ?? '').slice(0, 200),
    createdAt: now,
    expiresAt: now + Math.min(options.maxAgeMs ?? lifetime.maxAgeMs, lifetime.maxAgeMs),
    idleMs: lifetime.idleMs,
    lastUsedAt: now,
  };
  await deps.store.createSession(record);
  return { token, session: toSession(record) };
}

function toSession(record: SessionRecord): Session {
  return {
    userId: record.userId,
    kind: record.kind,
    label: record.label,
    createdAt: record.createdAt,
    expiresAt: record.expiresAt,
  };
}

/** The live session for a token, or undefined (unknown, expired, idle too long, revoked). */
export async function sessionFor(deps: AccessDependencies, token: string): Promise<Session | undefined> {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 100) return undefined;
  const tokenHash = hashToken(token);
  const record = await deps.store.findSession(tokenHash);
  if (!record) return undefined;
  const now = deps.clock();
  const idleExpired = record.idleMs !== null && now - record.lastUsedAt >= record.idleMs;
  if (now >= record.expiresAt || idleExpired) {
    await deps.store.endSession(tokenHash);
    return undefined;
  }
  if (now - record.lastUsedAt >= TOUCH_EVERY_MS) await deps.store.touchSession(tokenHash, now);
  return toSession(record);
}

/**
 * The live session behind a token as the request carried it: a session works only the way it was
 * made. A bearer token in the cookie is no session (a program's long-lived token must not become
 * a browser's ambient credential, sent with every cross-site navigation), nor is a cookie's token
 * sent as a bearer (it never leaves the browser's cookie jar in a legitimate use).
 */
export async function sessionPresented(
  deps: AccessDependencies,
  presented: { token: string; via: SessionKind },
): Promise<Session | undefined> {
  const session = await sessionFor(deps, presented.token);
  return session?.kind === presented.via ? session : undefined;
}

/** Sign-out: the token stops working at once. False when it was not a live session. */
export function signOut(store: AccessQueries, token: string): Promise<boolean> {
  return store.endSession(hashToken(token));
}

/** Ends every session of a user, except the one holding `exceptToken`. Returns how many ended. */
export function revokeAllSessions(
  store: AccessQueries,
  userId: string,
  exceptToken?: string,
): Promise<number> {
  return store.endSessionsOf(userId, exceptToken === undefined ? undefined : hashToken(exceptToken));
}

export function pruneExpiredSessions(deps: AccessDependencies): Promise<number> {
  return deps.store.pruneSessions(deps.clock());
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
