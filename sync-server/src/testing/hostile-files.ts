/**
 * Hostile files for the import tests and `bench/abuse.ts`, made in memory: a workbook of many small rows (the
 * 1,000,000-row XLSX of issue 14) and a zip bomb whose directory lies about its sizes.
 * Invariant: every file is a well-formed zip; the bomb's only lie is its declared sizes.
 */
import { crc32, deflateRawSync } from 'node:zlib';

const text = (value: string): Uint8Array => Buffer.from(value, 'utf8');

const CONTENT_TYPES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`;
const ROOT_RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`;
const WORKBOOK = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Lieux" sheetId="1" r:id="rId1"/></sheets></workbook>`;
const WORKBOOK_RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`;
const TOWNS = ['Paris', 'Lyon', 'Marseille', 'Lille', 'Rennes', 'Nantes', 'Dijon', 'Metz'];
const SHARED_STRINGS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="${TOWNS.length + 3}" uniqueCount="${TOWNS.length + 3}">${['id', 'ville', 'places', ...TOWNS].map((s) => `<si><t>${s}</t></si>`).join('')}</sst>`;

/** The worksheet XML of `rows` data rows (id, ville, places) under a header row. */
function sheetXml(rows: number): Uint8Array {
  const parts: string[] = [
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>',
    '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row>',
  ];
  for (let i = 1; i <= rows; i++) {
    const r = i + 1;
    parts.push(
      `<row r="${r}"><c r="A${r}"><v>${i}</v></c><c r="B${r}" t="s"><v>${3 + (i % TOWNS.length)}</v></c><c r="C${r}"><v>${i % 97}</v></c></row>`,
    );
  }
  parts.push('</sheetData></worksheet>');
  return text(parts.join(''));
}

/**
 * A zip of deflated entries (zlib: native, fast). `declaredSize` replaces every entry's
 * uncompressed size in both its local header and the central directory: a check of the
 * directory alone then lets it through.
 */
function zip(entries: Record<string, Uint8Array>, declaredSize?: number): Uint8Array {
  const parts: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of Object.entries(entries)) {
    const nameBytes = Buffer.from(name, 'utf8');
    const data = deflateRawSync(content, { level: 6 });
    const crc = crc32(content);
    const size = declaredSize ?? content.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed to extract
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    parts.push(local, nameBytes, data);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const count = Object.keys(entries).length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(count, 8);
  end.writeUInt16LE(count, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...parts, directory, end]));
}

function workbook(sheet: Uint8Array, declaredSize?: number): Uint8Array {
  return zip(
    {
      '[Content_Types].xml': text(CONTENT_TYPES),
      '_rels/.rels': text(ROOT_RELS),
      'xl/workbook.xml': text(WORKBOOK),
      'xl/_rels/workbook.xml.rels': text(WORKBOOK_RELS),
      'xl/sharedStrings.xml': text(SHARED_STRINGS),
      'xl/worksheets/sheet1.xml': sheet,
    },
    declaredSize,
  );
}

/** A workbook of `rows` rows × 3 columns (issue 14: 1,000,000 rows in 13 MB). */
export function manyRowsXlsx(rows: number): Uint8Array {
  return workbook(sheetXml(rows));
}

/**
 * A workbook whose one sheet inflates to `expandedBytes` of blank space (a zip bomb) while its
 * directory declares 1 KiB per entry: only a streaming count of the inflated bytes refuses it.
 */
export function lyingZipBomb(expandedBytes: number): Uint8Array {
  const sheet = new Uint8Array(expandedBytes).fill(0x20);
  return workbook(sheet, 1024);
}
