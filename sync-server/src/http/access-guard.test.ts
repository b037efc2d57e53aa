import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { createSession, grantRole, type Role, registerDataset } from '../access/index.ts';
import { insertTestUser, testDependencies } from '../testing/access-dependencies.ts';
import { accessMiddleware, type DatasetNeed, requireDatasetAccess } from './access-guard.ts';

async function setup() {
  const deps = testDependencies();
  const owner = await insertTestUser(deps, 'owner');
  await registerDataset(deps, { datasetId: 'pub', ownerId: owner, settings: { visibility: 'public' } });
  await registerDataset(deps, { datasetId: 'priv', ownerId: owner, settings: { visibility: 'private' } });
  const tokens: Record<string, string> = {
    owner: (await createSession(deps, owner, { kind: 'bearer' })).token,
  };
  for (const role of ['reader', 'editor', 'moderator'] as Role[]) {
    const id = await insertTestUser(deps, role);
    for (const datasetId of ['pub', 'priv']) {
      await grantRole(deps, { datasetId, by: owner, subject: { kind: 'user', id }, role });
    }
    tokens[role] = (await createSession(deps, id, { kind: 'bearer' })).token;
  }
  tokens.stranger = (
    await createSession(deps, await insertTestUser(deps, 'stranger'), { kind: 'bearer' })
  ).token;
  tokens.cookie = (await createSession(deps, owner, { kind: 'cookie' })).token;
  const app = new Hono();
  app.use('*', accessMiddleware({ deps }));
  app.all('/d/:id/:need', async (c) => {
    const answer = await requireDatasetAccess(c, c.req.param('id'), c.req.param('need') as DatasetNeed);
    return answer instanceof Response ? answer : c.json({ role: answer.role });
  });
  return { app, tokens };
}

describe('requireDatasetAccess', () => {
  const ready = setup();
  const call = async (who: string, id: string, need: string, init: RequestInit = {}) => {
    const { app, tokens } = await ready;
    return app.request(`http://localhost/d/${id}/${need}`, {
      ...init,
      headers: {
        ...(who === 'anonymous' ? {} : { authorization: `Bearer ${tokens[who]}` }),
        ...init.headers,
      },
    });
  };

  // who, dataset, need → status
  const table: [string, string, DatasetNeed, number][] = [
    ['anonymous', 'pub', 'read', 200],
    ['anonymous', 'pub', 'write', 401],
    ['anonymous', 'pub', 'moderate', 401],
    ['anonymous', 'priv', 'read', 404],
    ['anonymous', 'priv', 'write', 404],
    ['stranger', 'priv', 'read', 404],
    ['stranger', 'pub', 'write', 403],
    ['reader', 'priv', 'read', 200],
    ['reader', 'priv', 'write', 403],
    ['editor', 'priv', 'write', 200],
    ['editor', 'priv', 'moderate', 403],
    ['moderator', 'priv', 'moderate', 200],
    ['moderator', 'priv', 'own', 403],
    ['owner', 'priv', 'own', 200],
    ['owner', 'missing', 'read', 404],
    ['owner', '..%2F..%2Fetc', 'read', 404],
  ];
  it.each(table)('%s on %s dataset wanting %s answers %i', async (who, id, need, status) => {
    const response = await call(who, id, need);
    expect(response.status).toBe(status);
  });

  it('a private dataset is answered like a missing one (its id does not leak)', async () => {
    const hidden = await (await call('anonymous', 'priv', 'read')).json();
    const missing = await (await call('anonymous', 'nothing', 'read')).json();
    expect(hidden).toEqual(missing);
  });

  it('refuses cookie-authenticated writes from another origin (CSRF)', async () => {
    const { app, tokens } = await ready;
    const cookie = { cookie: `datapatch_session=${tokens.cookie}` };
    const crossSite = await app.request('http://localhost/d/priv/own', {
      method: 'POST',
      headers: { ...cookie, origin: 'https://evil.example' },
    });
    expect(crossSite.status).toBe(403);
    expect(((await crossSite.json()) as { error: { code: string } }).error.code).toBe('cross_site_request');
    const noOrigin = await app.request('http://localhost/d/priv/own', { method: 'POST', headers: cookie });
    expect(noOrigin.status).toBe(403);
    const sameOrigin = await app.request('http://localhost/d/priv/own', {
      method: 'POST',
      headers: { ...cookie, origin: 'http://localhost' },
    });
    expect(sameOrigin.status).toBe(200);
    const fetchMetadata = await app.request('http://localhost/d/priv/own', {
      method: 'POST',
      headers: { ...cookie, 'sec-fetch-site': 'same-origin' },
    });
    expect(fetchMetadata.status).toBe(200);
    const cookieRead = await app.request('http://localhost/d/priv/read', { headers: cookie });
    expect(cookieRead.status).toBe(200);
  });

  it('a session works only the way it was made: a bearer token in the cookie, or a cookie token as a bearer, is no session', async () => {
    const { app, tokens } = await ready;
    const bearerAsCookie = await app.request('http://localhost/d/priv/read', {
      headers: { cookie: `datapatch_session=${tokens.owner}` },
    });
    expect(bearerAsCookie.status).toBe(404);
    const cookieAsBearer = await app.request('http://localhost/d/priv/read', {
      headers: { authorization: `Bearer ${tokens.cookie}` },
    });
    expect(cookieAsBearer.status).toBe(404);
    const asMade = await app.request('http://localhost/d/priv/read', {
      headers: { cookie: `datapatch_session=${tokens.cookie}` },
    });
    expect(asMade.status).toBe(200);
  });

  it('bearer-token writes need no Origin (programs are not cookie-bound)', async () => {
    const response = await call('owner', 'priv', 'own', {
      method: 'POST',
      headers: { origin: 'https://elsewhere.example' },
    });
    expect(response.status).toBe(200);
  });
});
