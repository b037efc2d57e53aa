import { describe, expect, it } from 'vitest';
import {
  acceptInvite,
  administeredHubs,
  createInviteLink,
  inviteHints,
  inviteUrl,
  isHubInvite,
  landingFor,
} from './invite.ts';

function answering(status: number, body: unknown): typeof fetch {
  return (async () => new Response(JSON.stringify(body), { status })) as unknown as typeof fetch;
}

describe('invitation links', () => {
  it('carry the token in the path and what they were made for as hints', () => {
    const link = inviteUrl('https://hub.example.org', 'dpi_abc', { datasetId: 'lieux', role: 'editor' });
    expect(link).toBe('https://hub.example.org/invites/dpi_abc?dataset=lieux&role=editor');
    expect(inviteHints(new URL(link).searchParams)).toEqual({ datasetId: 'lieux', role: 'editor' });
  });

  it('ignore a role hint that is not one an invitation can give', () => {
    expect(inviteHints(new URLSearchParams('dataset=lieux&role=owner'))).toEqual({ datasetId: 'lieux' });
    expect(inviteHints(new URLSearchParams(''))).toEqual({});
    expect(inviteHints(new URLSearchParams('until=demain'))).toEqual({});
  });

  it('made on the settings page, carry the expiry the server set', async () => {
    const created = await createInviteLink(
      answering(201, { token: 'dpi_x', invite: { role: 'reader', expiresAt: 1_800_000_000_000 } }),
      'https://hub.example.org',
      'lieux',
      'reader',
    );
    expect(created).toEqual({
      ok: true,
      link: 'https://hub.example.org/invites/dpi_x?dataset=lieux&role=reader&until=1800000000000',
    });
    if (created.ok)
      expect(inviteHints(new URL(created.link).searchParams)).toEqual({
        datasetId: 'lieux',
        role: 'reader',
        expiresAt: 1_800_000_000_000,
      });
    const refused = await createInviteLink(
      answering(403, { error: { code: 'forbidden', message: 'x' } }),
      'https://hub.example.org',
      'lieux',
      'reader',
    );
    expect(refused).toEqual({ ok: false, code: 'forbidden' });
  });

  it('open the screen of the role taken', () => {
    expect(landingFor('a b', 'moderator')).toBe('/datasets/a%20b/moderate');
    expect(landingFor('lieux', 'editor')).toBe('/datasets/lieux/edit');
    expect(landingFor('lieux', 'reader')).toBe('/datasets/lieux');
  });
});

describe('accepting an invitation', () => {
  it('gives the dataset and role the server granted', async () => {
    const answer = await acceptInvite(
      answering(200, { datasetId: 'lieux', role: 'moderator', subject: { kind: 'user', id: 'u1' } }),
      'dpi_abc',
    );
    expect(answer).toEqual({ ok: true, datasetId: 'lieux', role: 'moderator' });
  });

  it('passes on the server code of an expired, used-up or unknown link', async () => {
    for (const code of ['invite_expired', 'invite_used_up', 'invite_not_found']) {
      const answer = await acceptInvite(answering(410, { error: { code, message: 'x' } }), 'dpi_abc');
      expect(answer).toEqual({ ok: false, code });
    }
  });

  it('can go to a hub the person administers, never to one they only belong to', async () => {
    const me = {
      user: {
        id: 'u1',
        hubs: [
          { id: 'h1', name: 'Hub Nord', hubRole: 'admin' },
          { id: 'h2', name: 'Hub Sud', hubRole: 'member' },
        ],
      },
    };
    expect(administeredHubs(me)).toEqual([{ id: 'h1', name: 'Hub Nord' }]);
    expect(administeredHubs({ user: { id: 'u1' } })).toEqual([]);
    let sent = '';
    const recording = (async (_url: string, init: RequestInit) => {
      sent = String(init.body);
      return new Response(JSON.stringify({ datasetId: 'lieux', role: 'editor' }), { status: 200 });
    }) as unknown as typeof fetch;
    await acceptInvite(recording, 'dpi_abc', 'h1');
    expect(JSON.parse(sent)).toEqual({ forHub: 'h1' });
    await acceptInvite(recording, 'dpi_abc');
    expect(JSON.parse(sent)).toEqual({});
  });

  it('tells a missing session and a network failure apart', async () => {
    expect(await acceptInvite(answering(401, {}), 't')).toEqual({ ok: false, code: 'not_signed_in' });
    const offline = (async () => {
      throw new TypeError('fetch failed');
    }) as unknown as typeof fetch;
    expect(await acceptInvite(offline, 't')).toEqual({ ok: false, code: 'network' });
  });
});

describe('a link into a hub', () => {
  it('is told apart by its token and carries the hub name as a hint', () => {
    const link = inviteUrl('https://patch.example.org', 'dph_abc', { hub: 'Hub Ouest', expiresAt: 5 });
    expect(link).toBe('https://patch.example.org/invites/dph_abc?hub=Hub+Ouest&until=5');
    expect(inviteHints(new URL(link).searchParams)).toEqual({ hub: 'Hub Ouest', expiresAt: 5 });
    expect(isHubInvite('dph_abc')).toBe(true);
    expect(isHubInvite('dpi_abc')).toBe(false);
  });
});
