import { describe, expect, it } from 'vitest';
import {
  datasetAdmin,
  type Grant,
  grantLabel,
  readGrants,
  readSettings,
  removable,
} from './dataset-admin.ts';

describe('an owner’s dataset settings over the API', () => {
  it('reads settings and grants, dropping what it does not know', () => {
    expect(
      readSettings({ settings: { visibility: 'public', proposals: 'open', proposableFields: ['nom', 3] } }),
    ).toEqual({
      visibility: 'public',
      proposals: 'open',
      proposableFields: ['nom'],
    });
    expect(readSettings({ settings: { visibility: 'everyone', proposals: 'open' } })).toBeNull();
    expect(
      readGrants({
        roles: [
          { subject: { kind: 'user', id: 'u1' }, role: 'moderator' },
          { subject: { kind: 'user', id: 'u2' }, role: 'admin' },
        ],
      }),
    ).toEqual([{ subject: { kind: 'user', id: 'u1' }, role: 'moderator' }]);
  });

  it('sends same-origin JSON writes and returns the server’s refusal code', async () => {
    const calls: RequestInit[] = [];
    const refusing = (async (_url: RequestInfo | URL, init?: RequestInit) => {
      calls.push(init ?? {});
      return new Response(JSON.stringify({ error: { code: 'forbidden', message: 'no' } }), { status: 403 });
    }) as typeof fetch;
    const result = await datasetAdmin.grant(refusing, 'lieux', ' bea@hub.fr ', 'editor');
    expect(result).toEqual({ ok: false, error: { code: 'forbidden', status: 403 } });
    expect(calls[0]?.method).toBe('PUT');
    expect(calls[0]?.credentials).toBe('same-origin');
    expect(JSON.parse(String(calls[0]?.body))).toEqual({ email: 'bea@hub.fr', role: 'editor' });
  });

  it('an invite answer gives the token shown once', async () => {
    const answering = (async () =>
      new Response(JSON.stringify({ invite: { id: 'i1' }, token: 'dpi_abc' }), {
        status: 201,
      })) as typeof fetch;
    expect(await datasetAdmin.invite(answering, 'lieux', 'editor', 1)).toEqual({
      ok: true,
      value: 'dpi_abc',
    });
  });

  it('names people by name and email, hubs by name, never by internal id when a name is known', () => {
    const [person, hub] = readGrants({
      roles: [
        {
          subject: { kind: 'user', id: 'u-7f3a' },
          role: 'editor',
          name: 'Dominique Martin',
          email: 'dom@hub.fr',
        },
        { subject: { kind: 'hub', id: 'h-91c2' }, role: 'moderator', name: 'Hub Nord' },
      ],
    }) as Grant[];
    expect(grantLabel(person!)).toBe('Dominique Martin (dom@hub.fr)');
    expect(grantLabel(hub!)).toBe('Hub Nord');
  });

  it('offers no removal of one’s own role nor of the last personal owner', () => {
    const me: Grant = { subject: { kind: 'user', id: 'me' }, role: 'owner', name: 'Moi' };
    const other: Grant = { subject: { kind: 'user', id: 'bea' }, role: 'editor', name: 'Béa' };
    const hubOwner: Grant = { subject: { kind: 'hub', id: 'nord' }, role: 'owner', name: 'Hub Nord' };
    const grants = [me, other, hubOwner];
    expect(removable(me, grants, 'me')).toBe(false);
    expect(removable(other, grants, 'me')).toBe(true);
    expect(removable(hubOwner, grants, 'me')).toBe(true);
    const soleOwner: Grant = { subject: { kind: 'user', id: 'camille' }, role: 'owner', name: 'Camille' };
    expect(removable(soleOwner, [soleOwner, other], 'bea')).toBe(false);
  });
});
