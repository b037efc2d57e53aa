import { describe, expect, it } from 'vitest';
import { insertTestUser, testDependencies } from '../testing/access-dependencies.ts';
import { addHubMember, createHub } from './hubs.ts';
import {
  createPasswordReset,
  passwordResetFor,
  RESET_LIFETIME_MS,
  redeemPasswordReset,
} from './password-resets.ts';
import { createSession, sessionFor } from './sessions.ts';
import { checkPassword, createUser } from './users.ts';

const NEW_PASSWORD = 'a brand new passphrase';

async function setup() {
  const deps = testDependencies();
  const made = await createUser(deps, { email: 'camille@example.org', password: 'forgotten passphrase' });
  if (!made.ok) throw new Error(made.error.code);
  const camille = made.user.id;
  const admin = await insertTestUser(deps, 'admin');
  const stranger = await insertTestUser(deps, 'stranger');
  const hub = await createHub(deps, { name: 'Hub Est', createdBy: admin });
  if (!hub.ok) throw new Error(hub.error.code);
  await addHubMember(deps, { hubId: hub.hub.id, userId: camille, by: admin });
  return { deps, camille, admin, stranger, hubId: hub.hub.id };
}

describe('password reset links', () => {
  it('a hub admin makes a link for a member; it sets a new password once and ends every session', async () => {
    const { deps, camille, admin } = await setup();
    const phone = (await createSession(deps, camille, { kind: 'cookie' })).token;
    const made = await createPasswordReset(deps, { userId: camille, by: admin });
    if (!made.ok) throw new Error(made.error.code);
    expect(made.token).toMatch(/^dpp_/);
    expect(await passwordResetFor(deps, made.token)).toMatchObject({
      ok: true,
      email: 'camille@example.org',
    });
    const used = await redeemPasswordReset(deps, { token: made.token, newPassword: NEW_PASSWORD });
    expect(used).toMatchObject({ ok: true, revokedSessions: 1 });
    expect(await sessionFor(deps, phone)).toBeUndefined();
    expect(await checkPassword(deps, 'camille@example.org', NEW_PASSWORD)).toBeDefined();
    const again = await redeemPasswordReset(deps, {
      token: made.token,
      newPassword: 'yet another passphrase',
    });
    expect(again).toMatchObject({ ok: false, error: { code: 'reset_used' } });
    expect(await checkPassword(deps, 'camille@example.org', NEW_PASSWORD)).toBeDefined();
  });

  it('two uses of one link at once: one sets the password, the other is refused', async () => {
    const { deps, camille, admin } = await setup();
    const made = await createPasswordReset(deps, { userId: camille, by: admin });
    if (!made.ok) throw new Error(made.error.code);
    const answers = await Promise.all([
      await redeemPasswordReset(deps, { token: made.token, newPassword: 'first racing passphrase' }),
      await redeemPasswordReset(deps, { token: made.token, newPassword: 'second racing passphrase' }),
    ]);
    expect(answers.filter((a) => a.ok)).toHaveLength(1);
    expect(answers.find((a) => !a.ok)).toMatchObject({ error: { code: 'reset_used' } });
  });

  it('a link dies after its lifetime, and a newer link replaces an older unused one', async () => {
    const { deps, camille, admin } = await setup();
    const first = await createPasswordReset(deps, { userId: camille, by: admin });
    const second = await createPasswordReset(deps, { userId: camille, by: admin });
    if (!first.ok || !second.ok) throw new Error('not made');
    expect(await passwordResetFor(deps, first.token)).toMatchObject({
      ok: false,
      error: { code: 'reset_not_found' },
    });
    deps.advance(RESET_LIFETIME_MS);
    expect(await redeemPasswordReset(deps, { token: second.token, newPassword: NEW_PASSWORD })).toMatchObject(
      {
        ok: false,
        error: { code: 'reset_expired' },
      },
    );
  });

  it('a weak new password is refused and leaves the link usable', async () => {
    const { deps, camille, admin } = await setup();
    const made = await createPasswordReset(deps, { userId: camille, by: admin });
    if (!made.ok) throw new Error(made.error.code);
    expect(await redeemPasswordReset(deps, { token: made.token, newPassword: 'short' })).toMatchObject({
      ok: false,
      error: { code: 'weak_password' },
    });
    expect((await redeemPasswordReset(deps, { token: made.token, newPassword: NEW_PASSWORD })).ok).toBe(true);
  });

  it('only an admin of one of their hubs or an instance owner may make one; never a hub admin for an instance owner', async () => {
    const { deps, camille, admin, stranger, hubId } = await setup();
    expect(await createPasswordReset(deps, { userId: camille, by: stranger })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(await createPasswordReset(deps, { userId: admin, by: camille })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    deps.db.prepare("UPDATE users SET instance_role = 'owner' WHERE id = ?").run(stranger);
    expect((await createPasswordReset(deps, { userId: camille, by: stranger })).ok).toBe(true);
    await addHubMember(deps, { hubId, userId: stranger, by: admin });
    expect(await createPasswordReset(deps, { userId: stranger, by: admin })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
  });

  it('only a hash of the token is stored', async () => {
    const { deps, camille, admin } = await setup();
    const made = await createPasswordReset(deps, { userId: camille, by: admin });
    if (!made.ok) throw new Error(made.error.code);
    const stored = JSON.stringify(deps.db.prepare('SELECT * FROM password_resets').all());
    expect(stored).not.toContain(made.token);
    expect(stored).not.toContain(made.token.slice(4));
  });
});
