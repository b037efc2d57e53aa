import { describe, expect, it } from 'vitest';
import { insertTestUser, testDependencies } from '../testing/access-dependencies.ts';
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

function setup() {
  const deps = testDependencies();
  const owner = insertTestUser(deps, 'owner');
  registerDataset(deps, { datasetId: 'fountains', ownerId: owner });
  const invite = (role: InviteRole = 'editor', maxUses = 2, lifetimeMs = 24 * HOUR) => {
    const made = createInvite(deps, { datasetId: 'fountains', role, lifetimeMs, maxUses, by: owner });
    if (!made.ok) throw new Error(made.error.code);
    return made;
  };
  return { deps, owner, invite };
}

describe('invite links', () => {
  it('opening a link gives its role on its dataset', () => {
    const { deps, invite } = setup();
    const alice = insertTestUser(deps, 'alice');
    const { token } = invite('editor');
    expect(acceptInvite(deps, { token, userId: alice })).toMatchObject({ ok: true, role: 'editor' });
    expect(effectiveRole(deps.db, alice, 'fountains')).toBe('editor');
  });

  it('a link stops working at its expiry', () => {
    const { deps, invite } = setup();
    const alice = insertTestUser(deps, 'alice');
    const { token } = invite('reader', 5, 2 * HOUR);
    deps.advance(2 * HOUR);
    expect(acceptInvite(deps, { token, userId: alice })).toMatchObject({
      ok: false,
      error: { code: 'invite_expired' },
    });
    expect(effectiveRole(deps.db, alice, 'fountains')).toBe('anonymous');
  });

  it('a link for 2 uses admits 2 people, not 3', () => {
    const { deps, invite } = setup();
    const { token, invite: made } = invite('reader', 2);
    const [a, b, c] = ['a', 'b', 'c'].map((name) => insertTestUser(deps, name)) as [string, string, string];
    expect(acceptInvite(deps, { token, userId: a }).ok).toBe(true);
    expect(acceptInvite(deps, { token, userId: b }).ok).toBe(true);
    expect(acceptInvite(deps, { token, userId: c })).toMatchObject({
      ok: false,
      error: { code: 'invite_used_up' },
    });
    expect(invitesOn(deps.db, 'fountains').find((i) => i.id === made.id)?.uses).toBe(2);
  });

  it('opening the same link twice spends one use, not two', () => {
    const { deps, invite } = setup();
    const { token } = invite('reader', 2);
    const alice = insertTestUser(deps, 'alice');
    const bob = insertTestUser(deps, 'bob');
    acceptInvite(deps, { token, userId: alice });
    acceptInvite(deps, { token, userId: alice });
    expect(acceptInvite(deps, { token, userId: bob }).ok).toBe(true);
  });

  it('a whole hub joins in one click, by one of its admins', () => {
    const { deps, invite } = setup();
    const admin = insertTestUser(deps, 'admin');
    const member = insertTestUser(deps, 'member');
    const hub = createHub(deps, { name: 'Eau de Paris', createdBy: admin });
    if (!hub.ok) throw new Error('hub');
    addHubMember(deps, { hubId: hub.hub.id, userId: member, by: admin });
    const { token } = invite('moderator', 1);
    expect(acceptInvite(deps, { token, userId: member, forHub: hub.hub.id })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(acceptInvite(deps, { token, userId: admin, forHub: hub.hub.id })).toMatchObject({
      ok: true,
      subject: { kind: 'hub' },
    });
    expect(effectiveRole(deps.db, member, 'fountains')).toBe('moderator');
  });

  it('a link never lowers a role someone already has', () => {
    const { deps, owner, invite } = setup();
    const alice = insertTestUser(deps, 'alice');
    grantRole(deps, {
      datasetId: 'fountains',
      subject: { kind: 'user', id: alice },
      role: 'moderator',
      by: owner,
    });
    const { token } = invite('reader');
    expect(acceptInvite(deps, { token, userId: alice })).toMatchObject({ ok: true, role: 'moderator' });
  });

  it('a revoked link stops working; those who joined keep their role', () => {
    const { deps, owner, invite } = setup();
    const alice = insertTestUser(deps, 'alice');
    const bob = insertTestUser(deps, 'bob');
    const { token, invite: made } = invite('editor', 5);
    acceptInvite(deps, { token, userId: alice });
    expect(revokeInvite(deps, { inviteId: made.id, by: owner }).ok).toBe(true);
    expect(acceptInvite(deps, { token, userId: bob })).toMatchObject({
      ok: false,
      error: { code: 'invite_revoked' },
    });
    expect(effectiveRole(deps.db, alice, 'fountains')).toBe('editor');
  });

  it('an unknown link, an owner link, or a link by a non-owner is refused with its code', () => {
    const { deps, invite } = setup();
    const alice = insertTestUser(deps, 'alice');
    expect(acceptInvite(deps, { token: 'dpi_nope', userId: alice })).toMatchObject({
      ok: false,
      error: { code: 'invite_not_found' },
    });
    expect(() => invite('owner' as InviteRole)).toThrow('invalid_invite');
    expect(() => invite('reader', 0)).toThrow('invalid_invite');
    expect(
      createInvite(deps, { datasetId: 'fountains', role: 'reader', lifetimeMs: HOUR, maxUses: 1, by: alice }),
    ).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('the link token is stored only hashed', () => {
    const { deps, invite } = setup();
    const { token } = invite();
    const dump = JSON.stringify(deps.db.prepare('SELECT * FROM invites').all());
    expect(dump).not.toContain(token);
    expect(dump).not.toContain(token.slice(4));
  });
});

describe('joining from a link without an account', () => {
  const newcomer = (email = 'dominique@example.org') => ({
    email,
    displayName: 'Dominique Martin',
    password: 'a passphrase of my own',
  });

  it('creates the account and takes the role in one step', async () => {
    const { deps, invite } = setup();
    const { token } = invite('editor', 1);
    const joined = await acceptInviteWithNewAccount(deps, { token, ...newcomer() });
    if (!joined.ok) throw new Error(joined.error.code);
    expect(joined).toMatchObject({ datasetId: 'fountains', role: 'editor' });
    expect(joined.user).toMatchObject({ email: 'dominique@example.org', displayName: 'Dominique Martin' });
    expect(effectiveRole(deps.db, joined.user.id, 'fountains')).toBe('editor');
    expect(await checkPassword(deps, 'dominique@example.org', 'a passphrase of my own')).toBeDefined();
    expect(invitesOn(deps.db, 'fountains')[0]?.uses).toBe(1);
  });

  it('a used-up, revoked or expired link creates no account', async () => {
    const { deps, owner, invite } = setup();
    const before = countUsers(deps.db);
    const usedUp = invite('editor', 1);
    expect(
      (await acceptInviteWithNewAccount(deps, { token: usedUp.token, ...newcomer('a@example.org') })).ok,
    ).toBe(true);
    expect(
      await acceptInviteWithNewAccount(deps, { token: usedUp.token, ...newcomer('b@example.org') }),
    ).toMatchObject({ ok: false, error: { code: 'invite_used_up' } });
    const revoked = invite('editor', 5);
    revokeInvite(deps, { inviteId: revoked.invite.id, by: owner });
    expect(
      await acceptInviteWithNewAccount(deps, { token: revoked.token, ...newcomer('c@example.org') }),
    ).toMatchObject({ ok: false, error: { code: 'invite_revoked' } });
    const expired = invite('editor', 5, 2 * HOUR);
    deps.advance(2 * HOUR);
    expect(
      await acceptInviteWithNewAccount(deps, { token: expired.token, ...newcomer('d@example.org') }),
    ).toMatchObject({ ok: false, error: { code: 'invite_expired' } });
    expect(countUsers(deps.db)).toBe(before + 1);
  });

  it('two newcomers racing for a one-use link: one account with its role, no account for the other', async () => {
    const { deps, invite } = setup();
    const before = countUsers(deps.db);
    const { token } = invite('moderator', 1);
    const answers = await Promise.all([
      acceptInviteWithNewAccount(deps, { token, ...newcomer('first@example.org') }),
      acceptInviteWithNewAccount(deps, { token, ...newcomer('second@example.org') }),
    ]);
    expect(answers.filter((a) => a.ok)).toHaveLength(1);
    expect(answers.find((a) => !a.ok)).toMatchObject({ error: { code: 'invite_used_up' } });
    expect(countUsers(deps.db)).toBe(before + 1);
  });

  it('an email that already has an account is refused and spends no use', async () => {
    const { deps, invite } = setup();
    const { token } = invite('editor', 1);
    expect(await acceptInviteWithNewAccount(deps, { token, ...newcomer('owner@example.org') })).toMatchObject(
      {
        ok: false,
        error: { code: 'email_taken' },
      },
    );
    expect(invitesOn(deps.db, 'fountains')[0]?.uses).toBe(0);
  });
});
