import { describe, expect, it } from 'vitest';
import { insertTestUser, testDependencies } from '../testing/access-dependencies.ts';
import { acceptHubInvite, acceptHubInviteWithNewAccount, createHubInvite } from './hub-invites.ts';
import { addHubMember, createHub, hubRoleOf } from './hubs.ts';
import { countUsers } from './users.ts';

const DAY = 24 * 60 * 60 * 1000;

async function setup() {
  const deps = testDependencies();
  const admin = await insertTestUser(deps, 'admin');
  const member = await insertTestUser(deps, 'member');
  const hub = await createHub(deps, { name: 'Hub Ouest', createdBy: admin });
  if (!hub.ok) throw new Error(hub.error.code);
  await addHubMember(deps, { hubId: hub.hub.id, userId: member, by: admin });
  const invite = async (maxUses = 1, lifetimeMs = 7 * DAY) => {
    const made = await createHubInvite(deps, { hubId: hub.hub.id, by: admin, lifetimeMs, maxUses });
    if (!made.ok) throw new Error(made.error.code);
    return made.token;
  };
  return { deps, admin, member, hubId: hub.hub.id, invite };
}

describe('hub invite links', () => {
  it('only a hub admin makes one; whoever opens it becomes a member, never an admin', async () => {
    const { deps, member, hubId, invite } = await setup();
    expect(await createHubInvite(deps, { hubId, by: member, lifetimeMs: DAY, maxUses: 1 })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    const token = await invite();
    expect(token).toMatch(/^dph_/);
    const newcomer = await insertTestUser(deps, 'newcomer');
    expect(await acceptHubInvite(deps, { token, userId: newcomer })).toMatchObject({
      ok: true,
      hubName: 'Hub Ouest',
    });
    expect(await hubRoleOf(deps.store, hubId, newcomer)).toBe('member');
  });

  it('someone without an account creates it and joins in one step; a used-up link creates no account', async () => {
    const { deps, hubId, invite } = await setup();
    const token = await invite(1);
    const joined = await acceptHubInviteWithNewAccount(deps, {
      token,
      email: 'yanis@ouest.example.org',
      displayName: 'Yanis',
      password: 'a passphrase of my own',
    });
    if (!joined.ok) throw new Error(joined.error.code);
    expect(await hubRoleOf(deps.store, hubId, joined.user.id)).toBe('member');
    const before = await countUsers(deps.store);
    expect(
      await acceptHubInviteWithNewAccount(deps, {
        token,
        email: 'zoe@ouest.example.org',
        displayName: 'Zoé',
        password: 'a passphrase of my own',
      }),
    ).toMatchObject({ ok: false, error: { code: 'invite_used_up' } });
    expect(await countUsers(deps.store)).toBe(before);
  });

  it('an existing member spends no use and keeps their hub role; an expired link says so', async () => {
    const { deps, admin, hubId, invite } = await setup();
    const token = await invite(1);
    expect((await acceptHubInvite(deps, { token, userId: admin })).ok).toBe(true);
    expect(await hubRoleOf(deps.store, hubId, admin)).toBe('admin');
    const stranger = await insertTestUser(deps, 'stranger');
    expect((await acceptHubInvite(deps, { token, userId: stranger })).ok).toBe(true);
    const late = await invite(5, DAY);
    deps.advance(DAY);
    expect(
      await acceptHubInvite(deps, { token: late, userId: await insertTestUser(deps, 'late') }),
    ).toMatchObject({
      ok: false,
      error: { code: 'invite_expired' },
    });
  });
});
