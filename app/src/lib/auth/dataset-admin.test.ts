import { describe, expect, it } from 'vitest';
import { datasetAdmin, readGrants, readSettings } from './dataset-admin.ts';

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
});
