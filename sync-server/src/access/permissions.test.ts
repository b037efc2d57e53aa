import { describe, expect, it } from 'vitest';
import { insertTestUser, testDependencies } from '../testing/access-dependencies.ts';
import { registerDataset } from './datasets.ts';
import { addHubMember, createHub, removeHubMember } from './hubs.ts';
import { accessTo, effectiveRole, ROLES, type Role } from './permissions.ts';
import { grantRole } from './roles.ts';

type Row = [Role | 'anonymous', 'public' | 'private', 'validated' | 'pending', 'write' | 'read' | 'none'];

// DESIGN.md, "Who may do what", written out cell by cell.
const TABLE: Row[] = [
  ['anonymous', 'public', 'validated', 'read'],
  ['anonymous', 'private', 'validated', 'none'],
  ['anonymous', 'public', 'pending', 'none'],
  ['anonymous', 'private', 'pending', 'none'],
  ['reader', 'public', 'validated', 'read'],
  ['reader', 'private', 'validated', 'read'],
  ['reader', 'public', 'pending', 'none'],
  ['reader', 'private', 'pending', 'none'],
  ['editor', 'public', 'validated', 'write'],
  ['editor', 'private', 'validated', 'write'],
  ['editor', 'public', 'pending', 'none'],
  ['editor', 'private', 'pending', 'none'],
  ['moderator', 'public', 'validated', 'write'],
  ['moderator', 'private', 'validated', 'write'],
  ['moderator', 'public', 'pending', 'write'],
  ['moderator', 'private', 'pending', 'write'],
  ['owner', 'public', 'validated', 'write'],
  ['owner', 'private', 'validated', 'write'],
  ['owner', 'public', 'pending', 'write'],
  ['owner', 'private', 'pending', 'write'],
];

describe('who may do what (roles × rooms)', () => {
  it('the table covers every role, visibility and room', async () => {
    expect(TABLE).toHaveLength((ROLES.length + 1) * 2 * 2);
  });

  it.each(TABLE)('%s on a %s dataset gets %s → %s', (role, visibility, kind, expected) => {
    expect(accessTo(role, kind, { visibility })).toBe(expected);
  });
});

describe('effective role', () => {
  async function setup() {
    const deps = testDependencies();
    const owner = await insertTestUser(deps, 'owner');
    const alice = await insertTestUser(deps, 'alice');
    await registerDataset(deps, { datasetId: 'toilets', ownerId: owner });
    const hub = await createHub(deps, { name: 'Ville de Lyon', createdBy: owner });
    if (!hub.ok) throw new Error('hub');
    return { deps, owner, alice, hubId: hub.hub.id };
  }

  it('someone with no grant and someone signed out are anonymous', async () => {
    const { deps, alice } = await setup();
    expect(await effectiveRole(deps.store, alice, 'toilets')).toBe('anonymous');
    expect(await effectiveRole(deps.store, null, 'toilets')).toBe('anonymous');
  });

  it('the creator of a dataset is its owner', async () => {
    const { deps, owner } = await setup();
    expect(await effectiveRole(deps.store, owner, 'toilets')).toBe('owner');
  });

  it('the highest of the personal role and the hub roles wins', async () => {
    const { deps, owner, alice, hubId } = await setup();
    await grantRole(deps, {
      datasetId: 'toilets',
      subject: { kind: 'user', id: alice },
      role: 'reader',
      by: owner,
    });
    expect(await effectiveRole(deps.store, alice, 'toilets')).toBe('reader');
    await addHubMember(deps, { hubId, userId: alice, by: owner });
    await grantRole(deps, {
      datasetId: 'toilets',
      subject: { kind: 'hub', id: hubId },
      role: 'moderator',
      by: owner,
    });
    expect(await effectiveRole(deps.store, alice, 'toilets')).toBe('moderator');
    await grantRole(deps, {
      datasetId: 'toilets',
      subject: { kind: 'hub', id: hubId },
      role: 'reader',
      by: owner,
    });
    await grantRole(deps, {
      datasetId: 'toilets',
      subject: { kind: 'user', id: alice },
      role: 'editor',
      by: owner,
    });
    expect(await effectiveRole(deps.store, alice, 'toilets')).toBe('editor');
  });

  it('leaving a hub takes away the role the hub had', async () => {
    const { deps, owner, alice, hubId } = await setup();
    await addHubMember(deps, { hubId, userId: alice, by: owner });
    await grantRole(deps, {
      datasetId: 'toilets',
      subject: { kind: 'hub', id: hubId },
      role: 'editor',
      by: owner,
    });
    expect(await effectiveRole(deps.store, alice, 'toilets')).toBe('editor');
    await removeHubMember(deps, { hubId, userId: alice, by: alice });
    expect(await effectiveRole(deps.store, alice, 'toilets')).toBe('anonymous');
  });

  it('a role on one dataset says nothing about another', async () => {
    const { deps, owner } = await setup();
    expect(await effectiveRole(deps.store, owner, 'benches')).toBe('anonymous');
  });
});
