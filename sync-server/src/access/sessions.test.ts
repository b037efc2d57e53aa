import { describe, expect, it } from 'vitest';
import { insertTestUser, testDependencies } from '../testing/access-dependencies.ts';
import {
  clearedSessionCookie,
  createSession,
  pruneExpiredSessions,
  revokeAllSessions,
  SESSION_LIFETIMES,
  sessionCookie,
  sessionFor,
  sessionTokenFrom,
  signOut,
} from './sessions.ts';

const DAY = 24 * 60 * 60 * 1000;

describe('sessions', () => {
  it('a fresh session token signs its user in', () => {
    const deps = testDependencies();
    const alice = insertTestUser(deps, 'alice');
    const { token } = createSession(deps, alice);
    expect(sessionFor(deps, token)).toMatchObject({ userId: alice, kind: 'cookie' });
  });

  it('a session expires at its maximum age even when used every day', () => {
    const deps = testDependencies();
    const alice = insertTestUser(deps, 'alice');
    const { token } = createSession(deps, alice, { kind: 'cookie' });
    for (let day = 1; day < 30; day++) {
      deps.advance(DAY);
      expect(sessionFor(deps, token)).toBeDefined();
    }
    deps.advance(DAY);
    expect(sessionFor(deps, token)).toBeUndefined();
  });

  it('an app session left unused for its idle time expires; a program token does not', () => {
    const deps = testDependencies();
    const alice = insertTestUser(deps, 'alice');
    const cookie = createSession(deps, alice, { kind: 'cookie' }).token;
    const bearer = createSession(deps, alice, { kind: 'bearer', label: 'map export' }).token;
    deps.advance(SESSION_LIFETIMES.cookie.idleMs ?? 0);
    expect(sessionFor(deps, cookie)).toBeUndefined();
    expect(sessionFor(deps, bearer)).toMatchObject({ kind: 'bearer', label: 'map export' });
  });

  it('sign-out revokes the token at once and only that one', () => {
    const deps = testDependencies();
    const alice = insertTestUser(deps, 'alice');
    const laptop = createSession(deps, alice).token;
    const phone = createSession(deps, alice).token;
    expect(signOut(deps.db, laptop)).toBe(true);
    expect(sessionFor(deps, laptop)).toBeUndefined();
    expect(sessionFor(deps, phone)).toBeDefined();
    expect(signOut(deps.db, laptop)).toBe(false);
  });

  it('revoking all sessions can keep the one that asked', () => {
    const deps = testDependencies();
    const alice = insertTestUser(deps, 'alice');
    const here = createSession(deps, alice).token;
    const elsewhere = createSession(deps, alice).token;
    expect(revokeAllSessions(deps.db, alice, here)).toBe(1);
    expect(sessionFor(deps, here)).toBeDefined();
    expect(sessionFor(deps, elsewhere)).toBeUndefined();
  });

  it('tokens are stored only as hashes', () => {
    const deps = testDependencies();
    const alice = insertTestUser(deps, 'alice');
    const { token } = createSession(deps, alice);
    const dump = JSON.stringify(deps.db.prepare('SELECT * FROM sessions').all());
    expect(dump).not.toContain(token.slice(4));
  });

  it('expired sessions are pruned', () => {
    const deps = testDependencies();
    const alice = insertTestUser(deps, 'alice');
    createSession(deps, alice);
    createSession(deps, alice, { kind: 'bearer' });
    deps.advance(8 * DAY);
    expect(pruneExpiredSessions(deps)).toBe(1);
  });

  it('a made-up or malformed token signs nobody in', () => {
    const deps = testDependencies();
    expect(sessionFor(deps, 'dps_made-up')).toBeUndefined();
    expect(sessionFor(deps, '')).toBeUndefined();
    expect(sessionFor(deps, `dps_${'x'.repeat(500)}`)).toBeUndefined();
  });
});

describe('session cookie and bearer header', () => {
  it('the app cookie is HTTP-only and SameSite, Secure behind HTTPS', () => {
    const cookie = sessionCookie('dps_abc', { maxAgeMs: DAY, secure: true });
    expect(cookie).toBe('datapatch_session=dps_abc; Path=/; HttpOnly; SameSite=Lax; Max-Age=86400; Secure');
    expect(clearedSessionCookie({ secure: false })).toContain('Max-Age=0');
  });

  it('a program token comes from Authorization: Bearer, the app token from the cookie', () => {
    expect(sessionTokenFrom({ authorization: 'Bearer dps_prog' })).toEqual({
      token: 'dps_prog',
      via: 'bearer',
    });
    expect(sessionTokenFrom({ cookie: 'theme=dark; datapatch_session=dps_app; x=1' })).toEqual({
      token: 'dps_app',
      via: 'cookie',
    });
    expect(sessionTokenFrom({ cookie: 'datapatch_session_other=dps_no' })).toBeUndefined();
    expect(sessionTokenFrom({})).toBeUndefined();
  });
});
