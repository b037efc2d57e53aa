import { describe, expect, it } from 'vitest';
import { accessBackends, freshDependenciesOn, insertTestUser } from '../testing/access-dependencies.ts';
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

const backends = await accessBackends('the session rules');

for (const backend of backends) {
  const fresh = freshDependenciesOn(backend);

  // PostgreSQL is skipped only when it does not answer: requireServices printed why (CI fails instead).
  describe.skipIf(!backend.available)(`sessions on ${backend.name}`, () => {
    it('a fresh session token signs its user in', async () => {
      const deps = await fresh();
      const alice = await insertTestUser(deps, 'alice');
      const { token } = await createSession(deps, alice);
      expect(await sessionFor(deps, token)).toMatchObject({ userId: alice, kind: 'cookie' });
    });

    it('a session expires at its maximum age even when used every day', async () => {
      const deps = await fresh();
      const alice = await insertTestUser(deps, 'alice');
      const { token } = await createSession(deps, alice, { kind: 'cookie' });
      for (let day = 1; day < 30; day++) {
        deps.advance(DAY);
        expect(await sessionFor(deps, token)).toBeDefined();
      }
      deps.advance(DAY);
      expect(await sessionFor(deps, token)).toBeUndefined();
    });

    it('an app session left unused for its idle time expires; a program token does not', async () => {
      const deps = await fresh();
      const alice = await insertTestUser(deps, 'alice');
      const cookie = (await createSession(deps, alice, { kind: 'cookie' })).token;
      const bearer = (await createSession(deps, alice, { kind: 'bearer', label: 'map export' })).token;
      deps.advance(SESSION_LIFETIMES.cookie.idleMs ?? 0);
      expect(await sessionFor(deps, cookie)).toBeUndefined();
      expect(await sessionFor(deps, bearer)).toMatchObject({ kind: 'bearer', label: 'map export' });
    });

    it('sign-out revokes the token at once and only that one', async () => {
      const deps = await fresh();
      const alice = await insertTestUser(deps, 'alice');
      const laptop = (await createSession(deps, alice)).token;
      const phone = (await createSession(deps, alice)).token;
      expect(await signOut(deps.store, laptop)).toBe(true);
      expect(await sessionFor(deps, laptop)).toBeUndefined();
      expect(await sessionFor(deps, phone)).toBeDefined();
      expect(await signOut(deps.store, laptop)).toBe(false);
    });

    it('revoking all sessions can keep the one that asked', async () => {
      const deps = await fresh();
      const alice = await insertTestUser(deps, 'alice');
      const here = (await createSession(deps, alice)).token;
      const elsewhere = (await createSession(deps, alice)).token;
      expect(await revokeAllSessions(deps.store, alice, here)).toBe(1);
      expect(await sessionFor(deps, here)).toBeDefined();
      expect(await sessionFor(deps, elsewhere)).toBeUndefined();
    });

    // Reads the stored rows through the SQLite handle (deps.db), which only the SQLite case has.
    it.skipIf(backend.name !== 'SQLite')('tokens are stored only as hashes', async () => {
      const deps = await fresh();
      const alice = await insertTestUser(deps, 'alice');
      const { token } = await createSession(deps, alice);
      const dump = JSON.stringify(deps.db.prepare('SELECT * FROM sessions').all());
      expect(dump).not.toContain(token.slice(4));
    });

    it('expired sessions are pruned', async () => {
      const deps = await fresh();
      const alice = await insertTestUser(deps, 'alice');
      await createSession(deps, alice);
      await createSession(deps, alice, { kind: 'bearer' });
      deps.advance(8 * DAY);
      expect(await pruneExpiredSessions(deps)).toBe(1);
    });

    it('a made-up or malformed token signs nobody in', async () => {
      const deps = await fresh();
      expect(await sessionFor(deps, 'dps_made-up')).toBeUndefined();
      expect(await sessionFor(deps, '')).toBeUndefined();
      expect(await sessionFor(deps, `dps_${'x'.repeat(500)}`)).toBeUndefined();
    });
  });
}

describe('session cookie and bearer header', () => {
  it('the app cookie is HTTP-only and SameSite, Secure behind HTTPS', async () => {
    const cookie = sessionCookie('dps_abc', { maxAgeMs: DAY, secure: true });
    expect(cookie).toBe('datapatch_session=dps_abc; Path=/; HttpOnly; SameSite=Lax; Max-Age=86400; Secure');
    expect(clearedSessionCookie({ secure: false })).toContain('Max-Age=0');
  });

  it('a program token comes from Authorization: Bearer, the app token from the cookie', async () => {
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
