import { describe, expect, it } from 'vitest';
import { createFromFile, dryRunImport, readDryRun, slugOf } from './dry-run.ts';
import { columnReports, offendingRows, pageOf } from './offending-cells.ts';

// The shape of the server's dry-run answer (sync-server/src/data/dataset-import.ts, dryRunAnswer).
const answer = {
  dryRun: true,
  datasetId: 'draft',
  wouldCreate: true,
  rowsRead: 3,
  schemaSource: 'inferred',
  schemaNotes: [{ field: 'x', change: 'type-defaulted-to-string' }],
  schema: { fields: [{ name: 'nom' }, { name: 'places', type: 'integer' }] },
  importReport: {
    format: 'csv',
    encoding: 'windows-1252',
    hasBom: false,
    strayBytes: 0,
    separator: ';',
    lineEnd: 'CRLF',
    sheet: null,
    rowCount: 3,
    renamedHeaders: [{ column: 2, from: '', to: 'column_3', reason: 'empty' }],
    repairs: [
      { row: 2, kind: 'short-row-padded' },
      { row: 3, kind: 'short-row-padded' },
    ],
    repairCount: 2,
    blankLinesSkipped: 1,
    coordinates: [{ kind: 'lat-lon-text', field: 'coordonnees' }],
  },
  validation: {
    valid: false,
    errorCount: 3,
    errors: [
      { row: 2, field: 'places', code: 'type-error', message: { fr: 'pas un entier', en: 'not an integer' } },
      { row: 3, field: 'places', code: 'type-error', message: { fr: 'pas un entier', en: 'not an integer' } },
      { row: 3, field: 'nom', code: 'constraint-error', message: { fr: 'obligatoire', en: 'required' } },
    ],
  },
  errorsByField: [
    { field: 'places', count: 2, codes: { 'type-error': 2 } },
    { field: 'nom', count: 1, codes: { 'constraint-error': 1 } },
  ],
  offendingRows: [
    { row: 2, values: { nom: 'Mairie', places: 'deux' } },
    { row: 3, values: { nom: null, places: 'trois' } },
  ],
};

describe('reading the dry run', () => {
  it('reads the detection, the schema and the errors in the user’s language', () => {
    const run = readDryRun(answer, 'fr');
    expect(run).toMatchObject({
      rowsRead: 3,
      schemaSource: 'inferred',
      schemaNotes: [{ field: 'x', change: 'type-defaulted-to-string' }],
      detection: {
        encoding: 'windows-1252',
        separator: ';',
        repairCount: 2,
        repairsByKind: [{ kind: 'short-row-padded', count: 2, firstRow: 2 }],
        renamedHeaders: [{ from: '', to: 'column_3', reason: 'empty' }],
        blankLinesSkipped: 1,
        coordinates: [{ kind: 'lat-lon-text', fields: ['coordonnees'] }],
      },
      errorCount: 3,
      errors: [{ row: 2, field: 'places', message: 'pas un entier' }, {}, {}],
    });
    expect(readDryRun(answer, 'en')?.errors[2]?.message).toBe('required');
  });

  it('reads leniently: a missing part is empty, an answer without a schema is no dry run', () => {
    expect(readDryRun({ dryRun: true, schema: { fields: [] } }, 'fr')).toMatchObject({
      rowsRead: 0,
      errors: [],
      detection: { repairsByKind: [], renamedHeaders: [] },
    });
    expect(readDryRun({ dryRun: true }, 'fr')).toBeNull();
    expect(readDryRun({ created: true }, 'fr')).toBeNull();
    expect(readDryRun(null, 'fr')).toBeNull();
  });
});

describe('the validation report and the offending cells', () => {
  const run = readDryRun(answer, 'en')!;

  it('gives each column its count and its first offending cells with their values', () => {
    expect(columnReports(run)).toEqual([
      {
        field: 'places',
        count: 2,
        codes: { 'type-error': 2 },
        firstCells: [
          { row: 2, value: 'deux', message: 'not an integer' },
          { row: 3, value: 'trois', message: 'not an integer' },
        ],
      },
      {
        field: 'nom',
        count: 1,
        codes: { 'constraint-error': 1 },
        firstCells: [{ row: 3, value: null, message: 'required' }],
      },
    ]);
  });

  it('lists a cell that breaks two rules once, with both messages (a JSON Schema pattern and length)', () => {
    const twice = {
      ...run,
      errorsByField: [{ field: 'cp', count: 2, codes: { 'constraint-error': 2 } }],
      errors: [
        { row: 2, field: 'cp', code: 'constraint-error', message: 'at least 5 characters' },
        { row: 2, field: 'cp', code: 'constraint-error', message: 'pattern ^\\d{5}$' },
      ],
      offendingRows: [{ row: 2, values: { cp: '7500' } }],
    };
    expect(columnReports(twice)[0]?.firstCells).toEqual([
      { row: 2, value: '7500', message: 'at least 5 characters ; pattern ^\\d{5}$' },
    ]);
  });

  it('marks exactly the bad cells of each offending row, and can keep one column’s rows', () => {
    const all = offendingRows(run);
    expect(all.map((r) => [r.row, [...r.bad.keys()]])).toEqual([
      [2, ['places']],
      [3, ['places', 'nom']],
    ]);
    expect(offendingRows(run, 'nom').map((r) => r.row)).toEqual([3]);
  });

  it('pages the offending rows, the page kept inside the range', () => {
    const rows = Array.from({ length: 45 }, (_, i) => ({ row: i + 1, values: {}, bad: new Map() }));
    expect(pageOf(rows, 0)).toMatchObject({ page: 0, pages: 3, total: 45 });
    expect(pageOf(rows, 2).rows.map((r) => r.row)).toEqual([41, 42, 43, 44, 45]);
    expect(pageOf(rows, 9).page).toBe(2);
    expect(pageOf([], 0)).toMatchObject({ page: 0, pages: 1, rows: [] });
  });
});

describe('talking to the import route', () => {
  const file = new File(['nom\nGare\n'], 'lieux.csv');

  it('a dry run sends the file and the edited schema, and a refusal keeps the server’s code and French message', async () => {
    const calls: { url: string; body: FormData }[] = [];
    const refusing = (async (url: string, init: RequestInit) => {
      calls.push({ url, body: init.body as FormData });
      return new Response(
        JSON.stringify({ error: { code: 'schema_invalid', message: 'bad', fr: 'mauvais' } }),
        {
          status: 400,
        },
      );
    }) as unknown as typeof fetch;
    const refused = await dryRunImport(refusing, 'draft-1', file, { fields: [{ name: 'nom' }] }, 'fr');
    expect(refused).toEqual({
      ok: false,
      error: { code: 'schema_invalid', message: 'mauvais', status: 400 },
    });
    expect(calls[0]?.url).toBe('/api/datasets/draft-1/import?dryRun=1');
    expect(JSON.parse(String(calls[0]?.body.get('schema')))).toEqual({ fields: [{ name: 'nom' }] });
  });

  it('creating sends the metadata given and nothing empty', async () => {
    let seen = '';
    const creating = (async (url: string) => {
      seen = url;
      return new Response(JSON.stringify({ datasetId: 'lieux', created: true, rowsImported: 1 }), {
        status: 201,
      });
    }) as unknown as typeof fetch;
    const made = await createFromFile(
      creating,
      'lieux',
      file,
      { fields: [{ name: 'nom' }] },
      { title: 'Lieux', description: ' ', licence: 'ODbL', source: '', hub: 'hub-sud' },
      'en',
    );
    expect(made).toEqual({ ok: true, value: { datasetId: 'lieux', rowsImported: 1 } });
    expect(seen).toBe('/api/datasets/lieux/import?new=1&title=Lieux&licence=ODbL&hub=hub-sud');
  });

  it('an unclosed quote: the refusal lists the repairs, and accepting them is asked of the dry run and the import', async () => {
    const repairs = [{ kind: 'unclosed-quote', line: 5, row: 4 }];
    const urls: string[] = [];
    const server = (async (url: string) => {
      urls.push(url);
      if (!url.includes('acceptRepairs=1'))
        return new Response(
          JSON.stringify({
            error: { code: 'csv-unclosed-quote', message: 'line 5', fr: 'ligne 5' },
            repairs,
          }),
          { status: 422 },
        );
      if (url.includes('dryRun=1'))
        return new Response(
          JSON.stringify({ ...answer, repairs, importReport: { ...answer.importReport, repairCount: 1 } }),
        );
      return new Response(JSON.stringify({ datasetId: 'poste', rowsImported: 37 }), { status: 201 });
    }) as unknown as typeof fetch;
    const refused = await dryRunImport(server, 'draft-2', file, null, 'fr');
    expect(refused).toEqual({
      ok: false,
      error: {
        code: 'csv-unclosed-quote',
        message: 'ligne 5',
        status: 422,
        repairs: [{ kind: 'unclosed-quote', line: 5, row: 4, column: null, detail: null }],
      },
    });
    const accepted = await dryRunImport(server, 'draft-2', file, null, 'fr', true);
    expect(accepted.ok && accepted.value.detection.repairs).toEqual([
      { kind: 'unclosed-quote', line: 5, row: 4, column: null, detail: null },
    ]);
    const meta = { title: 'Poste', description: '', licence: '', source: '', acceptRepairs: true };
    expect((await createFromFile(server, 'poste', file, { fields: [] }, meta, 'fr')).ok).toBe(true);
    expect(urls).toEqual([
      '/api/datasets/draft-2/import?dryRun=1',
      '/api/datasets/draft-2/import?dryRun=1&acceptRepairs=1',
      '/api/datasets/poste/import?new=1&acceptRepairs=1&title=Poste',
    ]);
  });

  it('a network failure is a value', async () => {
    const offline = (async () => {
      throw new TypeError('offline');
    }) as unknown as typeof fetch;
    expect(await dryRunImport(offline, 'd', file, null, 'fr')).toMatchObject({
      ok: false,
      error: { code: 'network' },
    });
  });

  it('a dataset id from a title', () => {
    expect(slugOf('Lieux d’inclusion numérique — Doubs')).toBe('lieux-d-inclusion-numerique-doubs');
  });
});
