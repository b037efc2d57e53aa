import { describe, expect, it } from 'vitest';
import { insertTestUser, testDependencies } from '../testing/access-dependencies.ts';
import { datasetSettings, registerDataset, updateDatasetSettings } from './datasets.ts';
import { createHub } from './hubs.ts';
import { effectiveRole } from './permissions.ts';
import { grantRole, grantsOn, revokeRole } from './roles.ts';

function setup() {
  const deps = testDependencies();
  const owner = insertTestUser(deps, 'owner');
  const bob = insertTestUser(deps, 'bob');
  registerDataset(deps, { datasetId: 'benches', ownerId: owner });
  return { deps, owner, bob };
}

describe('roles on a dataset', () => {
  it('only an owner gives roles', () => {
    const { deps, owner, bob } = setup();
    const carol = insertTestUser(deps, 'carol');
    grantRole(deps, {
      datasetId: 'benches',
      subject: { kind: 'user', id: bob },
      role: 'moderator',
      by: owner,
    });
    const byModerator = grantRole(deps, {
      datasetId: 'benches',
      subject: { kind: 'user', id: carol },
      role: 'editor',
      by: bob,
    });
    expect(byModerator).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(effectiveRole(deps.db, carol, 'benches')).toBe('anonymous');
  });

  it('a role can go to a whole hub', () => {
    const { deps, owner } = setup();
    const hub = createHub(deps, { name: 'Métropole', createdBy: owner });
    if (!hub.ok) throw new Error('hub');
    const granted = grantRole(deps, {
      datasetId: 'benches',
      subject: { kind: 'hub', id: hub.hub.id },
      role: 'editor',
      by: owner,
    });
    expect(granted.ok).toBe(true);
    const grants = grantsOn(deps.db, 'benches').map((grant) => `${grant.subject.kind}:${grant.role}`);
    expect(grants.sort()).toEqual(['hub:editor', 'user:owner']);
  });

  it('granting to nobody, or on no dataset, is refused with its code', () => {
    const { deps, owner } = setup();
    expect(
      grantRole(deps, {
        datasetId: 'benches',
        subject: { kind: 'user', id: 'ghost' },
        role: 'reader',
        by: owner,
      }),
    ).toMatchObject({ ok: false, error: { code: 'user_not_found' } });
    expect(
      grantRole(deps, {
        datasetId: 'benches',
        subject: { kind: 'hub', id: 'ghost' },
        role: 'reader',
        by: owner,
      }),
    ).toMatchObject({ ok: false, error: { code: 'hub_not_found' } });
    expect(
      grantRole(deps, {
        datasetId: 'nowhere',
        subject: { kind: 'user', id: owner },
        role: 'reader',
        by: owner,
      }),
    ).toMatchObject({ ok: false, error: { code: 'dataset_not_found' } });
  });

  it('the last personal owner can be neither demoted nor removed', () => {
    const { deps, owner, bob } = setup();
    expect(
      grantRole(deps, {
        datasetId: 'benches',
        subject: { kind: 'user', id: owner },
        role: 'editor',
        by: owner,
      }),
    ).toMatchObject({ ok: false, error: { code: 'last_owner' } });
    expect(
      revokeRole(deps, { datasetId: 'benches', subject: { kind: 'user', id: owner }, by: owner }),
    ).toMatchObject({
      ok: false,
      error: { code: 'last_owner' },
    });
    grantRole(deps, { datasetId: 'benches', subject: { kind: 'user', id: bob }, role: 'owner', by: owner });
    expect(
      revokeRole(deps, { datasetId: 'benches', subject: { kind: 'user', id: owner }, by: bob }),
    ).toMatchObject({
      ok: true,
      revoked: true,
    });
    expect(effectiveRole(deps.db, owner, 'benches')).toBe('anonymous');
  });
});

describe('dataset settings', () => {
  it('a new dataset is private with proposals closed until its owner decides', () => {
    const { deps } = setup();
    expect(datasetSettings(deps.db, 'benches')).toEqual({
      visibility: 'private',
      proposals: 'closed',
      proposableFields: [],
    });
  });

  it('a dataset id is registered once', () => {
    const { deps, owner } = setup();
    expect(registerDataset(deps, { datasetId: 'benches', ownerId: owner })).toMatchObject({
      ok: false,
      error: { code: 'dataset_exists' },
    });
    expect(registerDataset(deps, { datasetId: 'a/b', ownerId: owner })).toMatchObject({
      ok: false,
      error: { code: 'invalid_settings' },
    });
  });

  it('only an owner changes settings, and unchanged settings keep their value', () => {
    const { deps, owner, bob } = setup();
    grantRole(deps, {
      datasetId: 'benches',
      subject: { kind: 'user', id: bob },
      role: 'moderator',
      by: owner,
    });
    expect(
      updateDatasetSettings(deps, { datasetId: 'benches', by: bob, changes: { visibility: 'public' } }),
    ).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const updated = updateDatasetSettings(deps, {
      datasetId: 'benches',
      by: owner,
      changes: { visibility: 'public', proposals: 'open', proposableFields: ['state', 'state'] },
    });
    expect(updated.ok).toBe(true);
    updateDatasetSettings(deps, { datasetId: 'benches', by: owner, changes: { proposals: 'closed' } });
    expect(datasetSettings(deps.db, 'benches')).toEqual({
      visibility: 'public',
      proposals: 'closed',
      proposableFields: ['state'],
    });
  });

  it('settings with unknown values are refused', () => {
    const { deps, owner } = setup();
    const bad = updateDatasetSettings(deps, {
      datasetId: 'benches',
      by: owner,
      changes: { visibility: 'everyone' as 'public' },
    });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_settings' } });
  });

  it('proposable fields the schema does not have are refused by name, and nothing is saved', () => {
    const { deps, owner } = setup();
    const schemaFields = ['state', 'material'];
    const bad = updateDatasetSettings(deps, {
      datasetId: 'benches',
      by: owner,
      changes: { proposals: 'open', proposableFields: ['state', 'colour', 'size'] },
      schemaFields,
    });
    expect(bad).toMatchObject({
      ok: false,
      error: { code: 'unknown_proposable_field', fields: ['colour', 'size'] },
    });
    expect(datasetSettings(deps.db, 'benches')).toMatchObject({ proposals: 'closed', proposableFields: [] });
    const good = updateDatasetSettings(deps, {
      datasetId: 'benches',
      by: owner,
      changes: { proposableFields: ['material'] },
      schemaFields,
    });
    expect(good).toMatchObject({ ok: true, settings: { proposableFields: ['material'] } });
  });
});
