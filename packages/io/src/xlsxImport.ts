// Reads one sheet of an XLSX workbook (first by default) into a table, after the zip guard has
// checked the workbook cannot expand past the limit. Dates become ISO text, the first row is the
// header, numbers and booleans keep their spreadsheet type.

import { readSheet } from 'read-excel-file/universal';
import type { ImportSuccess } from './csvImport.ts';
import { normaliseHeaders } from './headers.ts';
import { type ImportFailure, importFailure } from './importErrors.ts';
import { type Cell, emptyReport, type Row } from './table.ts';
import { checkZipExpansion } from './zipGuard.ts';

export async function importXlsx(
  bytes: Uint8Array,
  sheet: string | number | undefined,
  maxExpandedBytes: number,
): Promise<ImportSuccess | ImportFailure> {
  const check = checkZipExpansion(bytes, maxExpandedBytes);
  if (!check.ok) {
    return check.reason === 'too-large'
      ? importFailure('xlsx-zip-bomb', { limit: maxExpandedBytes })
      : importFailure('xlsx-invalid', { detail: check.detail });
  }
  let data: unknown[][];
  try {
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    // read-excel-file counts sheets from 1; our option counts from 0 like every array.
    const which = typeof sheet === 'number' ? sheet + 1 : (sheet ?? 1);
    data = (await readSheet(buffer, which)) as unknown[][];
  } catch (error) {
    const name = (error as Error).name ?? '';
    if (name === 'SheetNotFoundError' || /sheet.*not found/i.test((error as Error).message)) {
      return importFailure('xlsx-sheet-not-found', { detail: String(sheet) });
    }
    return importFailure('xlsx-invalid', { detail: (error as Error).message });
  }
  const report = emptyReport('xlsx');
  report.sheet = sheet === undefined ? null : String(sheet);
  const [header, ...body] = data;
  const headers = normaliseHeaders((header ?? []).map((cell) => (cell === null ? '' : String(toCell(cell)))));
  report.renamedHeaders = headers.renamed;
  const rows: Row[] = body.map((cells) => {
    const row: Row = {};
    headers.fields.forEach((field, i) => {
      row[field] = toCell(cells[i]);
    });
    return row;
  });
  report.rowCount = rows.length;
  return { ok: true, table: { fields: headers.fields, rows }, report };
}

function toCell(value: unknown): Cell {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) {
    const iso = value.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.replace('.000Z', 'Z');
  }
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'string') return value;
  return String(value);
}
