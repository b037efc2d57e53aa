import { describe, expect, it } from 'vitest';
import { insertTestUser, testDependencies } from '../testing/access-dependencies.ts';
import { acceptHubInvite, acceptHubInviteWithNewAccount, createHubInvite } from './hub-invites.ts';
import { addHubMember, createHub, hubRoleOf } from './hubs.ts';
import { countUsers } from './users.ts';

const DAY = 24 * 60 * 60 * 1000;

function setup() {
  const deps = testDependencies();
  const admin = insertTestUser(deps, 'admin');
  const member = insertTestUser(deps, 'member');
  const hub = createHub(deps, { name: 'Hub Ouest', createdBy: admin });
  if (!hub.ok) throw new Error(hub.error.code);
  addHubMember(deps, { hubId: hub.hub.id, userId: member, by: admin });
  const invite = (maxUses = 1, lifetimeMs = 7 * DAY) => {
    const made = createHubInvite(deps, { hubId: hub.hub.id, by: admin, lifetimeMs, maxUses });
    if (!made.ok) throw new Error(made.error.code);
    return made.token;
  };
  return { deps, admin, member, hubId: hub.hub.id, invite };
}

describe('hub invite links', () => {
  it('only a hub admin makes one; whoever opens it becomes a member, never an admin', () => {
    const { deps, member, hubId, invite } = setup();
    expect(createHubInvite(deps, { hubId, by: member, lifetimeMs: DAY, maxUses: 1 })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    const token = invite();
    expect(token).toMatch(/^dph_/);
    const newcomer = insertTestUser(deps, 'newcomer');
    expect(acceptHubInvite(deps, { token, userId: newcomer })).toMatchObject({
      ok: true,
      hubName: 'Hub Ouest',
    });
    expect(hubRoleOf(deps.db, hubId, newcomer)).toBe('member');
  });

  it('someone without an account creates it and joins in one step; a used-up link creates no account', async () => {
    const { deps, hubId, invite } = setup();
    const token = invite(1);
    const joined = await acceptHubInviteWithNewAccount(deps, {
      token,
      email: 'yanis@ouest.example.org',
      displayName: 'Yanis',
      password: 'a passphrase of my own',
    });
    if (!joined.ok) throw new Error(joined.error.code);
    expect(hubRoleOf(deps.db, hubId, joined.user.id)).toBe('member');
    const before = countUsers(deps.db);
    expect(
      await acceptHubInviteWithNewAccount(deps, {
        token,
        email: 'zoe@ouest.example.org',
        displayName: 'Zoé',
        password: 'a passphrase of my own',
      }),
    ).toMatchObject({ ok: false, error: { code: 'invite_used_up' } });
    expect(countUsers(deps.db)).toBe(before);
  });

  it('an existing member spends no use and keeps their hub role; an expired link says so', () => {
    const { deps, admin, hubId, invite } = setup();
    const token = invite(1);
    expect(acceptHubInvite(deps, { token, userId: admin }).ok).toBe(true);
    expect(hubRoleOf(deps.db, hubId, admin)).toBe('admin');
    const stranger = insertTestUser(deps, 'stranger');
    expect(acceptHubInvite(deps, { token, userId: stranger }).ok).toBe(true);
    const late = invite(5, DAY);
    deps.advance(DAY);
    expect(acceptHubInvite(deps, { token: late, userId: insertTestUser(deps, 'late') })).toMatchObject({
      ok: false,
      error: { code: 'invite_expired' },
    });
  });
});
