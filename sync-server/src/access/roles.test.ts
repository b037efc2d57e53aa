import { describe, expect, it } from 'vitest';
import { accessBackends, freshDependenciesOn, insertTestUser } from '../testing/access-dependencies.ts';
import { datasetSettings, registerDataset, updateDatasetSettings } from './datasets.ts';
import { createHub } from './hubs.ts';
import { effectiveRole } from './permissions.ts';
import { grantRole, grantsOn, revokeRole } from './roles.ts';

const backends = await accessBackends('the role rules');

// PostgreSQL is skipped only when it does not answer: requireServices printed why (CI fails instead).
for (const backend of backends) {
  const fresh = freshDependenciesOn(backend);

  async function setup() {
    const deps = await fresh();
    const owner = await insertTestUser(deps, 'owner');
    const bob = await insertTestUser(deps, 'bob');
    await registerDataset(deps, { datasetId: 'benches', ownerId: owner });
    return { deps, owner, bob };
  }

  describe.skipIf(!backend.available)(`roles on a dataset on ${backend.name}`, () => {
    it('only an owner gives roles', async () => {
      const { deps, owner, bob } = await setup();
      const carol = await insertTestUser(deps, 'carol');
      await grantRole(deps, {
        datasetId: 'benches',
        subject: { kind: 'user', id: bob },
        role: 'moderator',
        by: owner,
      });
      const byModerator = await grantRole(deps, {
        datasetId: 'benches',
        subject: { kind: 'user', id: carol },
        role: 'editor',
        by: bob,
      });
      expect(byModerator).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      expect(await effectiveRole(deps.store, carol, 'benches')).toBe('anonymous');
    });

    it('a role can go to a whole hub', async () => {
      const { deps, owner } = await setup();
      const hub = await createHub(deps, { name: 'Métropole', createdBy: owner });
      if (!hub.ok) throw new Error('hub');
      const granted = await grantRole(deps, {
        datasetId: 'benches',
        subject: { kind: 'hub', id: hub.hub.id },
        role: 'editor',
        by: owner,
      });
      expect(granted.ok).toBe(true);
      const grants = (await grantsOn(deps.store, 'benches')).map(
        (grant) => `${grant.subject.kind}:${grant.role}`,
      );
      expect(grants.sort()).toEqual(['hub:editor', 'user:owner']);
    });

    it('granting to nobody, or on no dataset, is refused with its code', async () => {
      const { deps, owner } = await setup();
      expect(
        await grantRole(deps, {
          datasetId: 'benches',
          subject: { kind: 'user', id: 'ghost' },
          role: 'reader',
          by: owner,
        }),
      ).toMatchObject({ ok: false, error: { code: 'user_not_found' } });
      expect(
        await grantRole(deps, {
          datasetId: 'benches',
          subject: { kind: 'hub', id: 'ghost' },
          role: 'reader',
          by: owner,
        }),
      ).toMatchObject({ ok: false, error: { code: 'hub_not_found' } });
      expect(
        await grantRole(deps, {
          datasetId: 'nowhere',
          subject: { kind: 'user', id: owner },
          role: 'reader',
          by: owner,
        }),
      ).toMatchObject({ ok: false, error: { code: 'dataset_not_found' } });
    });

    it('the last personal owner can be neither demoted nor removed', async () => {
      const { deps, owner, bob } = await setup();
      expect(
        await grantRole(deps, {
          datasetId: 'benches',
          subject: { kind: 'user', id: owner },
          role: 'editor',
          by: owner,
        }),
      ).toMatchObject({ ok: false, error: { code: 'last_owner' } });
      expect(
        await revokeRole(deps, { datasetId: 'benches', subject: { kind: 'user', id: owner }, by: owner }),
      ).toMatchObject({
        ok: false,
        error: { code: 'last_owner' },
      });
      await grantRole(deps, {
        datasetId: 'benches',
        subject: { kind: 'user', id: bob },
        role: 'owner',
        by: owner,
      });
      expect(
        await revokeRole(deps, { datasetId: 'benches', subject: { kind: 'user', id: owner }, by: bob }),
      ).toMatchObject({
        ok: true,
        revoked: true,
      });
      expect(await effectiveRole(deps.store, owner, 'benches')).toBe('anonymous');
    });
  });

  describe.skipIf(!backend.available)(`dataset settings on ${backend.name}`, () => {
    it('a new dataset is private with proposals closed until its owner decides', async () => {
      const { deps } = await setup();
      expect(await datasetSettings(deps.store, 'benches')).toEqual({
        visibility: 'private',
        proposals: 'closed',
        proposableFields: [],
      });
    });

    it('a dataset id is registered once', async () => {
      const { deps, owner } = await setup();
      expect(await registerDataset(deps, { datasetId: 'benches', ownerId: owner })).toMatchObject({
        ok: false,
        error: { code: 'dataset_exists' },
      });
      expect(await registerDataset(deps, { datasetId: 'a/b', ownerId: owner })).toMatchObject({
        ok: false,
        error: { code: 'invalid_settings' },
      });
    });

    it('only an owner changes settings, and unchanged settings keep their value', async () => {
      const { deps, owner, bob } = await setup();
      await grantRole(deps, {
        datasetId: 'benches',
        subject: { kind: 'user', id: bob },
        role: 'moderator',
        by: owner,
      });
      expect(
        await updateDatasetSettings(deps, {
          datasetId: 'benches',
          by: bob,
          changes: { visibility: 'public' },
        }),
      ).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      const updated = await updateDatasetSettings(deps, {
        datasetId: 'benches',
        by: owner,
        changes: { visibility: 'public', proposals: 'open', proposableFields: ['state', 'state'] },
      });
      expect(updated.ok).toBe(true);
      await updateDatasetSettings(deps, {
        datasetId: 'benches',
        by: owner,
        changes: { proposals: 'closed' },
      });
      expect(await datasetSettings(deps.store, 'benches')).toEqual({
        visibility: 'public',
        proposals: 'closed',
        proposableFields: ['state'],
      });
    });

    it('settings with unknown values are refused', async () => {
      const { deps, owner } = await setup();
      const bad = await updateDatasetSettings(deps, {
        datasetId: 'benches',
        by: owner,
        changes: { visibility: 'everyone' as 'public' },
      });
      expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_settings' } });
    });

    it('proposable fields the schema does not have are refused by name, and nothing is saved', async () => {
      const { deps, owner } = await setup();
      const schemaFields = ['state', 'material'];
      const bad = await updateDatasetSettings(deps, {
        datasetId: 'benches',
        by: owner,
        changes: { proposals: 'open', proposableFields: ['state', 'colour', 'size'] },
        schemaFields,
      });
      expect(bad).toMatchObject({
        ok: false,
        error: { code: 'unknown_proposable_field', fields: ['colour', 'size'] },
      });
      expect(await datasetSettings(deps.store, 'benches')).toMatchObject({
        proposals: 'closed',
        proposableFields: [],
      });
      const good = await updateDatasetSettings(deps, {
        datasetId: 'benches',
        by: owner,
        changes: { proposableFields: ['material'] },
        schemaFields,
      });
      expect(good).toMatchObject({ ok: true, settings: { proposableFields: ['material'] } });
    });
  });
}
