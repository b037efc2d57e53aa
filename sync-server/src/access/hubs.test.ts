import { describe, expect, it } from 'vitest';
import { insertTestUser, testDependencies } from '../testing/access-dependencies.ts';
import {
  addHubMember,
  createHub,
  hubMembers,
  hubsOf,
  namedHubMembers,
  removeHubMember,
  setHubRole,
} from './hubs.ts';

async function setup() {
  const deps = testDependencies();
  const admin = await insertTestUser(deps, 'admin');
  const member = await insertTestUser(deps, 'member');
  const made = await createHub(deps, { name: '  Ville de Grenoble ', createdBy: admin });
  if (!made.ok) throw new Error(made.error.code);
  return { deps, admin, member, hubId: made.hub.id };
}

describe('hubs', () => {
  it('the creator is the first admin and only admins add members', async () => {
    const { deps, admin, member, hubId } = await setup();
    const outsider = await insertTestUser(deps, 'outsider');
    expect((await addHubMember(deps, { hubId, userId: member, by: admin })).ok).toBe(true);
    expect(await addHubMember(deps, { hubId, userId: outsider, by: member })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect((await hubMembers(deps.store, hubId)).map((m) => `${m.userId}:${m.hubRole}`)).toEqual([
      `${admin}:admin`,
      `${member}:member`,
    ]);
    expect(await hubsOf(deps.store, member)).toMatchObject([
      { name: 'Ville de Grenoble', hubRole: 'member' },
    ]);
  });

  it('anyone may leave, but the last admin may not, and members cannot remove others', async () => {
    const { deps, admin, member, hubId } = await setup();
    const other = await insertTestUser(deps, 'other');
    await addHubMember(deps, { hubId, userId: member, by: admin });
    await addHubMember(deps, { hubId, userId: other, by: admin });
    expect(await removeHubMember(deps, { hubId, userId: other, by: member })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(await removeHubMember(deps, { hubId, userId: member, by: member })).toEqual({
      ok: true,
      removed: true,
    });
    expect(await removeHubMember(deps, { hubId, userId: admin, by: admin })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    await addHubMember(deps, { hubId, userId: other, hubRole: 'admin', by: admin });
    expect(await removeHubMember(deps, { hubId, userId: admin, by: admin })).toEqual({
      ok: true,
      removed: true,
    });
  });

  it("only an admin changes a member's hub role, and a hub always keeps one admin", async () => {
    const { deps, admin, member, hubId } = await setup();
    const outsider = await insertTestUser(deps, 'outsider');
    await addHubMember(deps, { hubId, userId: member, by: admin });
    expect(await setHubRole(deps, { hubId, userId: member, hubRole: 'admin', by: member })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(await setHubRole(deps, { hubId, userId: admin, hubRole: 'member', by: admin })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(await setHubRole(deps, { hubId, userId: outsider, hubRole: 'admin', by: admin })).toMatchObject({
      ok: false,
      error: { code: 'user_not_found' },
    });
    expect(await setHubRole(deps, { hubId, userId: member, hubRole: 'admin', by: admin })).toMatchObject({
      ok: true,
      member: { userId: member, hubRole: 'admin' },
    });
    expect((await setHubRole(deps, { hubId, userId: admin, hubRole: 'member', by: admin })).ok).toBe(true);
    expect(await namedHubMembers(deps.store, hubId)).toMatchObject([
      { userId: admin, hubRole: 'member', email: 'admin@example.org', displayName: 'admin' },
      { userId: member, hubRole: 'admin', email: 'member@example.org' },
    ]);
  });
});
