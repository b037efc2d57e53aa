import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AccessTestServer, ADMIN, startAccessServer } from '../testing/http-server.ts';

let t: AccessTestServer;
beforeAll(async () => {
  t = await startAccessServer();
});
afterAll(async () => {
  await t.cleanup();
});

const json = { 'content-type': 'application/json' };
const code = async (response: Response) =>
  ((await response.json()) as { error: { code: string } }).error.code;
const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${t.server.url}${path}`, {
    method: 'POST',
    headers: { ...json, ...headers },
    body: JSON.stringify(body),
  });

async function cookieLogin(email: string, password: string): Promise<string> {
  const response = await post('/api/auth/login', { email, password }, { origin: t.server.url });
  expect(response.status).toBe(200);
  const setCookie = response.headers.get('set-cookie') ?? '';
  expect(setCookie).toMatch(/HttpOnly/);
  expect(setCookie).toMatch(/SameSite=Lax/);
  return setCookie.split(';')[0]!;
}

describe('accounts over HTTP', () => {
  it('the first owner comes from DATAPATCH_ADMIN_*; signs in with a cookie (app) or a bearer token (programs)', async () => {
    const cookie = await cookieLogin(ADMIN.email, ADMIN.password);
    const me = await fetch(`${t.server.url}/api/auth/me`, { headers: { cookie } });
    expect(((await me.json()) as { user: { email: string; instanceRole: string } }).user).toMatchObject({
      email: ADMIN.email,
      instanceRole: 'owner',
    });
    const bearer = await post('/api/auth/login', {
      email: ADMIN.email,
      password: ADMIN.password,
      kind: 'bearer',
    });
    const { token } = (await bearer.json()) as { token: string };
    expect(bearer.headers.get('set-cookie')).toBeNull();
    expect(
      (await fetch(`${t.server.url}/api/auth/me`, { headers: { authorization: `Bearer ${token}` } })).status,
    ).toBe(200);
  });

  it('GET /api/auth/session answers 200 to everyone: the account, or null for nobody (no 401 in anonymous consoles)', async () => {
    const anonymous = await fetch(`${t.server.url}/api/auth/session`);
    expect(anonymous.status).toBe(200);
    expect(await anonymous.json()).toEqual({ user: null });
    const cookie = await cookieLogin(ADMIN.email, ADMIN.password);
    const signedIn = await fetch(`${t.server.url}/api/auth/session`, { headers: { cookie } });
    const me = await fetch(`${t.server.url}/api/auth/me`, { headers: { cookie } });
    expect(await signedIn.json()).toEqual(await me.json());
  });

  it('the demo-like datasets the server made are public, open to proposals on every field, owned by the first owner', async () => {
    const response = await fetch(`${t.server.url}/api/datasets/lieux/settings`, {
      headers: t.headers('owner'),
    });
    expect(await response.json()).toEqual({
      settings: { visibility: 'public', proposals: 'open', proposableFields: ['nom', 'horaires', 'places'] },
    });
  });

  it('a wrong password is refused without saying which part was wrong', async () => {
    const wrong = await post('/api/auth/login', { email: ADMIN.email, password: 'not the password at all' });
    expect(wrong.status).toBe(401);
    expect(await code(wrong)).toBe('invalid_credentials');
    const unknown = await post('/api/auth/login', {
      email: 'nobody@example.org',
      password: 'whatever password 1',
    });
    expect(await code(unknown)).toBe('invalid_credentials');
  });

  it('sign-out ends the session at once', async () => {
    const cookie = await cookieLogin(ADMIN.email, ADMIN.password);
    const out = await post('/api/auth/logout', {}, { cookie, origin: t.server.url });
    expect(out.status).toBe(200);
    expect(out.headers.get('set-cookie')).toMatch(/Max-Age=0/);
    expect((await fetch(`${t.server.url}/api/auth/me`, { headers: { cookie } })).status).toBe(401);
  });

  it('changing the password keeps this session and ends the others', async () => {
    const email = 'changer@example.org';
    const { createUser } = await import('../access/index.ts');
    await createUser(t.server.access.deps, { email, password: 'first password here' });
    const keep = await cookieLogin(email, 'first password here');
    const other = await cookieLogin(email, 'first password here');
    const change = await post(
      '/api/auth/password',
      { currentPassword: 'first password here', newPassword: 'second password here' },
      { cookie: keep, origin: t.server.url },
    );
    expect(change.status).toBe(200);
    expect((await fetch(`${t.server.url}/api/auth/me`, { headers: { cookie: keep } })).status).toBe(200);
    expect((await fetch(`${t.server.url}/api/auth/me`, { headers: { cookie: other } })).status).toBe(401);
  });
});

/** A sign-in sent from another loopback address (127.0.0.2), as the owner's own machine would. */
function loginFrom(localAddress: string, body: unknown): Promise<number> {
  const url = new URL('/api/auth/login', t.server.url);
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      url,
      { method: 'POST', localAddress, headers: { ...json, 'content-length': Buffer.byteLength(payload) } },
      (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      },
    );
    request.on('error', reject);
    request.end(payload);
  });
}

describe('login brute force is limited', () => {
  it('an address sending wrong passwords waits (429 too_many_attempts, Retry-After); the owner signs in from another address', async () => {
    const { createUser } = await import('../access/index.ts');
    const email = 'target@example.org';
    await createUser(t.server.access.deps, { email, password: 'the real password' });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      statuses.push((await post('/api/auth/login', { email, password: `guess number ${i}` })).status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    const right = await post('/api/auth/login', { email, password: 'the real password' });
    expect(right.status).toBe(429);
    expect(await code(right)).toBe('too_many_attempts');
    expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await loginFrom('127.0.0.2', { email, password: 'the real password' })).toBe(200);
  });
});

describe('dataset settings', () => {
  it('proposable fields the schema does not have are refused with 400 unknown_proposable_field, naming them', async () => {
    const put = (proposableFields: string[]) =>
      fetch(`${t.server.url}/api/datasets/lieux/settings`, {
        method: 'PUT',
        headers: { ...json, ...t.headers('owner') },
        body: JSON.stringify({ proposableFields }),
      });
    const bad = await put(['nom', 'couleur']);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: unknown }).error).toMatchObject({
      code: 'unknown_proposable_field',
      fields: ['couleur'],
    });
    const good = await put(['nom', 'horaires']);
    expect(good.status).toBe(200);
    await put(['nom', 'horaires', 'places']);
  });
});

describe('CSRF on cookie-authenticated writes', () => {
  it('refuses a cross-site (or Origin-less) cookie write with cross_site_request, accepts same-origin and bearer', async () => {
    const cookie = await cookieLogin(ADMIN.email, ADMIN.password);
    const put = (headers: Record<string, string>) =>
      fetch(`${t.server.url}/api/datasets/lieux/settings`, {
        method: 'PUT',
        headers: { ...json, ...headers },
        body: JSON.stringify({ proposals: 'open' }),
      });
    const evil = await put({ cookie, origin: 'https://evil.example' });
    expect(evil.status).toBe(403);
    expect(await code(evil)).toBe('cross_site_request');
    expect(await code(await put({ cookie }))).toBe('cross_site_request');
    expect((await put({ cookie, origin: t.server.url })).status).toBe(200);
    expect((await put({ ...t.headers('owner'), origin: 'https://elsewhere.example' })).status).toBe(200);
    const crossLogin = await post(
      '/api/auth/login',
      { email: ADMIN.email, password: ADMIN.password },
      { origin: 'https://evil.example' },
    );
    expect(await code(crossLogin)).toBe('cross_site_request');
  });
});

describe('roles, settings and invites for owners', () => {
  it('an owner grants by email, a non-owner may not, and the last owner cannot be removed', async () => {
    const grant = await fetch(`${t.server.url}/api/datasets/lieux/roles`, {
      method: 'PUT',
      headers: { ...json, ...t.headers('owner') },
      body: JSON.stringify({ email: 'stranger@example.org', role: 'reader' }),
    });
    expect(grant.status).toBe(200);
    const byModerator = await fetch(`${t.server.url}/api/datasets/lieux/roles`, {
      method: 'PUT',
      headers: { ...json, ...t.headers('moderator') },
      body: JSON.stringify({ email: 'stranger@example.org', role: 'owner' }),
    });
    expect(byModerator.status).toBe(403);
    const lastOwner = await fetch(`${t.server.url}/api/datasets/lieux/roles`, {
      method: 'PUT',
      headers: { ...json, ...t.headers('owner') },
      body: JSON.stringify({ subject: { kind: 'user', id: t.userIds.owner }, role: null }),
    });
    expect(await code(lastOwner)).toBe('last_owner');
  });

  it('an invite link gives its role to whoever accepts it, within its uses', async () => {
    const created = await post(
      '/api/datasets/secret/invites',
      { role: 'editor', maxUses: 1 },
      t.headers('owner'),
    );
    expect(created.status).toBe(201);
    const { token } = (await created.json()) as { token: string };
    const accepted = await post(`/api/invites/${token}/accept`, {}, t.headers('stranger'));
    expect(await accepted.json()).toMatchObject({ datasetId: 'secret', role: 'editor' });
    expect(
      (await fetch(`${t.server.url}/api/datasets/secret/changes`, { headers: t.headers('stranger') })).status,
    ).toBe(200);
    const again = await post(`/api/invites/${token}/accept`, {}, t.headers('reader'));
    expect(await code(again)).toBe('invite_used_up');
  });
});

describe('path traversal in ids', () => {
  it.each([
    '/api/datasets/..%2F..%2Fetc%2Fpasswd/settings',
    '/api/datasets/%2e%2e/changes',
    '/api/datasets/lieux%00/changes',
    '/api/proposals/..%2Fx?receipt=r',
  ])('%s is refused with a 404 code', async (path) => {
    const response = await fetch(`${t.server.url}${path}`, { headers: t.headers('owner') });
    expect(response.status).toBe(404);
    expect(['dataset_not_found', 'proposal_not_found', 'not_found']).toContain(await code(response));
  });
});

describe('the session cookie over HTTPS', () => {
  const signInCookie = async (url: string, headers: Record<string, string>) => {
    const response = await fetch(`${url}/api/auth/login`, {
      method: 'POST',
      headers: { ...json, origin: url, ...headers },
      body: JSON.stringify({ email: ADMIN.email, password: ADMIN.password }),
    });
    expect(response.status).toBe(200);
    return response.headers.get('set-cookie') ?? '';
  };

  it('is Secure when our trusted proxy says the request came over HTTPS, not on anyone else’s word', async () => {
    const behindProxy = await startAccessServer({ trustProxy: true });
    try {
      const url = behindProxy.server.url;
      expect(await signInCookie(url, { 'x-forwarded-proto': 'https' })).toMatch(/; Secure/);
      expect(await signInCookie(url, { 'x-forwarded-proto': 'http' })).not.toMatch(/Secure/);
      expect(await signInCookie(url, {})).not.toMatch(/Secure/);
    } finally {
      await behindProxy.cleanup();
    }
    // Without DATAPATCH_TRUST_PROXY the header is a client's claim.
    expect(await signInCookie(t.server.url, { 'x-forwarded-proto': 'https' })).not.toMatch(/Secure/);
  });
});
