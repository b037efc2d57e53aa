import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import writeXlsxFile from 'write-excel-file/universal';
import { exportTable, importFile, type Table } from './index.ts';

const table: Table = {
  fields: ['nom', 'solde', 'note', 'ouvert'],
  rows: [
    { nom: '=HYPERLINK("http://evil")', solde: '-12.5', note: '@SUM(A1)', ouvert: 'true' },
    { nom: 'Café; "chez Zoé"', solde: -3, note: '-moins', ouvert: null },
    { nom: 'Ligne\nsur deux', solde: '+33', note: '\tcaché', ouvert: false },
  ],
};
const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

function ok(result: Awaited<ReturnType<typeof importFile>>) {
  if (!result.ok) throw new Error(`import failed: ${result.error.code}`);
  return result;
}

describe('CSV export for spreadsheet users', () => {
  it('neutralises formulas but keeps plain negative and signed numbers readable', async () => {
    const { table: back } = ok(await importFile(await exportTable(table, { format: 'csv' })));
    expect(back.rows.map((r) => [r.nom, r.solde, r.note])).toEqual([
      ['\'=HYPERLINK("http://evil")', '-12.5', "'@SUM(A1)"],
      ['Café; "chez Zoé"', '-3', "'-moins"],
      ['Ligne\nsur deux', '+33', "'\tcaché"],
    ]);
  });

  it('writes a BOM and ";" on request, and CRLF line ends', async () => {
    const bytes = await exportTable(table, { format: 'csv', bom: true, separator: ';' });
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(decode(bytes)).toContain('nom;solde;note;ouvert\r\n');
    const { report } = ok(await importFile(bytes));
    expect(report).toMatchObject({ hasBom: true, separator: ';', lineEnd: 'CRLF', rowCount: 3 });
  });
});

describe('XLSX', () => {
  it('round-trips a table through XLSX, first sheet or a chosen one', async () => {
    const bytes = await exportTable(table, { format: 'xlsx' });
    const { table: back, report } = ok(await importFile(bytes, { filename: 'export.xlsx' }));
    expect(report.format).toBe('xlsx');
    expect(back.fields).toEqual(table.fields);
    expect(back.rows[1]).toEqual({ nom: 'Café; "chez Zoé"', solde: -3, note: '-moins', ouvert: null });
    expect(back.rows[2]!.ouvert).toBe(false);
    // A text cell in XLSX is a string, not a formula: it comes back exactly as it was.
    expect(back.rows[0]!.nom).toBe('=HYPERLINK("http://evil")');
    const chosen = await importFile(bytes, { format: 'xlsx', sheet: 'Absente' });
    expect(chosen).toMatchObject({ ok: false, error: { code: 'xlsx-sheet-not-found' } });
  });

  it('reads a chosen sheet by name or 0-based position', async () => {
    const sheets = [
      { sheet: 'Lieux', data: [[{ value: 'nom' }], [{ value: 'Mairie' }]] },
      { sheet: 'Horaires', data: [[{ value: 'jour' }], [{ value: 'lundi' }]] },
    ];
    const bytes = new Uint8Array(await (await writeXlsxFile(sheets as never).toBlob()).arrayBuffer());
    const first = ok(await importFile(bytes));
    expect(first.table.rows).toEqual([{ nom: 'Mairie' }]);
    const byName = ok(await importFile(bytes, { sheet: 'Horaires' }));
    const byPosition = ok(await importFile(bytes, { sheet: 1 }));
    expect(byName.table.rows).toEqual([{ jour: 'lundi' }]);
    expect(byPosition.table.rows).toEqual([{ jour: 'lundi' }]);
    expect(byName.report.sheet).toBe('Horaires');
  });

  it('refuses a zip bomb whose directory tells the truth, without inflating it', async () => {
    const bomb = zipSync({ 'xl/worksheets/sheet1.xml': new Uint8Array(20 * 1024 * 1024) }, { level: 9 });
    expect(bomb.length).toBeLessThan(100 * 1024);
    const result = await importFile(bomb, { filename: 'bombe.xlsx', maxExpandedBytes: 5 * 1024 * 1024 });
    expect(result).toMatchObject({ ok: false, error: { code: 'xlsx-zip-bomb' } });
  });

  it('refuses a zip bomb whose directory lies about the sizes', async () => {
    const bomb = zipSync({ 'xl/worksheets/sheet1.xml': new Uint8Array(20 * 1024 * 1024) }, { level: 9 });
    // Rewrite every declared uncompressed size (local header offset 22, central directory 24) to 1 KB.
    const view = new DataView(bomb.buffer, bomb.byteOffset, bomb.byteLength);
    for (let i = 0; i < bomb.length - 4; i++) {
      const signature = view.getUint32(i, true);
      if (signature === 0x04034b50) view.setUint32(i + 22, 1024, true);
      if (signature === 0x02014b50) view.setUint32(i + 24, 1024, true);
    }
    const result = await importFile(bomb, { filename: 'bombe.xlsx', maxExpandedBytes: 5 * 1024 * 1024 });
    // Caught by the streaming count, since the directory check passes.
    expect(result).toMatchObject({ ok: false, error: { code: 'xlsx-zip-bomb' } });
  });
});

describe('JSON, GeoJSON and data package', () => {
  it('writes JSON rows with every field', async () => {
    const rows = JSON.parse(decode(await exportTable(table, { format: 'json' })));
    expect(rows[1]).toEqual({ nom: 'Café; "chez Zoé"', solde: -3, note: '-moins', ouvert: null });
  });

  it('writes GeoJSON points from the detected coordinates', async () => {
    const places: Table = {
      fields: ['nom', 'lat', 'lon'],
      rows: [
        { nom: 'Lille', lat: '50.63', lon: '3.06' },
        { nom: 'Sans point', lat: '', lon: '' },
      ],
    };
    const collection = JSON.parse(decode(await exportTable(places, { format: 'geojson' })));
    expect(collection.features[0].geometry).toEqual({ type: 'Point', coordinates: [3.06, 50.63] });
    expect(collection.features[1].geometry).toBeNull();
    const back = ok(await importFile(await exportTable(places, { format: 'geojson' })));
    expect(back.table.rows[0]).toMatchObject({ nom: 'Lille', latitude: 50.63, longitude: 3.06 });
  });

  it('writes a data package zip: descriptor, data CSV without formula escaping, schema', async () => {
    const schema = { fields: table.fields.map((name) => ({ name, type: 'string' })) };
    const files = unzipSync(await exportTable(table, { format: 'datapackage', schema, name: 'Mes Lieux' }));
    const descriptor = JSON.parse(decode(files['datapackage.json']!));
    expect(descriptor).toMatchObject({
      name: 'mes-lieux',
      resources: [{ path: 'data.csv', schema: 'schema.json' }],
    });
    expect(JSON.parse(decode(files['schema.json']!))).toEqual(schema);
    const { table: back } = ok(await importFile(files['data.csv']!));
    expect(back.rows[0]!.nom).toBe('=HYPERLINK("http://evil")');
  });
});

// Every real dataset: import, export to CSV, import again gives the same rows and values.
const sharedData = new URL('../../../../shared/data/', import.meta.url).pathname;
const fixtureDirs = ['../fixtures/', '../../schema/fixtures/'].map(
  (d) => new URL(d, import.meta.url).pathname,
);
const useShared = existsSync(sharedData);
if (!useShared) console.log(`[io round trip] ${sharedData} is absent: using the committed fixtures only`);

function csvFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return csvFiles(path);
    return name.endsWith('.csv') ? [path] : [];
  });
}

describe('round trip of every dataset through CSV', () => {
  const files = (useShared ? [sharedData] : fixtureDirs).flatMap(csvFiles);
  it.each(files.map((f) => [f.replace(/^.*\/(shared\/data|fixtures)\//, ''), f]))('%s', async (_, path) => {
    const first = ok(await importFile(new Uint8Array(readFileSync(path))));
    const exported = await exportTable(first.table, { format: 'csv' });
    const second = ok(await importFile(exported));
    expect(second.table.fields).toEqual(first.table.fields);
    expect(second.table.rows.length).toBe(first.table.rows.length);
    // The only allowed difference is the apostrophe that neutralises a formula-like text.
    second.table.rows.forEach((row, i) => {
      for (const field of first.table.fields) {
        const before = first.table.rows[i]![field];
        const after = row[field];
        if (after !== before) expect(after).toBe(`'${before}`);
      }
    });
    const raw = ok(
      await importFile(await exportTable(first.table, { format: 'csv', neutraliseFormulas: false })),
    );
    expect(raw.table.rows).toEqual(first.table.rows);
  });
});
