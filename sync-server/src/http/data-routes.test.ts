import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readMeta, readRows, setCell } from '@datapatch/core';
import { type DatasetAbout, roomName } from '@datapatch/protocol';
import type { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { DRY_RUN_LIMITS, ImportErrorCode } from '../data/dataset-import.ts';
import { RowsErrorCode } from '../data/rows-query.ts';
import type { SyncRelay } from '../relay/relay.ts';
import type { SqliteDatasetRegistry } from '../store/sqlite/sqlite-dataset-registry.ts';
import { dataRelayHarness } from '../testing/data-relay.ts';
import { startAccessServer, type Who } from '../testing/http-server.ts';
import { type DataAccess, DataErrorCode, dataRoutes } from './data-routes.ts';

const repo = new URL('../../../', import.meta.url).pathname;
const fixture = (path: string) => new Uint8Array(readFileSync(join(repo, path)));
const LAPOSTE = 'packages/io/fixtures/laposte-latlon-head.csv';
const COVOIT = 'packages/schema/fixtures/lieux-covoiturage';

interface Harness {
  app: Hono;
  relay: SyncRelay;
  registry: SqliteDatasetRegistry;
}

let cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

function harness(options: { maxImportBytes?: number; access?: DataAccess } = {}): Harness {
  const { relay, registry, close } = dataRelayHarness();
  cleanups.push(close);
  return { app: dataRoutes({ relay, registry, ...options }), relay, registry };
}

function multipart(file: Uint8Array | string, filename: string, schema?: string): FormData {
  const form = new FormData();
  form.set('file', new File([file], filename));
  if (schema !== undefined) form.set('schema', schema);
  return form;
}

async function importInto(h: Harness, id: string, body: FormData, query = '') {
  const response = await h.app.request(`/api/datasets/${id}/import${query}`, { method: 'POST', body });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function rowsOf(h: Harness, id: string, query = '') {
  const response = await h.app.request(`/api/datasets/${id}/rows${query}`);
  return {
    response,
    body: (await response.json()) as {
      total: number;
      rows: { id: string; values: Record<string, unknown> }[];
      next: string | null;
      error?: { code: string };
    },
  };
}

const places = JSON.stringify([
  { nom: 'Mairie de Besançon', ville: 'Besançon', note: '=HYPERLINK("http://evil")' },
  { nom: 'École Jules Ferry', ville: 'Dole', note: '' },
  { nom: 'Gare de Dole', ville: 'Dole', note: '-3' },
  { nom: 'Hôtel de ville', ville: 'Besancon', note: '@SUM(A1)' },
]);

describe('POST /api/datasets/:id/import', () => {
  it('creates a dataset from a file and its schema, and reports the validation', async () => {
    const h = harness();
    const schema = readFileSync(join(repo, COVOIT, 'schema.json'), 'utf8');
    const made = await importInto(
      h,
      'covoit',
      multipart(fixture(`${COVOIT}/exemple-valide.csv`), 'v.csv', schema),
    );
    expect(made.status).toBe(201);
    // The repository's own "valid" example has horaires = "true": the server runs the schema's
    // opening-hours custom check, so that one cell is reported (and the row still imported).
    expect(made.body).toMatchObject({
      created: true,
      rowsImported: 1,
      schemaSource: 'given',
      validation: {
        valid: false,
        errorCount: 1,
        errors: [expect.objectContaining({ field: 'horaires', code: 'custom-check-error' })],
      },
    });
    expect((await h.registry.get('covoit'))?.rowCount).toBe(1);
    // Appending validates against the stored schema and reports the invalid example's errors.
    const appended = await importInto(
      h,
      'covoit',
      multipart(fixture(`${COVOIT}/exemple-invalide.csv`), 'i.csv'),
    );
    expect(appended.status).toBe(200);
    expect(appended.body).toMatchObject({
      created: false,
      rowsImported: 2,
      schemaSource: 'stored',
      validation: { valid: false },
    });
    expect((await rowsOf(h, 'covoit')).body.total).toBe(3);
  });

  it('infers a schema when none is given or stored', async () => {
    const h = harness();
    const made = await importInto(h, 'laposte', multipart(fixture(LAPOSTE), 'laposte.csv'));
    expect(made.body).toMatchObject({
      schemaSource: 'inferred',
      rowsImported: 300,
      validation: { valid: true },
    });
    const schema = (await (await h.app.request('/api/datasets/laposte/schema')).json()) as {
      schema: { fields: { name: string }[] };
    };
    expect(schema.schema.fields.map((f) => f.name)).toContain('Code_postal');
  });

  it('accepts the raw file with its name in ?filename=', async () => {
    const h = harness();
    const response = await h.app.request('/api/datasets/raw/import?filename=places.json&title=Lieux', {
      method: 'POST',
      body: places,
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(201);
    expect((await h.registry.get('raw'))?.title).toBe('Lieux');
  });

  it('leaves nothing behind when the file is refused (empty, binary, broken xlsx, over the cap, bad schema, strict)', async () => {
    const h = harness({ maxImportBytes: 32 * 1024 });
    const cases: [FormData, string, number, string][] = [
      [multipart('', 'empty.csv'), '', 422, 'file-empty'],
      [multipart(new Uint8Array([0, 1, 2, 0, 0, 255, 0, 3]), 'x.csv'), '', 422, 'file-binary'],
      [multipart('PK\u0003\u0004 not really a zip', 'x.xlsx'), '', 422, 'xlsx-invalid'],
      [multipart('a,b\n'.repeat(10_000), 'big.csv'), '', 413, DataErrorCode.fileTooLarge],
      [multipart('a,b\n1,2\n', 'x.csv', '{not json'), '', 400, ImportErrorCode.schemaInvalid],
      [
        multipart(
          'a,b\nx,2\n',
          'x.csv',
          JSON.stringify({ fields: [{ name: 'a', type: 'integer' }, { name: 'b' }] }),
        ),
        '?strict=1',
        422,
        ImportErrorCode.rowsInvalid,
      ],
    ];
    for (const [body, query, status, code] of cases) {
      const answer = await importInto(h, 'refused', body, query);
      expect({ code: (answer.body.error as { code: string }).code, status: answer.status }).toEqual({
        code,
        status,
      });
    }
    expect(await h.registry.get('refused')).toBeNull();
    expect((await rowsOf(h, 'refused')).response.status).toBe(404);
    const empty = await h.relay.readDocument(roomName('refused', 'validated'), (doc) =>
      Y.encodeStateVector(doc),
    );
    expect(empty).toEqual(Y.encodeStateVector(new Y.Doc()));
  });

  it('refuses a malformed dataset id', async () => {
    const h = harness();
    const answer = await importInto(h, 'a.b', multipart('a\n1\n', 'x.csv'));
    expect(answer.status).toBe(400);
    expect((answer.body.error as { code: string }).code).toBe(DataErrorCode.badDatasetId);
  });

  it('runs two imports into a new dataset one after the other (one schema, all rows)', async () => {
    const h = harness();
    const [a, b] = await Promise.all([
      importInto(h, 'race', multipart(places, 'p.json')),
      importInto(h, 'race', multipart(places, 'p.json')),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 201]);
    const fields = await h.relay.readDocument(
      roomName('race', 'validated'),
      (doc) => doc.getArray('fields').length,
    );
    expect(fields).toBe(3);
    expect((await rowsOf(h, 'race')).body.total).toBe(8);
  });
});

describe('GET /api/datasets/:id/rows', () => {
  async function withPlaces(): Promise<Harness> {
    const h = harness();
    expect((await importInto(h, 'lieux', multipart(places, 'places.json'))).status).toBe(201);
    return h;
  }

  it('pages with limit/offset and a next link that leads to the following page', async () => {
    const h = harness();
    await importInto(h, 'laposte', multipart(fixture(LAPOSTE), 'laposte.csv'));
    const first = await rowsOf(h, 'laposte', '?limit=120');
    expect(first.body.total).toBe(300);
    expect(first.body.rows).toHaveLength(120);
    expect(first.response.headers.get('x-total-count')).toBe('300');
    expect(first.response.headers.get('link')).toContain('offset=120');
    const seen = new Set(first.body.rows.map((row) => row.id));
    let next = first.body.next;
    while (next) {
      const page = (await (await h.app.request(next)).json()) as {
        rows: { id: string }[];
        next: string | null;
      };
      for (const row of page.rows) seen.add(row.id);
      next = page.next;
    }
    expect(seen.size).toBe(300);
    expect((await rowsOf(h, 'laposte', '?limit=5000')).body.error?.code).toBe(RowsErrorCode.badPaging);
    expect((await rowsOf(h, 'laposte', '?offset=-1')).body.error?.code).toBe(RowsErrorCode.badPaging);
    expect((await rowsOf(h, 'laposte', '?format=xml')).body.error?.code).toBe(RowsErrorCode.badFormat);
  });

  it('searches all words, ignoring case and accents', async () => {
    const h = await withPlaces();
    const names = async (q: string) =>
      (await rowsOf(h, 'lieux', `?q=${encodeURIComponent(q)}`)).body.rows.map((row) => row.values.nom);
    expect(await names('besancon')).toEqual(['Mairie de Besançon', 'Hôtel de ville']);
    expect(await names('ECOLE dole')).toEqual(['École Jules Ferry']);
    expect(await names('hotel dole')).toEqual([]);
  });

  it('filters on fields and refuses an unknown field with a code', async () => {
    const h = await withPlaces();
    const dole = await rowsOf(h, 'lieux', '?filter.ville=Dole');
    expect(dole.body.rows.map((row) => row.values.nom)).toEqual(['École Jules Ferry', 'Gare de Dole']);
    const either = await rowsOf(h, 'lieux', '?filter.ville=Dole&filter.ville=Besancon&q=hotel');
    expect(either.body.total).toBe(1);
    const unknown = await rowsOf(h, 'lieux', '?filter.commune=Dole');
    expect(unknown.response.status).toBe(400);
    expect(unknown.body.error?.code).toBe(RowsErrorCode.unknownField);
  });

  it('answers 304 to a matching If-None-Match until the data changes', async () => {
    const h = await withPlaces();
    const first = await h.app.request('/api/datasets/lieux/rows?limit=2');
    const etag = first.headers.get('etag');
    expect(etag).toBeTruthy();
    const again = await h.app.request('/api/datasets/lieux/rows?limit=2', {
      headers: { 'If-None-Match': etag ?? '' },
    });
    expect(again.status).toBe(304);
    const otherQuery = await h.app.request('/api/datasets/lieux/rows?limit=3', {
      headers: { 'If-None-Match': etag ?? '' },
    });
    expect(otherQuery.status).toBe(200);
    // A live edit, as a client's would arrive through the relay.
    const room = roomName('lieux', 'validated');
    const edit = await h.relay.readDocument(room, (doc) => {
      const copy = new Y.Doc();
      Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
      const before = Y.encodeStateVector(copy);
      const id = readRows(copy)[0]?.id ?? '';
      setCell(copy, id, 'nom', 'Mairie', { id: 'u1' });
      return Y.encodeStateAsUpdate(copy, before);
    });
    await h.relay.applyServerUpdate(room, edit);
    const changed = await h.app.request('/api/datasets/lieux/rows?limit=2', {
      headers: { 'If-None-Match': etag ?? '' },
    });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
    expect(((await changed.json()) as { rows: { values: { nom: string } }[] }).rows[0]?.values.nom).toBe(
      'Mairie',
    );
  });

  it('is open to every origin for public datasets, preflight included', async () => {
    const h = await withPlaces();
    const rows = await h.app.request('/api/datasets/lieux/rows', {
      headers: { Origin: 'https://example.org' },
    });
    expect(rows.headers.get('access-control-allow-origin')).toBe('*');
    expect(rows.headers.get('access-control-expose-headers')).toContain('ETag');
    const preflight = await h.app.request('/api/datasets/lieux/rows', { method: 'OPTIONS' });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toContain('If-None-Match');
  });

  it('keeps CORS closed and answers what the access policy says for private datasets', async () => {
    const h = harness({
      access: {
        read: (c, id) =>
          id === 'secret' ? c.json({ error: { code: 'dataset_not_found' } }, 404) : { public: false },
        importInto: () => ({ actor: { id: 'owner' } }),
      },
    });
    await importInto(h, 'secret', multipart(places, 'p.json'));
    await importInto(h, 'members', multipart(places, 'p.json'));
    expect((await rowsOf(h, 'secret')).response.status).toBe(404);
    const members = await h.app.request('/api/datasets/members/rows');
    expect(members.status).toBe(200);
    expect(members.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('says what a re-user needs: licence, source, row count and the last change, with an ETag', async () => {
    const h = harness();
    const query = '?title=Lieux&licence=Licence%20Ouverte%202.0&source=Ville%20de%20Dole';
    expect((await importInto(h, 'lieux', multipart(places, 'places.json'), query)).status).toBe(201);
    const response = await h.app.request('/api/datasets/lieux');
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    const about = (await response.json()) as DatasetAbout;
    expect(about).toMatchObject({
      datasetId: 'lieux',
      title: 'Lieux',
      licence: 'Licence Ouverte 2.0',
      source: 'Ville de Dole',
      rowCount: 4,
    });
    expect(Number.isNaN(Date.parse(about.lastChange ?? ''))).toBe(false);
    const etag = response.headers.get('etag') ?? '';
    const same = await h.app.request('/api/datasets/lieux', { headers: { 'If-None-Match': etag } });
    expect(same.status).toBe(304);
    const missing = await h.app.request('/api/datasets/nope');
    expect(missing.status).toBe(404);
    expect(h.relay.roomsInMemory()).not.toContain(roomName('nope', 'validated'));
  });

  it('gives one record by its id, and row_not_found for an id it does not have', async () => {
    const h = await withPlaces();
    const [first] = (await rowsOf(h, 'lieux', '?limit=1')).body.rows;
    const response = await h.app.request(`/api/datasets/lieux/rows/${first?.id}`);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { row: unknown }).row).toEqual(first);
    const missing = await h.app.request('/api/datasets/lieux/rows/nope');
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe(
      DataErrorCode.rowNotFound,
    );
  });

  it('writes CSV with every value as stored, for re-users', async () => {
    const h = await withPlaces();
    const response = await h.app.request('/api/datasets/lieux/rows?format=csv');
    expect(response.headers.get('content-type')).toContain('text/csv');
    const text = await response.text();
    expect(text.split('\r\n')[0]).toBe('nom,ville,note');
    expect(text).toContain(',"=HYPERLINK(""http://evil"")"\r\n');
    expect(text).toContain(',@SUM(A1)\r\n');
    expect(text).toContain(',-3\r\n');
    const semicolons = new Uint8Array(
      await (await h.app.request('/api/datasets/lieux/rows?format=csv&bom=1&separator=%3B')).arrayBuffer(),
    );
    expect([...semicolons.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder().decode(semicolons)).toContain(';"=HYPERLINK');
    expect((await rowsOf(h, 'lieux', '?format=csv&separator=x')).response.status).toBe(400);
  });

  it("gives back La Poste's negative coordinates byte for byte", async () => {
    const h = harness();
    const file = fixture('packages/io/fixtures/laposte-negative-coordinates.csv');
    await importInto(h, 'reunion', multipart(file, 'laposte.csv'));
    const text = await (await h.app.request('/api/datasets/reunion/rows?format=csv&separator=%3B')).text();
    // The source is LF and ";"; the export is CRLF: same lines, same values.
    expect(text).toBe(new TextDecoder().decode(file).replaceAll('\n', '\r\n'));
    expect(text).toContain(';-21.0233281862,55.6195846061\r\n');
  });

  it('writes CSV for Excel: formulas neutralised, BOM and ";", numbers and coordinates untouched', async () => {
    const h = await withPlaces();
    const excel = new Uint8Array(
      await (await h.app.request('/api/datasets/lieux/rows?format=csv&for=excel')).arrayBuffer(),
    );
    expect([...excel.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(excel);
    expect(text.split('\r\n')[0]).toBe('nom;ville;note');
    expect(text).toContain(`;"'=HYPERLINK(""http://evil"")"\r\n`);
    expect(text).toContain(";'@SUM(A1)\r\n");
    expect(text).toContain(';-3\r\n');
    const tabs = new TextDecoder('utf-8', { ignoreBOM: true }).decode(
      await (
        await h.app.request('/api/datasets/lieux/rows?format=csv&for=excel&separator=tab')
      ).arrayBuffer(),
    );
    expect(tabs.split('\r\n')[0]).toBe('\uFEFFnom\tville\tnote');
    const wrong = await rowsOf(h, 'lieux', '?format=json&for=excel');
    expect(wrong.response.status).toBe(400);
    expect(wrong.body.error?.code).toBe(RowsErrorCode.badFormat);
    expect((await rowsOf(h, 'lieux', '?format=csv&for=calc')).response.status).toBe(400);
  });

  it('writes GeoJSON points from "lat,lon" coordinates', async () => {
    const h = harness();
    await importInto(h, 'laposte', multipart(fixture(LAPOSTE), 'laposte.csv'));
    const response = await h.app.request('/api/datasets/laposte/rows?format=geojson&limit=1');
    expect(response.headers.get('content-type')).toContain('application/geo+json');
    const geojson = (await response.json()) as {
      type: string;
      features: { geometry: { type: string; coordinates: number[] }; properties: Record<string, unknown> }[];
    };
    expect(geojson.type).toBe('FeatureCollection');
    expect(geojson.features).toHaveLength(1);
    expect(geojson.features[0]?.properties.Nom_commune).toBe('VERNAY');
    expect(geojson.features[0]?.geometry).toEqual({
      type: 'Point',
      coordinates: [4.52661139979, 46.1645022966],
    });
  });

  it('answers 404 for an unknown dataset without loading a room for it', async () => {
    const h = harness();
    const response = await h.app.request('/api/datasets/nope/rows');
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
      DataErrorCode.datasetNotFound,
    );
    expect(h.relay.roomsInMemory()).toEqual([]);
  });
});

describe('round trip over HTTP', () => {
  it('import, export CSV, import again: the same rows and values', async () => {
    const h = harness();
    const sources: [string, Uint8Array][] = [
      ['laposte.csv', fixture(LAPOSTE)],
      ['doubs.csv', fixture('packages/io/fixtures/doubs-bom-semicolon-empty-headers.csv')],
      ['places.json', new TextEncoder().encode(places)],
    ];
    for (const [index, [name, bytes]] of sources.entries()) {
      await importInto(h, `first${index}`, multipart(bytes, name));
      const csv = await (await h.app.request(`/api/datasets/first${index}/rows?format=csv`)).text();
      await importInto(h, `second${index}`, multipart(csv, 'export.csv'));
      const values = async (id: string) =>
        (await rowsOf(h, id, '?limit=1000')).body.rows.map((row) =>
          // The only change allowed: the apostrophe put before formula-like text.
          Object.fromEntries(
            Object.entries(row.values).map(([k, v]) => [
              k,
              typeof v === 'string' ? v.replace(/^'(?=[=+\-@\t\r])/, '') : v,
            ]),
          ),
        );
      const original = await values(`first${index}`);
      expect(original.length).toBeGreaterThan(0);
      expect(await values(`second${index}`)).toEqual(original);
    }
  });
});

describe('POST /api/datasets/:id/import: repairs said aloud', () => {
  const UNCLOSED = 'packages/io/fixtures/laposte-unclosed-quote.csv';
  const SHORT_ROWS = 'packages/io/fixtures/eucircos-excerpt-short-rows.csv';

  it('refuses an unclosed quote, naming its line, unless the repair is accepted; writes nothing before', async () => {
    const h = harness();
    const refused = await importInto(h, 'poste', multipart(fixture(UNCLOSED), 'poste.csv'));
    expect(refused.status).toBe(422);
    expect((refused.body.error as { code: string; message: string }).code).toBe('csv-unclosed-quote');
    expect((refused.body.error as { message: string }).message).toContain('line 5');
    expect(await h.registry.get('poste')).toBeNull();
    const dry = await importInto(
      h,
      'poste',
      multipart(fixture(UNCLOSED), 'poste.csv'),
      '?dryRun=1&acceptRepairs=1',
    );
    expect(dry.body).toMatchObject({ rowsRead: 37, repairs: [{ kind: 'unclosed-quote', line: 5, row: 4 }] });
    const accepted = await importInto(
      h,
      'poste',
      multipart(fixture(UNCLOSED), 'poste.csv'),
      '?acceptRepairs=1',
    );
    expect(accepted.status).toBe(201);
    expect(accepted.body).toMatchObject({ rowsImported: 37, repairs: [{ kind: 'unclosed-quote', line: 5 }] });
  });

  it('lists every padded row with its line, and strict=1 refuses the file for them', async () => {
    const h = harness();
    const strict = await importInto(h, 'circos', multipart(fixture(SHORT_ROWS), 'circos.csv'), '?strict=1');
    expect(strict.status).toBe(422);
    expect((strict.body.error as { code: string }).code).toBe('repairs-refused');
    expect(await h.registry.get('circos')).toBeNull();
    const made = await importInto(h, 'circos', multipart(fixture(SHORT_ROWS), 'circos.csv'));
    expect(made.status).toBe(201);
    expect(made.body.repairs).toEqual(
      [101, 102, 103].map((row) => ({ kind: 'short-row-padded', line: row + 1, row, detail: '13/14' })),
    );
  });
});

describe('POST /api/datasets/:id/import?dryRun=1', () => {
  const csv = 'nom,places,ville\nGare,4,Dole\nMairie,deux,Besançon\nÉcole,,Dole\nPoste,trois,Dole\n';
  const schema = JSON.stringify({
    fields: [
      { name: 'nom', type: 'string', constraints: { required: true } },
      { name: 'places', type: 'integer', constraints: { required: true } },
      { name: 'ville', type: 'string', constraints: { enum: ['Dole', 'Besançon'] } },
    ],
  });

  it('answers what the import would do, with errors per column and the offending rows, and writes nothing', async () => {
    const h = harness();
    const dry = await importInto(h, 'draft', multipart(csv, 'p.csv', schema), '?dryRun=1');
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({
      dryRun: true,
      wouldCreate: true,
      rowsRead: 4,
      schemaSource: 'given',
      schema: { fields: [{ name: 'nom' }, { name: 'places' }, { name: 'ville' }] },
      errorsByField: [{ field: 'places', count: 3, codes: { 'type-error': 2, 'constraint-error': 1 } }],
      validation: { errorCount: 3 },
    });
    const offending = dry.body.offendingRows as { row: number; values: Record<string, unknown> }[];
    expect(offending.map((r) => r.row)).toEqual([2, 3, 4]);
    expect(offending[0]?.values).toEqual({ nom: 'Mairie', places: 'deux', ville: 'Besançon' });
    // Nothing written: no dataset, no registry entry, and the real import still creates it.
    expect(await h.registry.get('draft')).toBeNull();
    expect((await rowsOf(h, 'draft')).response.status).toBe(404);
    expect((await importInto(h, 'draft', multipart(csv, 'p.csv', schema))).status).toBe(201);
  });

  it('counts every error per column but sends the first 1000 errors and 200 offending rows', async () => {
    const h = harness();
    const lines = Array.from({ length: 1500 }, (_, i) => `Lieu ${i},beaucoup,Dole`);
    const big = `nom,places,ville\n${lines.join('\n')}\n`;
    const dry = await importInto(h, 'big', multipart(big, 'big.csv', schema), '?dryRun=1');
    expect(dry.body).toMatchObject({
      rowsRead: 1500,
      errorsByField: [{ field: 'places', count: 1500 }],
      validation: { errorCount: 1500 },
    });
    expect((dry.body.validation as { errors: unknown[] }).errors).toHaveLength(DRY_RUN_LIMITS.errors);
    expect(dry.body.offendingRows).toHaveLength(DRY_RUN_LIMITS.rows);
  });

  it('runs the same custom checks as the import (opening hours, on the server only)', async () => {
    const h = harness();
    const covoit = readFileSync(join(repo, COVOIT, 'schema.json'), 'utf8');
    const dry = await importInto(
      h,
      'covoit-draft',
      multipart(fixture(`${COVOIT}/exemple-valide.csv`), 'v.csv', covoit),
      '?dryRun=1',
    );
    expect(dry.body).toMatchObject({
      dryRun: true,
      errorsByField: [{ field: 'horaires', count: 1, codes: { 'custom-check-error': 1 } }],
      validation: { errors: [expect.objectContaining({ field: 'horaires', code: 'custom-check-error' })] },
    });
  });

  it('gives the inferred schema when none is sent, so the owner can edit it and send it back', async () => {
    const h = harness();
    const dry = await importInto(h, 'inferred', multipart(csv, 'p.csv'), '?dryRun=1');
    expect(dry.body).toMatchObject({ schemaSource: 'inferred', validation: { valid: true } });
    const inferred = dry.body.schema as { fields: { name: string; type?: string }[] };
    expect(inferred.fields.map((f) => f.name)).toEqual(['nom', 'places', 'ville']);
    const edited = {
      ...inferred,
      fields: inferred.fields.map((f) => (f.name === 'places' ? { ...f, type: 'integer' } : f)),
    };
    const again = await importInto(
      h,
      'inferred',
      multipart(csv, 'p.csv', JSON.stringify(edited)),
      '?dryRun=1',
    );
    expect(again.body).toMatchObject({
      schemaSource: 'given',
      errorsByField: [{ field: 'places', count: 2 }],
    });
  });

  it('refuses a schema that is not one with the same code as the import, writing nothing', async () => {
    const h = harness();
    const dry = await importInto(h, 'bad', multipart(csv, 'p.csv', '{"fields": ['), '?dryRun=1');
    expect(dry.status).toBe(400);
    expect((dry.body.error as { code: string }).code).toBe(ImportErrorCode.schemaInvalid);
    expect(await h.registry.get('bad')).toBeNull();
  });

  it('a new dataset keeps the licence, source and owning hub given with the file', async () => {
    const h = harness();
    const made = await importInto(
      h,
      'described',
      multipart(csv, 'p.csv'),
      `?title=Lieux&hub=hub-nord&licence=${encodeURIComponent('Licence Ouverte 2.0')}&source=${encodeURIComponent('https://www.data.gouv.fr/')}`,
    );
    expect(made.status).toBe(201);
    const meta = await h.relay.readDocument(roomName('described', 'validated'), readMeta);
    expect(meta).toMatchObject({
      title: 'Lieux',
      licence: 'Licence Ouverte 2.0',
      source: 'https://www.data.gouv.fr/',
      hub: 'hub-nord',
    });
  });

  it('with new=1 refuses to append to a dataset that exists, and writes nothing', async () => {
    const h = harness();
    expect((await importInto(h, 'taken', multipart(csv, 'p.csv'), '?new=1')).status).toBe(201);
    const again = await importInto(h, 'taken', multipart(csv, 'p.csv'), '?new=1');
    expect(again.status).toBe(409);
    expect((again.body.error as { code: string }).code).toBe(DataErrorCode.datasetExists);
    expect((await rowsOf(h, 'taken')).body.total).toBe(4);
  });
});

describe('POST /api/datasets/:id/import: schema kinds and Datami custom props', () => {
  const INCLUSION_SCHEMA = 'packages/schema/fixtures/data-inclusion-schema/v1/structure.json';
  const PING = 'packages/schema/fixtures/datami-ping-tiers-lieux';

  it('validates JSON records against the data·inclusion JSON Schema, cell by cell, and stores it with the fields', async () => {
    const h = harness();
    const records = JSON.stringify([
      { source: 'dora', id: 'dora--1', nom: 'Centre social', date_maj: '2025-02-14', code_postal: '75001' },
      { source: 'dora', id: 'dora--2', nom: 'CS', date_maj: '2025-02-14', code_postal: '7500' },
    ]);
    const schemaText = readFileSync(join(repo, INCLUSION_SCHEMA), 'utf8');
    const dry = await importInto(h, 'structures', multipart(records, 's.json', schemaText), '?dryRun=1');
    expect(dry.status).toBe(200);
    const errors = (
      dry.body.validation as { errors: { row: number; field: string; code: string; constraint?: string }[] }
    ).errors;
    // Before: no field was read, and every column was "not in the schema" (extra-label).
    expect(errors.map((e) => [e.row, e.field, e.code, e.constraint])).toEqual([
      [2, 'code_postal', 'constraint-error', 'minLength'],
      [2, 'code_postal', 'constraint-error', 'pattern'],
      [2, 'nom', 'constraint-error', 'minLength'],
    ]);
    const schema = dry.body.schema as { fields: { name: string }[]; jsonSchema?: unknown };
    expect(schema.fields.map((f) => f.name)).toContain('code_postal');
    expect(schema.jsonSchema).toEqual(JSON.parse(schemaText));
    // Sent back as the wizard does (the fields with jsonSchema), it is still checked with the JSON Schema.
    const again = await importInto(
      h,
      'structures',
      multipart(records, 's.json', JSON.stringify(schema)),
      '?dryRun=1',
    );
    expect((again.body.validation as { errorCount: number }).errorCount).toBe(3);
  });

  it('refuses {} and kinds it does not read with stable codes, writing nothing', async () => {
    const h = harness();
    const cases: [string, string][] = [
      ['{}', ImportErrorCode.schemaInvalid],
      ['{"fields": []}', ImportErrorCode.schemaInvalid],
      [
        '{"$schema": "http://json-schema.org/draft-04/schema#", "type": "object", "properties": {}}',
        ImportErrorCode.schemaKindUnsupported,
      ],
      ['{"resources": []}', ImportErrorCode.schemaKindUnsupported],
    ];
    for (const [schemaText, code] of cases) {
      const answer = await importInto(h, 'kinds', multipart('a,b\n1,2\n', 'x.csv', schemaText));
      expect({
        schemaText,
        status: answer.status,
        code: (answer.body.error as { code: string }).code,
      }).toEqual({
        schemaText,
        status: 400,
        code,
      });
    }
    expect(await h.registry.get('kinds')).toBeNull();
  });

  it('applies Datami custom props sent as a customProps part: OUI/NON are booleans', async () => {
    const h = harness();
    const form = multipart(
      fixture(`${PING}/Ping-tiers-lieux-dataset.csv`),
      'Ping-tiers-lieux-dataset.csv',
      readFileSync(join(repo, PING, 'Ping-tiers-lieux-schema.json'), 'utf8'),
    );
    const without = await importInto(h, 'ping', form, '?dryRun=1');
    const count = (body: Record<string, unknown>, field: string) =>
      (body.errorsByField as { field: string; count: number }[]).find((f) => f.field === field)?.count ?? 0;
    expect(count(without.body, 'FABRIQUE_DE_TERRITOIRE')).toBe(162);
    form.set(
      'customProps',
      readFileSync(join(repo, PING, 'Ping-tiers-lieux-fields-custom-props.json'), 'utf8'),
    );
    const withProps = await importInto(h, 'ping', form, '?dryRun=1');
    expect(count(withProps.body, 'FABRIQUE_DE_TERRITOIRE')).toBe(0);
    expect(count(withProps.body, 'TYPOLOGIE')).toBe(0);
    expect(withProps.body.schemaNotes).toContainEqual({
      field: 'FABRIQUE_DE_TERRITOIRE',
      change: 'boolean-values-from-custom-props',
    });
    form.set('customProps', '{"columns": []}');
    const bad = await importInto(h, 'ping', form, '?dryRun=1');
    expect((bad.body.error as { code: string }).code).toBe(ImportErrorCode.customPropsInvalid);
  });
});

describe('on the real server, with accounts and roles', () => {
  it('GET /api/datasets/:id/about answers 200 to all: the facts to a reader, null for private or unknown alike', async () => {
    const t = await startAccessServer();
    cleanups.push(() => t.cleanup());
    const about = async (id: string, who: Who) => {
      const response = await fetch(`${t.server.url}/api/datasets/${id}/about`, { headers: t.headers(who) });
      expect(response.status).toBe(200);
      return ((await response.json()) as { dataset: DatasetAbout | null }).dataset;
    };
    expect(await about('lieux', 'anonymous')).toMatchObject({ datasetId: 'lieux', title: 'Lieux' });
    expect(await about('secret', 'anonymous')).toBeNull();
    expect(await about('secret', 'stranger')).toBeNull();
    expect(await about('nowhere', 'anonymous')).toBeNull();
    expect(await about('secret', 'reader')).toMatchObject({ datasetId: 'secret' });
  });

  it('reads follow visibility (CORS only when public); imports need a signed-in user, who owns the new private dataset', async () => {
    const t = await startAccessServer();
    cleanups.push(() => t.cleanup());
    const url = t.server.url;
    const get = (path: string, who: Who) => fetch(`${url}${path}`, { headers: t.headers(who) });
    const post = (id: string, who: Who, body: FormData) =>
      fetch(`${url}/api/datasets/${id}/import`, { method: 'POST', headers: t.headers(who), body });

    const open = await get('/api/datasets/lieux/rows', 'anonymous');
    expect(open.status).toBe(200);
    expect(open.headers.get('access-control-allow-origin')).toBe('*');
    expect((await get('/api/datasets/secret/rows', 'anonymous')).status).toBe(404);
    expect((await get('/api/datasets/secret/schema', 'stranger')).status).toBe(404);
    const member = await get('/api/datasets/secret/rows', 'reader');
    expect(member.status).toBe(200);
    expect(member.headers.get('access-control-allow-origin')).toBeNull();

    expect((await post('mine', 'anonymous', multipart(places, 'p.json'))).status).toBe(401);
    // A dry run asks the same access as the import it previews.
    const dryRun = (id: string, who: Who) =>
      fetch(`${url}/api/datasets/${id}/import?dryRun=1`, {
        method: 'POST',
        headers: t.headers(who),
        body: multipart(places, 'p.json'),
      });
    expect((await dryRun('mine', 'anonymous')).status).toBe(401);
    expect((await dryRun('lieux', 'reader')).status).toBe(403);
    expect((await dryRun('mine', 'stranger')).status).toBe(200);
    expect((await post('lieux', 'reader', multipart(places, 'p.json'))).status).toBe(403);
    expect((await post('lieux', 'editor', multipart('nom,places\nGare,4\n', 'more.csv'))).status).toBe(200);
    expect((await post('mine', 'stranger', multipart(fixture(LAPOSTE), 'laposte.csv'))).status).toBe(201);
    expect((await post('mine', 'stranger', multipart(fixture(LAPOSTE), 'laposte.csv'))).status).toBe(200);
    // A new dataset is private: others cannot even see it, its owner reads it without CORS.
    expect((await post('mine', 'reader', multipart(fixture(LAPOSTE), 'laposte.csv'))).status).toBe(404);
    expect((await get('/api/datasets/mine/rows', 'anonymous')).status).toBe(404);
    expect(
      (await get('/api/datasets/mine/rows', 'stranger')).headers.get('access-control-allow-origin'),
    ).toBeNull();

    // Round trip through the mounted routes: rows as CSV, imported again, the same rows.
    const csv = await (await get('/api/datasets/mine/rows?format=csv', 'stranger')).text();
    expect((await post('mine-again', 'stranger', multipart(csv, 'export.csv'))).status).toBe(201);
    const values = async (id: string) => {
      const all: unknown[] = [];
      let next: string | null = `/api/datasets/${id}/rows?limit=1000`;
      while (next) {
        const page = (await (await get(next, 'stranger')).json()) as {
          rows: { values: unknown }[];
          next: string | null;
        };
        all.push(...page.rows.map((row) => row.values));
        next = page.next;
      }
      return all;
    };
    const original = await values('mine');
    expect(original).toHaveLength(600);
    expect(await values('mine-again')).toEqual(original);
  }, 60_000);
});
