import { describe, expect, it } from 'vitest';
import { accessBackends, freshDependenciesOn, insertTestUser } from '../testing/access-dependencies.ts';
import { registerDataset } from './datasets.ts';
import { addHubMember, createHub } from './hubs.ts';
import {
  acceptInvite,
  acceptInviteWithNewAccount,
  createInvite,
  type InviteRole,
  invitesOn,
  revokeInvite,
} from './invites.ts';
import { effectiveRole } from './permissions.ts';
import { grantRole } from './roles.ts';
import { checkPassword, countUsers } from './users.ts';

const HOUR = 60 * 60 * 1000;

const backends = await accessBackends('the invite rules');

// PostgreSQL is skipped only when it does not answer: requireServices printed why (CI fails instead).
for (const backend of backends) {
  const fresh = freshDependenciesOn(backend);

  async function setup() {
    const deps = await fresh();
    const owner = await insertTestUser(deps, 'owner');
    await registerDataset(deps, { datasetId: 'fountains', ownerId: owner });
    const invite = async (role: InviteRole = 'editor', maxUses = 2, lifetimeMs = 24 * HOUR) => {
      const made = await createInvite(deps, { datasetId: 'fountains', role, lifetimeMs, maxUses, by: owner });
      if (!made.ok) throw new Error(made.error.code);
      return made;
    };
    return { deps, owner, invite };
  }

  describe.skipIf(!backend.available)(`invite links on ${backend.name}`, () => {
    it('opening a link gives its role on its dataset', async () => {
      const { deps, invite } = await setup();
      const alice = await insertTestUser(deps, 'alice');
      const { token } = await invite('editor');
      expect(await acceptInvite(deps, { token, userId: alice })).toMatchObject({ ok: true, role: 'editor' });
      expect(await effectiveRole(deps.store, alice, 'fountains')).toBe('editor');
    });

    it('a link stops working at its expiry', async () => {
      const { deps, invite } = await setup();
      const alice = await insertTestUser(deps, 'alice');
      const { token } = await invite('reader', 5, 2 * HOUR);
      deps.advance(2 * HOUR);
      expect(await acceptInvite(deps, { token, userId: alice })).toMatchObject({
        ok: false,
        error: { code: 'invite_expired' },
      });
      expect(await effectiveRole(deps.store, alice, 'fountains')).toBe('anonymous');
    });

    it('a link for 2 uses admits 2 people, not 3', async () => {
      const { deps, invite } = await setup();
      const { token, invite: made } = await invite('reader', 2);
      const [a, b, c] = (await Promise.all(['a', 'b', 'c'].map((name) => insertTestUser(deps, name)))) as [
        string,
        string,
        string,
      ];
      expect((await acceptInvite(deps, { token, userId: a })).ok).toBe(true);
      expect((await acceptInvite(deps, { token, userId: b })).ok).toBe(true);
      expect(await acceptInvite(deps, { token, userId: c })).toMatchObject({
        ok: false,
        error: { code: 'invite_used_up' },
      });
      expect((await invitesOn(deps.store, 'fountains')).find((i) => i.id === made.id)?.uses).toBe(2);
    });

    it('opening the same link twice spends one use, not two', async () => {
      const { deps, invite } = await setup();
      const { token } = await invite('reader', 2);
      const alice = await insertTestUser(deps, 'alice');
      const bob = await insertTestUser(deps, 'bob');
      await acceptInvite(deps, { token, userId: alice });
      await acceptInvite(deps, { token, userId: alice });
      expect((await acceptInvite(deps, { token, userId: bob })).ok).toBe(true);
    });

    it('a whole hub joins in one click, by one of its admins', async () => {
      const { deps, invite } = await setup();
      const admin = await insertTestUser(deps, 'admin');
      const member = await insertTestUser(deps, 'member');
      const hub = await createHub(deps, { name: 'Eau de Paris', createdBy: admin });
      if (!hub.ok) throw new Error('hub');
      await addHubMember(deps, { hubId: hub.hub.id, userId: member, by: admin });
      const { token } = await invite('moderator', 1);
      expect(await acceptInvite(deps, { token, userId: member, forHub: hub.hub.id })).toMatchObject({
        ok: false,
        error: { code: 'forbidden' },
      });
      expect(await acceptInvite(deps, { token, userId: admin, forHub: hub.hub.id })).toMatchObject({
        ok: true,
        subject: { kind: 'hub' },
      });
      expect(await effectiveRole(deps.store, member, 'fountains')).toBe('moderator');
    });

    it('a link never lowers a role someone already has', async () => {
      const { deps, owner, invite } = await setup();
      const alice = await insertTestUser(deps, 'alice');
      await grantRole(deps, {
        datasetId: 'fountains',
        subject: { kind: 'user', id: alice },
        role: 'moderator',
        by: owner,
      });
      const { token } = await invite('reader');
      expect(await acceptInvite(deps, { token, userId: alice })).toMatchObject({
        ok: true,
        role: 'moderator',
      });
    });

    it('a revoked link stops working; those who joined keep their role', async () => {
      const { deps, owner, invite } = await setup();
      const alice = await insertTestUser(deps, 'alice');
      const bob = await insertTestUser(deps, 'bob');
      const { token, invite: made } = await invite('editor', 5);
      await acceptInvite(deps, { token, userId: alice });
      expect((await revokeInvite(deps, { inviteId: made.id, by: owner })).ok).toBe(true);
      expect(await acceptInvite(deps, { token, userId: bob })).toMatchObject({
        ok: false,
        error: { code: 'invite_revoked' },
      });
      expect(await effectiveRole(deps.store, alice, 'fountains')).toBe('editor');
    });

    it('an unknown link, an owner link, or a link by a non-owner is refused with its code', async () => {
      const { deps, invite } = await setup();
      const alice = await insertTestUser(deps, 'alice');
      expect(await acceptInvite(deps, { token: 'dpi_nope', userId: alice })).toMatchObject({
        ok: false,
        error: { code: 'invite_not_found' },
      });
      await expect(invite('owner' as InviteRole)).rejects.toThrow('invalid_invite');
      await expect(invite('reader', 0)).rejects.toThrow('invalid_invite');
      expect(
        await createInvite(deps, {
          datasetId: 'fountains',
          role: 'reader',
          lifetimeMs: HOUR,
          maxUses: 1,
          by: alice,
        }),
      ).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    });

    // Reads the stored rows through the SQLite handle (deps.db), which only the SQLite case has.
    it.skipIf(backend.name !== 'SQLite')('the link token is stored only hashed', async () => {
      const { deps, invite } = await setup();
      const { token } = await invite();
      const dump = JSON.stringify(deps.db.prepare('SELECT * FROM invites').all());
      expect(dump).not.toContain(token);
      expect(dump).not.toContain(token.slice(4));
    });
  });

  describe.skipIf(!backend.available)(`joining from a link without an account on ${backend.name}`, () => {
    const newcomer = (email = 'dominique@example.org') => ({
      email,
      displayName: 'Dominique Martin',
      password: 'a passphrase of my own',
    });

    it('creates the account and takes the role in one step', async () => {
      const { deps, invite } = await setup();
      const { token } = await invite('editor', 1);
      const joined = await acceptInviteWithNewAccount(deps, { token, ...newcomer() });
      if (!joined.ok) throw new Error(joined.error.code);
      expect(joined).toMatchObject({ datasetId: 'fountains', role: 'editor' });
      expect(joined.user).toMatchObject({ email: 'dominique@example.org', displayName: 'Dominique Martin' });
      expect(await effectiveRole(deps.store, joined.user.id, 'fountains')).toBe('editor');
      expect(await checkPassword(deps, 'dominique@example.org', 'a passphrase of my own')).toBeDefined();
      expect((await invitesOn(deps.store, 'fountains'))[0]?.uses).toBe(1);
    });

    it('a used-up, revoked or expired link creates no account', async () => {
      const { deps, owner, invite } = await setup();
      const before = await countUsers(deps.store);
      const usedUp = await invite('editor', 1);
      expect(
        (await acceptInviteWithNewAccount(deps, { token: usedUp.token, ...newcomer('a@example.org') })).ok,
      ).toBe(true);
      expect(
        await acceptInviteWithNewAccount(deps, { token: usedUp.token, ...newcomer('b@example.org') }),
      ).toMatchObject({ ok: false, error: { code: 'invite_used_up' } });
      const revoked = await invite('editor', 5);
      await revokeInvite(deps, { inviteId: revoked.invite.id, by: owner });
      expect(
        await acceptInviteWithNewAccount(deps, { token: revoked.token, ...newcomer('c@example.org') }),
      ).toMatchObject({ ok: false, error: { code: 'invite_revoked' } });
      const expired = await invite('editor', 5, 2 * HOUR);
      deps.advance(2 * HOUR);
      expect(
        await acceptInviteWithNewAccount(deps, { token: expired.token, ...newcomer('d@example.org') }),
      ).toMatchObject({ ok: false, error: { code: 'invite_expired' } });
      expect(await countUsers(deps.store)).toBe(before + 1);
    });

    it('two newcomers racing for a one-use link: one account with its role, no account for the other', async () => {
      const { deps, invite } = await setup();
      const before = await countUsers(deps.store);
      const { token } = await invite('moderator', 1);
      const answers = await Promise.all([
        acceptInviteWithNewAccount(deps, { token, ...newcomer('first@example.org') }),
        acceptInviteWithNewAccount(deps, { token, ...newcomer('second@example.org') }),
      ]);
      expect(answers.filter((a) => a.ok)).toHaveLength(1);
      expect(answers.find((a) => !a.ok)).toMatchObject({ error: { code: 'invite_used_up' } });
      expect(await countUsers(deps.store)).toBe(before + 1);
    });

    it('an email that already has an account is refused and spends no use', async () => {
      const { deps, invite } = await setup();
      const { token } = await invite('editor', 1);
      expect(
        await acceptInviteWithNewAccount(deps, { token, ...newcomer('owner@example.org') }),
      ).toMatchObject({
        ok: false,
        error: { code: 'email_taken' },
      });
      expect((await invitesOn(deps.store, 'fountains'))[0]?.uses).toBe(0);
    });
  });
}
