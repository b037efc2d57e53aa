import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { ENTRY_CACHE, embedRoutes } from './embed-routes.ts';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'embed-routes-'));
  folders.push(dir);
  writeFileSync(join(dir, 'embed.js'), 'export {};');
  writeFileSync(join(dir, 'embed-map-abc.js'), 'export const map = 1;');
  const app = new Hono();
  app.route(
    '/',
    embedRoutes({
      embedDir: dir,
      publicDataset: async (id) => (id === 'lieux' ? { title: 'Lieux <du> Jura' } : null),
      datasets: async () => [{ id: 'lieux' }, { id: 'secret' }],
    }),
  );
  // Stand-ins for the real routes behind the middleware.
  app.post('/api/datasets/:id/proposals', (c) => c.json({ error: { code: 'dataset_not_found' } }, 404));
  app.get('/api/datasets/:id/rows', (c) =>
    c.req.param('id') === 'lieux' ? c.json({ rows: ['a row'] }) : c.json({ error: { code: 'x' } }, 404),
  );
  app.get('/api/auth/me', (c) => c.json({ user: 'someone' }));
  return app;
}

const from = { origin: 'https://hub.example' };

describe('embed routes', () => {
  it('serves the script with an ETag and answers 304 to it, readable from any origin', async () => {
    const app = setup();
    const first = await app.request('/embed.js');
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toBe(ENTRY_CACHE);
    expect(first.headers.get('access-control-allow-origin')).toBe('*');
    const etag = first.headers.get('etag') ?? '';
    expect((await app.request('/embed.js', { headers: { 'if-none-match': etag } })).status).toBe(304);
    const chunk = await app.request('/embed-map-abc.js');
    expect(chunk.headers.get('cache-control')).toContain('immutable');
    expect((await app.request('/embed-..%2Fsecret.js')).status).toBe(404);
  });

  it('lets a public dataset be proposed to from another origin, not a private one', async () => {
    const app = setup();
    const open = await app.request('/api/datasets/lieux/proposals', { method: 'OPTIONS', headers: from });
    expect(open.headers.get('access-control-allow-origin')).toBe('*');
    expect(open.headers.get('access-control-allow-methods')).toContain('POST');
    const closed = await app.request('/api/datasets/secret/proposals', { method: 'OPTIONS', headers: from });
    expect(closed.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('opens errors (no data) to other origins, never an answer with data the route did not open', async () => {
    const app = setup();
    const missing = await app.request('/api/datasets/secret/rows', { headers: from });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('access-control-allow-origin')).toBe('*');
    const rows = await app.request('/api/datasets/lieux/rows', { headers: from });
    // The data route decides for its own answers (it opens public ones itself).
    expect(rows.headers.get('access-control-allow-origin')).toBeNull();
    const me = await app.request('/api/auth/me', { headers: from });
    expect(me.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('the frame page may be framed; the chooser lists public datasets only, escaped', async () => {
    const app = setup();
    const frame = await app.request('/embed/lieux?view=map&accent=%22%3E%3Cscript%3E');
    expect(frame.headers.get('content-security-policy')).toContain('frame-ancestors *');
    expect(frame.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await frame.text();
    expect(html).toContain(
      '<datapatch-dataset dataset="lieux" view="map" accent="&quot;&gt;&lt;script&gt;">',
    );
    const chooser = await (await app.request('/embed?dataset=lieux')).text();
    expect(chooser).toContain('Lieux &lt;du&gt; Jura');
    expect(chooser).not.toContain('secret');
    expect(await (await app.request('/embed?dataset=secret')).text()).not.toContain('data-snippet');
  });
});
