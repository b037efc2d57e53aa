/**
 * What the access rules promise on every AccessStore backend, stated once: an email is one
 * account, a one-use invite admits one, a dataset keeps a personal owner and a hub an admin, a
 * reset link works once, the first owner is made once, even when requests race (on a shared
 * backend, half of them through a second handle, as a second process would send them).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  acceptHubInvite,
  acceptInvite,
  acceptInviteWithNewAccount,
  createHub,
  createHubInvite,
  createInvite,
  createPasswordReset,
  createSession,
  createUser,
  ensureFirstOwner,
  grantRole,
  grantsOn,
  hashAddress,
  hubMembers,
  invitesOn,
  redeemPasswordReset,
  registerDataset,
  removeHubMember,
  revokeRole,
  sessionFor,
  setHubRole,
  updateDatasetSettings,
} from '../../access/index.ts';
import {
  insertTestUser,
  type TestDependencies,
  testDependencies,
} from '../../testing/access-dependencies.ts';
import type { OpenBackend, StoreBackend } from './backends.ts';

const HOUR = 60 * 60 * 1000;
const PASSWORD = 'a passphrase of my own';

export function accessStoreContract(backend: StoreBackend): void {
  describe(`AccessStore on ${backend.name}`, () => {
    let opened: OpenBackend;
    /** The rules on the first handle, and on a second process's handle where the backend is shared. */
    let one: TestDependencies;
    let two: TestDependencies;
    /** Alternates the two handles, as a load balancer would spread requests. */
    const either = (i: number) => (i % 2 === 0 ? one : two);

    beforeEach(async () => {
      opened = await backend.open();
      // Seeds of their own: two processes never draw the same ids.
      one = testDependencies({ store: opened.access, seed: 1 });
      const other = backend.shared ? (await opened.another()).access : opened.access;
      two = testDependencies({ store: other, seed: 2 });
    });
    afterEach(async () => {
      await opened.dispose();
    });

    async function ownedDataset(): Promise<string> {
      const owner = await insertTestUser(one, 'owner');
      const made = await registerDataset(one, { datasetId: 'fountains', ownerId: owner });
      if (!made.ok) throw new Error(made.error.code);
      return owner;
    }

    it('reads back what it wrote: accounts, sessions, settings, grants with names, secrets', async () => {
      const owner = await ownedDataset();
      const reader = await insertTestUser(one, 'reader');
      expect(
        await grantRole(one, {
          datasetId: 'fountains',
          subject: { kind: 'user', id: reader },
          role: 'reader',
          by: owner,
        }),
      ).toMatchObject({ ok: true });
      expect(
        await updateDatasetSettings(one, {
          datasetId: 'fountains',
          by: owner,
          changes: { visibility: 'public', proposableFields: ['name', 'name', 'depth'] },
        }),
      ).toMatchObject({ ok: true });
      const { token } = await createSession(one, reader, { kind: 'bearer', label: 'script' });
      expect(await sessionFor(two, token)).toMatchObject({ userId: reader, kind: 'bearer', label: 'script' });
      expect(await grantsOn(two.store, 'fountains')).toEqual([
        expect.objectContaining({ subject: { kind: 'user', id: owner }, role: 'owner', name: 'owner' }),
        expect.objectContaining({
          subject: { kind: 'user', id: reader },
          role: 'reader',
          email: 'reader@example.org',
        }),
      ]);
      expect(await two.store.datasetSettings('fountains')).toMatchObject({
        visibility: 'public',
        proposals: 'closed',
        proposableFields: ['name', 'depth'],
      });
      // The salt is the instance's: both handles hash an address alike.
      expect(await hashAddress(one, '192.0.2.1')).toBe(await hashAddress(two, '192.0.2.1'));
    });

    it('an email is one account, whatever its case, even when two sign up at once', async () => {
      const answers = await Promise.all(
        ['camille@example.org', 'CAMILLE@example.org'].map((email, i) =>
          createUser(either(i), { email, password: PASSWORD }),
        ),
      );
      expect(answers.filter((answer) => answer.ok)).toHaveLength(1);
      expect(answers.find((answer) => !answer.ok)).toMatchObject({ error: { code: 'email_taken' } });
      expect(await one.store.countUsers()).toBe(1);
    });

    it('20 people opening a one-use invite at once: exactly one joins', async () => {
      const owner = await ownedDataset();
      const made = await createInvite(one, {
        datasetId: 'fountains',
        role: 'editor',
        lifetimeMs: HOUR,
        maxUses: 1,
        by: owner,
      });
      if (!made.ok) throw new Error(made.error.code);
      const people = await Promise.all(Array.from({ length: 20 }, (_, i) => insertTestUser(one, `p${i}`)));
      const answers = await Promise.all(
        people.map((userId, i) => acceptInvite(either(i), { token: made.token, userId })),
      );
      expect(answers.filter((answer) => answer.ok)).toHaveLength(1);
      for (const refused of answers.filter((answer) => !answer.ok)) {
        expect(refused).toMatchObject({ error: { code: 'invite_used_up' } });
      }
      expect((await invitesOn(one.store, 'fountains'))[0]?.uses).toBe(1);
      expect(await grantsOn(one.store, 'fountains')).toHaveLength(2);
    });

    it('newcomers racing for a one-use invite: one account with its role, none for the others', async () => {
      const owner = await ownedDataset();
      const made = await createInvite(one, {
        datasetId: 'fountains',
        role: 'reader',
        lifetimeMs: HOUR,
        maxUses: 1,
        by: owner,
      });
      if (!made.ok) throw new Error(made.error.code);
      const before = await one.store.countUsers();
      const answers = await Promise.all(
        Array.from({ length: 4 }, (_, i) =>
          acceptInviteWithNewAccount(either(i), {
            token: made.token,
            email: `newcomer${i}@example.org`,
            displayName: `Newcomer ${i}`,
            password: PASSWORD,
          }),
        ),
      );
      expect(answers.filter((answer) => answer.ok)).toHaveLength(1);
      expect(await one.store.countUsers()).toBe(before + 1);
    });

    it('a dataset keeps a personal owner when its two owners step down at once', async () => {
      const owner = await ownedDataset();
      const second = await insertTestUser(one, 'second');
      await grantRole(one, {
        datasetId: 'fountains',
        subject: { kind: 'user', id: second },
        role: 'owner',
        by: owner,
      });
      const answers = await Promise.all([
        revokeRole(one, { datasetId: 'fountains', subject: { kind: 'user', id: owner }, by: owner }),
        grantRole(two, {
          datasetId: 'fountains',
          subject: { kind: 'user', id: second },
          role: 'reader',
          by: second,
        }),
      ]);
      expect(answers.filter((answer) => answer.ok)).toHaveLength(1);
      expect(answers.find((answer) => !answer.ok)).toMatchObject({ error: { code: 'last_owner' } });
      expect(await one.store.countOwners('fountains', 'user')).toBe(1);
    });

    it('a hub keeps an admin when its two admins leave at once', async () => {
      const first = await insertTestUser(one, 'first');
      const second = await insertTestUser(one, 'second');
      const hub = await createHub(one, { name: 'Tiers-lieu', createdBy: first });
      if (!hub.ok) throw new Error(hub.error.code);
      const hubId = hub.hub.id;
      await one.store.putHubMember(hubId, { userId: second, hubRole: 'member', addedAt: one.clock() }, true);
      expect(await setHubRole(one, { hubId, userId: second, hubRole: 'admin', by: first })).toMatchObject({
        ok: true,
      });
      const answers = await Promise.all([
        removeHubMember(one, { hubId, userId: first, by: first }),
        removeHubMember(two, { hubId, userId: second, by: second }),
      ]);
      expect(answers.filter((answer) => answer.ok)).toHaveLength(1);
      expect((await hubMembers(one.store, hubId)).filter((m) => m.hubRole === 'admin')).toHaveLength(1);
    });

    it('a one-use hub invite opened by 10 people at once adds one member', async () => {
      const admin = await insertTestUser(one, 'admin');
      const hub = await createHub(one, { name: 'France Services', createdBy: admin });
      if (!hub.ok) throw new Error(hub.error.code);
      const made = await createHubInvite(one, { hubId: hub.hub.id, by: admin, lifetimeMs: HOUR, maxUses: 1 });
      if (!made.ok) throw new Error(made.error.code);
      const people = await Promise.all(Array.from({ length: 10 }, (_, i) => insertTestUser(one, `h${i}`)));
      const answers = await Promise.all(
        people.map((userId, i) => acceptHubInvite(either(i), { token: made.token, userId })),
      );
      expect(answers.filter((answer) => answer.ok)).toHaveLength(1);
      expect(await hubMembers(one.store, hub.hub.id)).toHaveLength(2);
    });

    it('a reset link used twice at once sets the password once', async () => {
      const owner = await createUser(one, {
        email: 'owner@example.org',
        password: PASSWORD,
        instanceRole: 'owner',
      });
      const member = await insertTestUser(one, 'member');
      if (!owner.ok) throw new Error(owner.error.code);
      const link = await createPasswordReset(one, { userId: member, by: owner.user.id });
      if (!link.ok) throw new Error(link.error.code);
      const answers = await Promise.all([
        redeemPasswordReset(one, { token: link.token, newPassword: 'the first new passphrase' }),
        redeemPasswordReset(two, { token: link.token, newPassword: 'the other new passphrase' }),
      ]);
      expect(answers.filter((answer) => answer.ok)).toHaveLength(1);
      expect(answers.find((answer) => !answer.ok)).toMatchObject({ error: { code: 'reset_used' } });
    });

    it('two processes starting on an empty instance make one first owner', async () => {
      const env = { DATAPATCH_ADMIN_EMAIL: 'admin@example.org', DATAPATCH_ADMIN_PASSWORD: PASSWORD };
      const answers = await Promise.all([ensureFirstOwner(one, env), ensureFirstOwner(two, env)]);
      expect(answers.filter((answer) => answer.ok && answer.created)).toHaveLength(1);
      expect(await one.store.countUsers()).toBe(1);
    });
  });
}
