import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AccessTestServer, startAccessServer, type Who } from '../testing/http-server.ts';

let t: AccessTestServer;
beforeAll(async () => {
  t = await startAccessServer();
});
afterAll(async () => {
  await t.cleanup();
});

const get = (path: string, who: Who = 'anonymous', extra: Record<string, string> = {}) =>
  fetch(`${t.server.url}${path}`, { headers: t.headers(who, extra) });

type Json = Record<string, unknown>;

describe('metadata for harvesters', () => {
  it('a data package names the dataset, its licence, its schema and its CSV download', async () => {
    const response = await get('/api/datasets/lieux/datapackage.json');
    expect(response.status).toBe(200);
    const body = (await response.json()) as Json & { resources: Json[] };
    expect(body).toMatchObject({
      profile: 'tabular-data-package',
      title: 'Lieux',
      licenses: [{ name: 'etalab-2.0' }],
    });
    expect(body.resources[0]).toMatchObject({
      format: 'csv',
      path: `${t.server.url}/api/datasets/lieux/rows?format=csv`,
      schema: { fields: [{ name: 'nom' }, { name: 'horaires' }, { name: 'places' }] },
    });
    // The CSV it links to is there.
    expect((await fetch(body.resources[0]!.path as string)).status).toBe(200);
    // And its provenance twin: each field followed by where it came from and when.
    const provenance = body.resources[1] as { path: string; schema: { fields: { name: string }[] } };
    expect(provenance.schema.fields.slice(0, 3).map((f) => f.name)).toEqual([
      'nom',
      'nom__source',
      'nom__date',
    ]);
    const csv = await (await fetch(provenance.path)).text();
    expect(csv.split('\r\n')[0]).toBe(provenance.schema.fields.map((f) => f.name).join(','));
  });

  it('DCAT describes the dataset with its downloads and licence IRI; the catalogue lists only public datasets', async () => {
    const dcat = (await (await get('/api/datasets/lieux/dcat.jsonld')).json()) as Json & {
      'dcat:distribution': Json[];
    };
    expect(dcat['@type']).toBe('dcat:Dataset');
    expect(dcat['dct:license']).toEqual({
      '@id': 'https://www.etalab.gouv.fr/licence-ouverte-open-licence/',
    });
    expect(dcat['dcat:distribution'].map((d) => d['dcat:mediaType'])).toEqual([
      'text/csv',
      'application/geo+json',
      'application/json',
    ]);
    const catalog = await get('/api/catalog.jsonld', 'owner');
    expect(catalog.headers.get('content-type')).toContain('application/ld+json');
    const listed = ((await catalog.json()) as { 'dcat:dataset': Json[] })['dcat:dataset'];
    expect(listed.map((d) => d['dct:identifier'])).toEqual(['lieux']);
  });

  it('a private dataset’s metadata is hidden from those who may not read it', async () => {
    expect((await get('/api/datasets/secret/datapackage.json')).status).toBe(404);
    expect((await get('/api/datasets/secret/dcat.jsonld', 'stranger')).status).toBe(404);
    expect((await get('/api/datasets/secret/dcat.jsonld', 'reader')).status).toBe(200);
  });

  it('every export and description answers with ETag and Last-Modified, and 304 to If-None-Match', async () => {
    for (const path of [
      '/api/datasets/lieux/rows',
      '/api/datasets/lieux/rows?format=csv',
      '/api/datasets/lieux/rows?format=geojson',
      '/api/datasets/lieux/datapackage.json',
      '/api/datasets/lieux/dcat.jsonld',
      '/api/catalog.jsonld',
    ]) {
      const first = await get(path);
      expect(first.status, path).toBe(200);
      const etag = first.headers.get('etag');
      expect(etag, path).toBeTruthy();
      expect(Number.isNaN(Date.parse(first.headers.get('last-modified') ?? '')), path).toBe(false);
      const again = await get(path, 'anonymous', { 'if-none-match': etag! });
      expect(again.status, path).toBe(304);
    }
  });
});
