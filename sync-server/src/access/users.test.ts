import { describe, expect, it } from 'vitest';
import { testDependencies } from '../testing/access-dependencies.ts';
import { createSession, sessionFor } from './sessions.ts';
import { changePassword, checkPassword, createUser, ensureFirstOwner, findUserByEmail } from './users.ts';

const PASSWORD = 'a long enough passphrase';

describe('accounts', () => {
  it('an email has one account, whatever its case', async () => {
    const deps = testDependencies();
    const made = await createUser(deps, { email: ' Alice@Example.org ', password: PASSWORD });
    expect(made).toMatchObject({ ok: true, user: { email: 'alice@example.org', instanceRole: 'member' } });
    expect(await createUser(deps, { email: 'ALICE@example.org', password: PASSWORD })).toMatchObject({
      ok: false,
      error: { code: 'email_taken' },
    });
    expect((await findUserByEmail(deps.store, 'alice@EXAMPLE.org'))?.email).toBe('alice@example.org');
  });

  it('a bad email or a short password is refused with its code and creates nothing', async () => {
    const deps = testDependencies();
    expect(await createUser(deps, { email: 'not-an-email', password: PASSWORD })).toMatchObject({
      ok: false,
      error: { code: 'invalid_email' },
    });
    expect(await createUser(deps, { email: 'bob@example.org', password: 'short' })).toMatchObject({
      ok: false,
      error: { code: 'weak_password' },
    });
    expect(deps.db.prepare('SELECT count(*) AS n FROM users').get()).toEqual({ n: 0 });
  });

  it('the password is stored only as a scrypt hash', async () => {
    const deps = testDependencies();
    await createUser(deps, { email: 'carol@example.org', password: PASSWORD });
    const dump = JSON.stringify(deps.db.prepare('SELECT * FROM users').all());
    expect(dump).not.toContain(PASSWORD);
    expect(dump).toContain('scrypt$15$8$1$');
  });
});

describe('first owner from the environment', () => {
  it('an empty instance gets its owner from DATAPATCH_ADMIN_EMAIL / _PASSWORD, once', async () => {
    const deps = testDependencies();
    const env = { DATAPATCH_ADMIN_EMAIL: 'admin@example.org', DATAPATCH_ADMIN_PASSWORD: PASSWORD };
    const first = await ensureFirstOwner(deps, env);
    expect(first).toMatchObject({ ok: true, created: true, user: { instanceRole: 'owner' } });
    const again = await ensureFirstOwner(deps, {
      DATAPATCH_ADMIN_EMAIL: 'admin@example.org',
      DATAPATCH_ADMIN_PASSWORD: 'another password entirely',
    });
    expect(again).toEqual({ ok: true, created: false });
    expect(await checkPassword(deps, 'admin@example.org', PASSWORD)).toBeDefined();
  });

  it('without the variables nothing is created', async () => {
    const deps = testDependencies();
    expect(await ensureFirstOwner(deps, {})).toEqual({ ok: true, created: false });
    expect(
      await ensureFirstOwner(deps, {
        DATAPATCH_ADMIN_EMAIL: 'a@example.org',
        DATAPATCH_ADMIN_PASSWORD: 'short',
      }),
    ).toMatchObject({ ok: false, error: { code: 'weak_password' } });
  });
});

describe('password change', () => {
  it('the old password stops working and every other session is signed out', async () => {
    const deps = testDependencies();
    const made = await createUser(deps, { email: 'dan@example.org', password: PASSWORD });
    if (!made.ok) throw new Error(made.error.code);
    const here = (await createSession(deps, made.user.id)).token;
    const stolen = (await createSession(deps, made.user.id)).token;
    const changed = await changePassword(deps, {
      userId: made.user.id,
      currentPassword: PASSWORD,
      newPassword: 'a brand new passphrase',
      keepSessionToken: here,
    });
    expect(changed).toEqual({ ok: true, revokedSessions: 1 });
    expect(await sessionFor(deps, here)).toBeDefined();
    expect(await sessionFor(deps, stolen)).toBeUndefined();
    expect(await checkPassword(deps, 'dan@example.org', PASSWORD)).toBeUndefined();
    expect(await checkPassword(deps, 'dan@example.org', 'a brand new passphrase')).toBeDefined();
  });

  it('a wrong current password changes nothing', async () => {
    const deps = testDependencies();
    const made = await createUser(deps, { email: 'eve@example.org', password: PASSWORD });
    if (!made.ok) throw new Error(made.error.code);
    const session = (await createSession(deps, made.user.id)).token;
    const changed = await changePassword(deps, {
      userId: made.user.id,
      currentPassword: 'not the password at all',
      newPassword: 'a brand new passphrase',
    });
    expect(changed).toMatchObject({ ok: false, error: { code: 'invalid_credentials' } });
    expect(await sessionFor(deps, session)).toBeDefined();
  });
});
