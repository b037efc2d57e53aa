import { describe, expect, it } from 'vitest';
import { actorOf, fetchAccount, readAccount, signIn } from './account.ts';

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

type Call = { url: string; init: RequestInit | undefined };
function fakeFetch(answers: Record<string, () => Response>): { fetch: typeof fetch; calls: Call[] } {
  const calls: Call[] = [];
  const fetcher = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input);
    calls.push({ url, init });
    const answer = answers[url];
    if (answer === undefined) return json(404, { error: { code: 'not_found', message: url } });
    return answer();
  }) as typeof fetch;
  return { fetch: fetcher, calls };
}

describe('the signed-in account', () => {
  it('is read from /api/auth/me with its hubs and dataset roles', () => {
    const account = readAccount({
      user: { id: 'u1', email: 'awa@hub.fr', displayName: 'Awa' },
      hubs: [{ id: 'h1', name: 'Hub Lille' }],
      datasets: [
        { id: 'lieux', role: 'moderator' },
        { id: 'x', role: 'superuser' },
      ],
    });
    expect(account).toEqual({
      id: 'u1',
      email: 'awa@hub.fr',
      name: 'Awa',
      hubs: [{ id: 'h1', name: 'Hub Lille' }],
      roles: { lieux: 'moderator' },
    });
    expect(actorOf(account!)).toEqual({ id: 'u1', name: 'Awa', hub: 'Hub Lille' });
  });

  it('finds the hubs inside the user too', () => {
    const account = readAccount({
      user: { id: 'u1', email: 'a@b.fr', hubs: [{ id: 'h1', name: 'Hub', hubRole: 'admin' }] },
    });
    expect(account?.hubs).toEqual([{ id: 'h1', name: 'Hub' }]);
    expect(account?.name).toBe('a');
  });

  it('is nobody when the session is {user: null}, the server answers 401, or has no account routes yet (404)', async () => {
    expect(
      await fetchAccount(fakeFetch({ '/api/auth/session': () => json(200, { user: null }) }).fetch),
    ).toEqual({
      ok: true,
      value: null,
    });
    expect(await fetchAccount(fakeFetch({ '/api/auth/session': () => json(401, {}) }).fetch)).toEqual({
      ok: true,
      value: null,
    });
    expect(await fetchAccount(fakeFetch({}).fetch)).toEqual({ ok: true, value: null });
  });

  it('a wrong password is an invalid-credentials value, a limited one keeps the wait', async () => {
    const wrong = await signIn(
      fakeFetch({
        '/api/auth/login': () => json(401, { error: { code: 'invalid_credentials', message: 'no' } }),
      }).fetch,
      'a@b.fr',
      'x',
    );
    expect(wrong).toMatchObject({ ok: false, error: { code: 'invalid-credentials' } });
    const limited = await signIn(
      fakeFetch({
        '/api/auth/login': () =>
          json(429, { error: { code: 'too_many_attempts', message: 'wait', retryAfterMs: 60_000 } }),
      }).fetch,
      'a@b.fr',
      'x',
    );
    expect(limited).toMatchObject({ ok: false, error: { code: 'rate-limited', retryAfterMs: 60_000 } });
  });

  it('signing in posts same-origin JSON, then asks who is signed in when the answer lacks hubs', async () => {
    const { fetch, calls } = fakeFetch({
      '/api/auth/login': () => json(200, { user: { id: 'u1', email: 'awa@hub.fr' }, token: 'dps_x' }),
      '/api/auth/session': () =>
        json(200, { user: { id: 'u1', email: 'awa@hub.fr' }, hubs: [{ id: 'h', name: 'H' }] }),
    });
    const result = await signIn(fetch, ' awa@hub.fr ', 'secret');
    expect(result).toMatchObject({ ok: true, value: { id: 'u1', hubs: [{ id: 'h' }] } });
    expect(calls[0]?.init?.credentials).toBe('same-origin');
    expect(JSON.parse(String(calls[0]?.init?.body))).toEqual({ email: 'awa@hub.fr', password: 'secret' });
  });

  it('a network failure is a value, not a thrown error', async () => {
    const failing = (async () => {
      throw new TypeError('Failed to fetch');
    }) as typeof fetch;
    expect(await signIn(failing, 'a@b.fr', 'x')).toMatchObject({ ok: false, error: { code: 'network' } });
  });
});
