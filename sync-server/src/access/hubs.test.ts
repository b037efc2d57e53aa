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

function setup() {
  const deps = testDependencies();
  const admin = insertTestUser(deps, 'admin');
  const member = insertTestUser(deps, 'member');
  const made = createHub(deps, { name: '  Ville de Grenoble ', createdBy: admin });
  if (!made.ok) throw new Error(made.error.code);
  return { deps, admin, member, hubId: made.hub.id };
}

describe('hubs', () => {
  it('the creator is the first admin and only admins add members', () => {
    const { deps, admin, member, hubId } = setup();
    const outsider = insertTestUser(deps, 'outsider');
    expect(addHubMember(deps, { hubId, userId: member, by: admin }).ok).toBe(true);
    expect(addHubMember(deps, { hubId, userId: outsider, by: member })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(hubMembers(deps.db, hubId).map((m) => `${m.userId}:${m.hubRole}`)).toEqual([
      `${admin}:admin`,
      `${member}:member`,
    ]);
    expect(hubsOf(deps.db, member)).toMatchObject([{ name: 'Ville de Grenoble', hubRole: 'member' }]);
  });

  it('anyone may leave, but the last admin may not, and members cannot remove others', () => {
    const { deps, admin, member, hubId } = setup();
    const other = insertTestUser(deps, 'other');
    addHubMember(deps, { hubId, userId: member, by: admin });
    addHubMember(deps, { hubId, userId: other, by: admin });
    expect(removeHubMember(deps, { hubId, userId: other, by: member })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(removeHubMember(deps, { hubId, userId: member, by: member })).toEqual({ ok: true, removed: true });
    expect(removeHubMember(deps, { hubId, userId: admin, by: admin })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    addHubMember(deps, { hubId, userId: other, hubRole: 'admin', by: admin });
    expect(removeHubMember(deps, { hubId, userId: admin, by: admin })).toEqual({ ok: true, removed: true });
  });

  it("only an admin changes a member's hub role, and a hub always keeps one admin", () => {
    const { deps, admin, member, hubId } = setup();
    const outsider = insertTestUser(deps, 'outsider');
    addHubMember(deps, { hubId, userId: member, by: admin });
    expect(setHubRole(deps, { hubId, userId: member, hubRole: 'admin', by: member })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(setHubRole(deps, { hubId, userId: admin, hubRole: 'member', by: admin })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(setHubRole(deps, { hubId, userId: outsider, hubRole: 'admin', by: admin })).toMatchObject({
      ok: false,
      error: { code: 'user_not_found' },
    });
    expect(setHubRole(deps, { hubId, userId: member, hubRole: 'admin', by: admin })).toMatchObject({
      ok: true,
      member: { userId: member, hubRole: 'admin' },
    });
    expect(setHubRole(deps, { hubId, userId: admin, hubRole: 'member', by: admin }).ok).toBe(true);
    expect(namedHubMembers(deps.db, hubId)).toMatchObject([
      { userId: admin, hubRole: 'member', email: 'admin@example.org', displayName: 'admin' },
      { userId: member, hubRole: 'admin', email: 'member@example.org' },
    ]);
  });
});
