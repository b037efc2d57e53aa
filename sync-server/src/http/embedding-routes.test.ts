// The sites allowed to embed a dataset, on a real server: only owners read and name them, a bad
// origin is refused whole (nothing changed), and `/embed/<id>`'s frame-ancestors and the API's
// CORS follow the list; a private dataset stays closed to every site.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AccessTestServer, startAccessServer } from '../testing/http-server.ts';

let t: AccessTestServer;
beforeAll(async () => {
  t = await startAccessServer();
});
afterAll(async () => {
  await t.cleanup();
});

const HUB = 'https://www.hub-exemple.fr';
const OTHER = 'https://ailleurs.example';
const json = { 'content-type': 'application/json' };
const api = (id: string) => `${t.server.url}/api/datasets/${id}/embedding`;
const put = (who: 'owner' | 'editor', origins: unknown, id = 'lieux') =>
  fetch(api(id), {
    method: 'PUT',
    headers: { ...json, ...t.headers(who) },
    body: JSON.stringify({ origins }),
  });
const allowOrigin = async (path: string, origin: string, method = 'GET') =>
  (await fetch(`${t.server.url}${path}`, { method, headers: { origin } })).headers.get(
    'access-control-allow-origin',
  );
const frameAncestors = async (id: string) =>
  (await fetch(`${t.server.url}/embed/${id}`)).headers
    .get('content-security-policy')
    ?.match(/frame-ancestors [^;]+/)?.[0];

describe('sites allowed to embed a dataset', () => {
  it('only owners read and name them', async () => {
    expect((await fetch(api('lieux'), { headers: t.headers('editor') })).status).toBe(403);
    expect((await fetch(api('lieux'), { headers: t.headers('anonymous') })).status).toBe(401);
    expect((await put('editor', [HUB])).status).toBe(403);
    const read = await fetch(api('lieux'), { headers: t.headers('owner') });
    expect(await read.json()).toEqual({ origins: [] });
  });

  it('refuses anything but an origin, naming it, and keeps the list as it was', async () => {
    expect((await put('owner', [HUB])).status).toBe(200);
    for (const bad of [
      'https://www.hub-exemple.fr/carte',
      'hub-exemple.fr',
      'ftp://hub.fr',
      'https://*.hub.fr',
    ]) {
      const refused = await put('owner', [OTHER, bad]);
      expect(refused.status).toBe(400);
      expect(((await refused.json()) as { error: unknown }).error).toMatchObject({
        code: 'embedding_invalid_origins',
        invalid: [bad],
      });
    }
    expect((await put('owner', 'https://hub.fr')).status).toBe(400);
    const kept = await fetch(api('lieux'), { headers: t.headers('owner') });
    expect(await kept.json()).toEqual({ origins: [HUB] });
  });

  it('keeps origins canonical: case, default port and a trailing slash fold away', async () => {
    const saved = await put('owner', ['HTTPS://WWW.Hub-Exemple.fr:443/', 'http://127.0.0.1:8080', '']);
    expect(await saved.json()).toEqual({ origins: [HUB, 'http://127.0.0.1:8080'] });
  });

  it('frame-ancestors and CORS follow the list', async () => {
    await put('owner', []);
    expect(await frameAncestors('lieux')).toBe('frame-ancestors *');
    expect(await allowOrigin('/api/datasets/lieux/rows', OTHER)).toBe('*');

    await put('owner', [HUB]);
    expect(await frameAncestors('lieux')).toBe(`frame-ancestors 'self' ${HUB}`);
    expect(await allowOrigin('/api/datasets/lieux/rows', HUB)).toBe(HUB);
    expect(await allowOrigin('/api/datasets/lieux/rows', OTHER)).toBeNull();
    expect(await allowOrigin('/api/datasets/lieux/schema', OTHER)).toBeNull();
    expect(await allowOrigin('/api/datasets/lieux/rows', HUB, 'OPTIONS')).toBe(HUB);
    expect(await allowOrigin('/api/datasets/lieux/rows', OTHER, 'OPTIONS')).toBeNull();
    expect(await allowOrigin('/api/datasets/lieux/proposals', HUB, 'OPTIONS')).toBe(HUB);
    expect(await allowOrigin('/api/datasets/lieux/proposals', OTHER, 'OPTIONS')).toBeNull();
    const refused = await fetch(`${t.server.url}/api/datasets/lieux/rows`, { headers: { origin: OTHER } });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe(
      'embedding_site_not_listed',
    );
    // A proposal from a site not listed is never taken in.
    const proposal = await fetch(`${t.server.url}/api/datasets/lieux/proposals`, {
      method: 'POST',
      headers: { ...json, origin: OTHER },
      body: JSON.stringify({ kind: 'create', values: { nom: 'Gare' } }),
    });
    expect(proposal.status).toBe(403);
    expect(((await proposal.json()) as { error: { code: string } }).error.code).toBe(
      'embedding_site_not_listed',
    );
    // The instance's own pages (same origin) are no other site.
    const own = new URL(t.server.url).origin;
    expect(
      (await fetch(`${t.server.url}/api/datasets/lieux/rows`, { headers: { origin: own } })).status,
    ).toBe(200);
    const vary = (await fetch(`${t.server.url}/api/datasets/lieux/rows`, { headers: { origin: HUB } }))
      .headers;
    expect(vary.get('vary')).toContain('Origin');
    // The catalog's description of the dataset stays open; so do routes of no dataset.
    expect(await allowOrigin('/api/datasets/lieux/datapackage.json', OTHER)).toBe('*');
    expect(await allowOrigin('/api/config', OTHER)).toBe('*');
  });

  it('a private dataset stays closed to every site, listed or not', async () => {
    expect((await put('owner', [HUB], 'secret')).status).toBe(200);
    // Answered as a missing dataset: an error with no data in it.
    const rows = await fetch(`${t.server.url}/api/datasets/secret/rows`, { headers: { origin: HUB } });
    expect(rows.status).toBe(404);
    expect(JSON.stringify(await rows.json())).not.toContain('Mairie');
    expect(await allowOrigin('/api/datasets/secret/proposals', HUB, 'OPTIONS')).toBeNull();
  });
});
