import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type ImportResult, importFile, readGeopoint } from './index.ts';

const fixture = (name: string) =>
  new Uint8Array(readFileSync(new URL(`../fixtures/${name}`, import.meta.url)));
const text = (s: string) => new TextEncoder().encode(s);

function ok(result: ImportResult) {
  if (!result.ok) throw new Error(`import failed: ${result.error.code}`);
  return result;
}

describe('CSV detection on real files', () => {
  it('reads a Mac Roman file with CR line ends and quoted line breaks (Excel for Mac export)', async () => {
    const { table, report } = ok(
      await importFile(fixture('nestenn-macroman-cr.csv'), { filename: 'nestenn.csv' }),
    );
    expect(report).toMatchObject({
      encoding: 'macintosh',
      separator: ';',
      lineEnd: 'CR',
      hasBom: false,
      rowCount: 385,
    });
    expect(table.rows[0]!.activite).toBe('Agence immobilière');
    expect(
      table.rows.some((row) => Object.values(row).some((v) => typeof v === 'string' && v.includes('\n'))),
    ).toBe(true);
  });

  it('strips a UTF-8 BOM, finds ";" and CRLF, and names the empty header cells', async () => {
    const { table, report } = ok(await importFile(fixture('doubs-bom-semicolon-empty-headers.csv')));
    expect(report).toMatchObject({
      encoding: 'utf-8',
      hasBom: true,
      separator: ';',
      lineEnd: 'CRLF',
      rowCount: 391,
    });
    expect(table.fields[0]).toBe('carto_id');
    expect(report.renamedHeaders.map((r) => [r.from, r.to, r.reason])).toEqual([
      ['', 'column_20', 'empty'],
      ['', 'column_21', 'empty'],
      ['', 'column_22', 'empty'],
      ['', 'column_23', 'empty'],
    ]);
    // The geocoder's output in the unnamed columns is kept, not dropped.
    expect(table.rows.filter((row) => row.column_20 !== '').length).toBeGreaterThan(50);
  });

  it('reads \\r\\r\\n line ends without an empty line after every row', async () => {
    const { table, report } = ok(await importFile(fixture('laposte-crcrlf-head.csv')));
    expect(report).toMatchObject({ lineEnd: 'CRCRLF', separator: ';', rowCount: 200, blankLinesSkipped: 0 });
    expect(table.fields.at(-1)).toBe('Ligne_5');
    expect(table.rows.every((row) => !String(row.Ligne_5).includes('\r'))).toBe(true);
  });

  it('splits on ", " and keeps quoted cells that follow the space', async () => {
    const { table, report } = ok(await importFile(fixture('dae-comma-space.csv')));
    expect(report.separator).toBe(', ');
    expect(table.fields.slice(0, 3)).toEqual(['nom', 'lat_coor1', 'long_coor1']);
    expect(table.rows[0]!.photo1).toMatch(/^http/);
  });

  it('pads short rows and reports each one with its row number', async () => {
    const { table, report } = ok(await importFile(fixture('eucircos-excerpt-short-rows.csv')));
    expect(report.rowCount).toBe(103);
    expect(report.repairs).toEqual(
      // Source lines 5113, 5174, 5184 are lines 102-104 of the excerpt.
      [101, 102, 103].map((row) => ({ row, line: row + 1, kind: 'short-row-padded', detail: '13/14' })),
    );
    expect(table.rows[100]!.éloignement).toBe('');
  });
});

describe('coordinates', () => {
  it('recognises a "lat,lon" text field', async () => {
    const { table, report } = ok(await importFile(fixture('laposte-latlon-head.csv')));
    expect(report.coordinates).toEqual([{ kind: 'lat-lon-text', field: 'coordonnees_gps' }]);
    expect(readGeopoint(table.rows[0]!, report.coordinates[0]!)).toEqual({
      lat: 46.1645022966,
      lon: 4.52661139979,
    });
  });

  it('recognises a "[lon,lat]" field', async () => {
    const { table, report } = ok(await importFile(fixture('irve-lonlat-array.csv')));
    const detection = report.coordinates.find((c) => c.kind === 'lon-lat-array')!;
    expect(detection).toEqual({ kind: 'lon-lat-array', field: 'coordonneesXY' });
    const point = readGeopoint(table.rows[0]!, detection)!;
    expect(point.lat).toBeGreaterThan(40);
  });

  it('recognises latitude/longitude columns and a GeoJSON geometry in a cell', async () => {
    const { table, report } = ok(await importFile(fixture('sanisettes-paris-geojson-cell.csv')));
    expect(report.coordinates).toEqual([
      { kind: 'latitude-longitude-fields', latitude: 'geo_point_2d_lat', longitude: 'geo_point_2d_long' },
      { kind: 'geojson-geometry', field: 'geo_shape' },
    ]);
    const [columns, geometry] = report.coordinates;
    const a = readGeopoint(table.rows[0]!, columns!)!;
    const b = readGeopoint(table.rows[0]!, geometry!)!;
    expect(Math.abs(a.lat - b.lat)).toBeLessThan(0.001);
  });
});

describe('CSV detection on small made-up files', () => {
  it('decodes Windows-1252 (with € in 0x80) and reports it', async () => {
    const bytes = new Uint8Array([...text('nom;prix\nCaf'), 0xe9, ...text(';3 '), 0x80, 0x0a]);
    const { table, report } = ok(await importFile(bytes));
    expect(report.encoding).toBe('windows-1252');
    expect(table.rows[0]).toEqual({ nom: 'Café', prix: '3 €' });
  });

  it('reports ISO-8859-1 when no byte falls in 0x80-0x9F', async () => {
    const bytes = new Uint8Array([
      ...text('nom,ville\n'),
      ...[...'Hélène,Orléans\nFrançois,Besançon\nZoé,Nîmes\nAnaïs,Sète\nJérôme,Angoulême\n'].map((c) =>
        c.charCodeAt(0),
      ),
    ]);
    const { table, report } = ok(await importFile(bytes));
    expect(report.encoding).toBe('iso-8859-1');
    expect(table.rows[4]).toEqual({ nom: 'Jérôme', ville: 'Angoulême' });
  });

  it('decodes UTF-16 with its byte order mark', async () => {
    const utf16 = [0xff, 0xfe, ...[...'nom;ville\nZoé;Sète\n'].flatMap((c) => [c.charCodeAt(0), 0])];
    const { table, report } = ok(await importFile(new Uint8Array(utf16)));
    expect(report).toMatchObject({ encoding: 'utf-16le', hasBom: true, separator: ';' });
    expect(table.rows).toEqual([{ nom: 'Zoé', ville: 'Sète' }]);
  });

  it.each([
    ['tab', 'a\tb\n1\t2\n3\t4\n', '\t'],
    ['pipe', 'a|b\n1|2\n3|4\n', '|'],
    ['comma with quoted separators', 'a,b\n"1,5",2\n"3;4",4\n', ','],
  ])('finds the %s separator', async (_, csv, separator) => {
    const { table, report } = ok(await importFile(text(csv)));
    expect(report.separator).toBe(separator);
    expect(table.fields).toEqual(['a', 'b']);
    expect(table.rows).toHaveLength(2);
  });

  it('renames duplicate and padded header names and says so', async () => {
    const { table, report } = ok(await importFile(text(' nom ,nom,,nom\n1,2,3,4\n')));
    expect(table.fields).toEqual(['nom', 'nom_2', 'column_3', 'nom_3']);
    expect(report.renamedHeaders.map((r) => r.reason)).toEqual([
      'trimmed',
      'duplicate',
      'empty',
      'duplicate',
    ]);
  });

  it('keeps the extra cells of a long row in a new column instead of dropping them', async () => {
    const { table, report } = ok(await importFile(text('a,b\n1,2\n3,4,surplus\n5,6,,\n')));
    expect(table.fields).toEqual(['a', 'b', 'column_3']);
    expect(table.rows).toEqual([
      { a: '1', b: '2', column_3: '' },
      { a: '3', b: '4', column_3: 'surplus' },
      { a: '5', b: '6', column_3: '' },
    ]);
    expect(report.repairs.map((r) => [r.row, r.kind])).toEqual([
      [2, 'long-row-extra-cells-kept'],
      [3, 'long-row-empty-cells-removed'],
    ]);
  });

  it('counts blank lines between rows but not the final line end', async () => {
    const { report } = ok(await importFile(text('a,b\n1,2\n\n3,4\n')));
    expect(report).toMatchObject({ rowCount: 2, blankLinesSkipped: 1 });
  });

  it('keeps UTF-8 when a few Windows-1252 bytes were pasted into it, and counts them', async () => {
    const bytes = new Uint8Array([...text('nom,ville\nZoé,Besançon\nCaf'), 0xe9, ...text(',Sète\n')]);
    const { table, report } = ok(await importFile(bytes));
    expect(report).toMatchObject({ encoding: 'utf-8', strayBytes: 1 });
    expect(table.rows[1]).toEqual({ nom: 'Café', ville: 'Sète' });
  });

  it('keeps UTF-8 when a file was cut in the middle of its last character', async () => {
    const whole = text('nom,ville\nZoé,Besançon\nHélène,Sète\n');
    const cut = whole.subarray(0, whole.length - 4); // inside the "è" of Sète
    const { table, report } = ok(await importFile(cut));
    expect(report.encoding).toBe('utf-8');
    expect(table.rows).toEqual([
      { nom: 'Zoé', ville: 'Besançon' },
      { nom: 'Hélène', ville: 'S\uFFFD' },
    ]);
    expect(report.repairs).toEqual([{ row: 2, line: 3, kind: 'truncated-character' }]);
  });

  it('reports a quote left open by a truncated file, and reads it as a character', async () => {
    const { table, report } = ok(await importFile(text('a,b\n1,2\n3,"coupé')));
    expect(table.rows).toEqual([
      { a: '1', b: '2' },
      { a: '3', b: '"coupé' },
    ]);
    expect(report.repairs).toEqual([{ row: 2, line: 3, kind: 'unclosed-quote' }]);
  });

  it('keeps a stray quote inside a quoted cell as a character and says so', async () => {
    const { table, report } = ok(await importFile(text('a,b\n1,"dit "non" merci"\n2,"x\ny"\n')));
    expect(table.rows).toEqual([
      { a: '1', b: 'dit "non" merci' },
      { a: '2', b: 'x\ny' },
    ]);
    expect(report.repairs).toEqual([{ row: 1, line: 2, kind: 'stray-quote-kept', detail: '1 line' }]);
  });
});

describe('JSON and GeoJSON', () => {
  it('reads an array of objects, union of keys, nested values as JSON text', async () => {
    const json = JSON.stringify([
      { id: 1, nom: 'A' },
      { id: 2, tags: ['x'], ouvert: true },
    ]);
    const { table, report } = ok(await importFile(text(json), { filename: 'data.json' }));
    expect(table.fields).toEqual(['id', 'nom', 'tags', 'ouvert']);
    expect(table.rows[1]).toEqual({ id: 2, nom: null, tags: '["x"]', ouvert: true });
    expect(report.repairs).toEqual([{ row: 2, kind: 'nested-value-stringified' }]);
  });

  it('reads a FeatureCollection of points: properties become fields, coordinates lat/lon', async () => {
    const geojson = {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          geometry: { type: 'Point', coordinates: [2.35, 48.85] },
          properties: { nom: 'Paris' },
        },
        { type: 'Feature', geometry: null, properties: { nom: 'Nulle part' } },
      ],
    };
    const { table, report } = ok(await importFile(text(JSON.stringify(geojson))));
    expect(report.format).toBe('geojson');
    expect(table.rows).toEqual([
      { nom: 'Paris', latitude: 48.85, longitude: 2.35 },
      { nom: 'Nulle part', latitude: null, longitude: null },
    ]);
    expect(report.repairs).toEqual([{ row: 2, kind: 'feature-without-point', detail: 'null' }]);
    expect(report.coordinates).toEqual([
      { kind: 'latitude-longitude-fields', latitude: 'latitude', longitude: 'longitude' },
    ]);
  });

  it('never overwrites a property already called latitude', async () => {
    const geojson = {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          geometry: { type: 'Point', coordinates: [1, 2] },
          properties: { latitude: 'haute' },
        },
      ],
    };
    const { table } = ok(await importFile(text(JSON.stringify(geojson)), { format: 'geojson' }));
    expect(table.rows[0]).toEqual({ latitude: 'haute', latitude_2: 2, longitude: 1 });
  });
});

describe('bad input gets a coded error', () => {
  it.each([
    ['an empty file', new Uint8Array(), 'file-empty'],
    ['a BOM and blank lines only', new Uint8Array([0xef, 0xbb, 0xbf, 0x0a, 0x0a]), 'file-empty'],
    ['a binary file', new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1, 2, 3]), 'file-binary'],
    ['a truncated JSON', text('[{"a": 1}, {"a"'), 'json-invalid'],
    ['a JSON that is not a table', text('{"a": 1}'), 'json-not-a-table'],
    ['a truncated XLSX', new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]), 'xlsx-invalid'],
  ])('%s', async (_, bytes, code) => {
    const result = await importFile(bytes);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe(code);
      expect(result.error.message.fr).not.toBe('');
      expect(result.error.message.en).not.toBe('');
    }
  });

  it('refuses a file above the cap before reading it', async () => {
    // A 500 MB file is refused the same way: only its length is looked at.
    const result = await importFile(new Uint8Array(2048), { maxBytes: 1024 });
    expect(result).toMatchObject({ ok: false, error: { code: 'file-too-large' } });
  });
});

describe('awkward names', () => {
  it('a column called __proto__ is renamed, not lost', async () => {
    const { table, report } = ok(await importFile(text('__proto__,b\n1,2\n')));
    expect(table.rows[0]).toEqual({ _proto_: '1', b: '2' });
    expect(report.renamedHeaders[0]).toMatchObject({ from: '__proto__', to: '_proto_', reason: 'reserved' });
    const json = ok(await importFile(text('[{"__proto__": "x", "a": 1}]')));
    expect(json.table.rows[0]).toEqual({ _proto_: 'x', a: 1 });
  });

  it('reads a .tsv by its name', async () => {
    const tsv = ok(await importFile(text('a\tb\n1\t2\n'), { filename: 'x.TSV' }));
    expect(tsv.report).toMatchObject({ format: 'tsv', separator: '\t' });
  });
});
