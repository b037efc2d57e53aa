/**
 * A dataset's metadata for portals that harvest it (data.gouv.fr and other CKAN/DCAT readers):
 * `GET /api/datasets/:id/datapackage.json` (Frictionless data package), `…/dcat.jsonld` (DCAT-AP
 * JSON-LD) and `GET /api/catalog.jsonld` (a DCAT catalogue of the public datasets, from the
 * registry alone). Invariants:
 * read access as for rows; the catalogue lists only datasets anyone may read; every answer has
 * an ETag of the document state and honours If-None-Match.
 */
import { isDataset, readMeta, readSchema } from '@datapatch/core';
import { isDatasetId, roomName } from '@datapatch/protocol';
import { type Context, Hono } from 'hono';
import { httpDate, lastChangeAt } from '../data/change-feed.ts';
import { provenanceSchema } from '../data/provenance-columns.ts';
import { datasetRows } from '../data/rows-query.ts';
import type { DatasetRegistry } from '../store/dataset-registry.ts';
import { type DataAccess, type DataRelay, etagOf, matches, openDataAccess } from './data-routes.ts';
import { publicOrigin } from './robots.ts';

export interface CatalogRoutesOptions {
  relay: Pick<DataRelay, 'readDocument' | 'roomsInMemory'>;
  registry: DatasetRegistry;
  access?: DataAccess;
  trustProxy?: boolean;
}

/** Licence ids as imports store them → the licence's page, which DCAT wants as an IRI. */
const LICENCE_URLS: Record<string, string> = {
  'etalab-2.0': 'https://www.etalab.gouv.fr/licence-ouverte-open-licence/',
  'lo-2.0': 'https://www.etalab.gouv.fr/licence-ouverte-open-licence/',
  'odbl-1.0': 'https://opendatacommons.org/licenses/odbl/1-0/',
  odbl: 'https://opendatacommons.org/licenses/odbl/1-0/',
  'cc-by-4.0': 'https://creativecommons.org/licenses/by/4.0/',
  'cc0-1.0': 'https://creativecommons.org/publicdomain/zero/1.0/',
};

const DCAT_CONTEXT = {
  dcat: 'http://www.w3.org/ns/dcat#',
  dct: 'http://purl.org/dc/terms/',
  foaf: 'http://xmlns.com/foaf/0.1/',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
};

const DOWNLOADS = [
  { format: 'csv', mediaType: 'text/csv', title: 'CSV' },
  { format: 'geojson', mediaType: 'application/geo+json', title: 'GeoJSON' },
  { format: 'json', mediaType: 'application/json', title: 'JSON' },
] as const;

type About = {
  id: string;
  title: string;
  description?: string;
  licence?: string;
  source?: string;
  createdAt?: string;
  modified?: string;
  version: string;
};

function rowsUrl(origin: string, id: string, format: string): string {
  return `${origin}/api/datasets/${encodeURIComponent(id)}/rows?format=${format}`;
}

function dcatDataset(origin: string, about: About) {
  const page = `${origin}/datasets/${encodeURIComponent(about.id)}`;
  const licence = about.licence ? (LICENCE_URLS[about.licence.toLowerCase()] ?? about.licence) : undefined;
  return {
    '@id': page,
    '@type': 'dcat:Dataset',
    'dct:identifier': about.id,
    'dct:title': about.title,
    ...(about.description ? { 'dct:description': about.description } : {}),
    ...(about.createdAt ? { 'dct:issued': { '@value': about.createdAt, '@type': 'xsd:dateTime' } } : {}),
    ...(about.modified ? { 'dct:modified': { '@value': about.modified, '@type': 'xsd:dateTime' } } : {}),
    ...(licence ? { 'dct:license': { '@id': licence } } : {}),
    ...(about.source ? { 'dct:source': about.source } : {}),
    'dcat:landingPage': { '@id': page },
    'dcat:distribution': DOWNLOADS.map((d) => ({
      '@type': 'dcat:Distribution',
      'dct:title': d.title,
      'dcat:downloadURL': { '@id': rowsUrl(origin, about.id, d.format) },
      'dcat:accessURL': { '@id': rowsUrl(origin, about.id, d.format) },
      'dcat:mediaType': d.mediaType,
      'dct:format': d.title,
      ...(licence ? { 'dct:license': { '@id': licence } } : {}),
    })),
  };
}

export function catalogRoutes(options: CatalogRoutesOptions): Hono {
  const { relay, registry } = options;
  const access = options.access ?? openDataAccess;
  const trustProxy = options.trustProxy ?? false;
  const app = new Hono();

  /** What a document says about its dataset; null when there is none. */
  async function aboutOf(id: string): Promise<(About & { schema: ReturnType<typeof readSchema> }) | null> {
    const known =
      relay.roomsInMemory().includes(roomName(id, 'validated')) || (await registry.get(id)) !== null;
    if (!known) return null;
    return relay.readDocument(roomName(id, 'validated'), (doc) => {
      if (!isDataset(doc)) return null;
      const meta = readMeta(doc);
      const modified = lastChangeAt(doc) ?? meta.createdAt;
      return {
        id,
        title: meta.title || id,
        ...(meta.description ? { description: meta.description } : {}),
        ...(meta.licence ? { licence: meta.licence } : {}),
        ...(meta.source ? { source: meta.source } : {}),
        ...(meta.createdAt ? { createdAt: meta.createdAt } : {}),
        ...(modified ? { modified } : {}),
        version: datasetRows(doc).version,
        schema: readSchema(doc),
      };
    });
  }

  /** The dataset when the caller may read it, or the answer to send instead. */
  async function readable(c: Context) {
    const id = c.req.param('id') ?? '';
    const missing = () => c.json({ error: { code: 'dataset_not_found', message: 'No such dataset' } }, 404);
    if (!isDatasetId(id)) return missing();
    const allowed = await access.read(c, id);
    if (allowed instanceof Response) return allowed;
    const about = await aboutOf(id);
    return about === null ? missing() : { about, public: allowed.public };
  }

  /** A JSON answer with its ETag and Last-Modified, or 304 when the client has it. */
  function answer(
    c: Context,
    body: unknown,
    etag: string,
    modified: string | undefined,
    open: boolean,
    type: string,
  ) {
    const headers: Record<string, string> = { ETag: etag, 'Cache-Control': 'no-cache' };
    const lastModified = httpDate(modified);
    if (lastModified) headers['Last-Modified'] = lastModified;
    if (open) headers['Access-Control-Allow-Origin'] = '*';
    if (matches(c, etag)) return c.body(null, 304, headers);
    return c.body(JSON.stringify(body), 200, { ...headers, 'Content-Type': type });
  }

  app.get('/api/datasets/:id/datapackage.json', async (c) => {
    const target = await readable(c);
    if (target instanceof Response) return target;
    const { about } = target;
    const origin = publicOrigin(c, trustProxy);
    const licence = about.licence ? (LICENCE_URLS[about.licence.toLowerCase()] ?? undefined) : undefined;
    const body = {
      profile: 'tabular-data-package',
      name: about.id.toLowerCase(),
      id: `${origin}/datasets/${encodeURIComponent(about.id)}`,
      title: about.title,
      ...(about.description ? { description: about.description } : {}),
      ...(about.licence
        ? { licenses: [{ name: about.licence, ...(licence ? { path: licence } : {}) }] }
        : {}),
      ...(about.source
        ? {
            sources: [
              { title: about.source, ...(/^https?:\/\//.test(about.source) ? { path: about.source } : {}) },
            ],
          }
        : {}),
      ...(about.createdAt ? { created: about.createdAt } : {}),
      resources: [
        {
          profile: 'tabular-data-resource',
          name: about.id.toLowerCase(),
          path: rowsUrl(origin, about.id, 'csv'),
          format: 'csv',
          mediatype: 'text/csv',
          encoding: 'utf-8',
          schema: about.schema,
        },
        {
          profile: 'tabular-data-resource',
          name: `${about.id.toLowerCase()}-provenance`,
          title: 'Provenance',
          description:
            'The same rows, each field followed by <field>__source (import, upstream, proposal:<id>, auto:<id>, edit) and <field>__date',
          path: `${rowsUrl(origin, about.id, 'csv')}&provenance=1`,
          format: 'csv',
          mediatype: 'text/csv',
          encoding: 'utf-8',
          schema: provenanceSchema(about.schema),
        },
      ],
    };
    return answer(
      c,
      body,
      etagOf(about.version, 'datapackage', origin),
      about.modified,
      target.public,
      'application/json; charset=utf-8',
    );
  });

  app.get('/api/datasets/:id/dcat.jsonld', async (c) => {
    const target = await readable(c);
    if (target instanceof Response) return target;
    const origin = publicOrigin(c, trustProxy);
    const body = { '@context': DCAT_CONTEXT, ...dcatDataset(origin, target.about) };
    return answer(
      c,
      body,
      etagOf(target.about.version, 'dcat', origin),
      target.about.modified,
      target.public,
      'application/ld+json; charset=utf-8',
    );
  });

  app.get('/api/catalog.jsonld', async (c) => {
    const origin = publicOrigin(c, trustProxy);
    const datasets: About[] = [];
    for (const summary of await registry.list()) {
      if (!isDatasetId(summary.id)) continue;
      const allowed = await access.read(c, summary.id);
      if (allowed instanceof Response || !allowed.public) continue;
      // From the registry, not the documents: a catalogue request loads no dataset into memory.
      datasets.push({
        id: summary.id,
        title: summary.title || summary.id,
        ...(summary.description ? { description: summary.description } : {}),
        modified: summary.updatedAt,
        version: summary.updatedAt,
      });
    }
    const modified =
      datasets
        .map((d) => d.modified ?? '')
        .sort()
        .at(-1) || undefined;
    const body = {
      '@context': DCAT_CONTEXT,
      '@id': `${origin}/api/catalog.jsonld`,
      '@type': 'dcat:Catalog',
      'dct:title': 'Data Patch',
      'foaf:homepage': { '@id': `${origin}/` },
      'dcat:dataset': datasets.map((about) => dcatDataset(origin, about)),
    };
    const etag = etagOf('catalog', origin, ...datasets.map((d) => `${d.id}:${d.version}`));
    return answer(c, body, etag, modified, true, 'application/ld+json; charset=utf-8');
  });

  return app;
}
