// Reads CSV/TSV bytes into a table: every cell is kept as text, nothing is dropped silently.
// Short rows are padded, long rows keep their extra cells in new columns (or lose only empty ones),
// blank lines are counted; each repair is reported with its 1-based data row number.

import { detectLineEnd, detectSeparator, lineEndText, type Separator } from './csvDialect.ts';
import { readCsvRecords, STRAY_QUOTE, UNCLOSED_QUOTE } from './csvRecords.ts';
import { extraFieldName, normaliseHeaders } from './headers.ts';
import { type ImportFailure, importFailure } from './importErrors.ts';
import { emptyReport, type ImportReport, type Row, recordRepair, type Table } from './table.ts';
import { decodeText } from './textEncoding.ts';

export interface ImportSuccess {
  ok: true;
  table: Table;
  report: ImportReport;
}

export function importCsv(bytes: Uint8Array, format: 'csv' | 'tsv'): ImportSuccess | ImportFailure {
  const decoded = decodeText(bytes);
  if (!decoded) return importFailure('file-binary');
  const report = emptyReport(format);
  report.encoding = decoded.encoding;
  report.hasBom = decoded.hasBom;
  report.strayBytes = decoded.strayBytes ?? 0;
  const lineEnd = detectLineEnd(decoded.text);
  report.lineEnd = lineEnd;
  // \r\r\n is not a line end papaparse knows: without this every row would end in "\r".
  const text = lineEnd === 'CRCRLF' ? decoded.text.replaceAll('\r\r\n', '\n') : decoded.text;
  const newline = lineEndText(lineEnd);
  const separator: Separator = format === 'tsv' ? '\t' : detectSeparator(text, newline);
  report.separator = separator;
  const result = parseRows(text, separator, newline, report);
  if (result.ok && decoded.truncatedCharacter) {
    const { rows } = result.table;
    recordRepair(report, { row: rows.length, kind: 'truncated-character', ...lastLine(text, newline) });
  }
  return result;
}

/** The last line's number, for a repair at the very end of the file. */
function lastLine(text: string, newline: string | undefined): { line: number } {
  let line = 1;
  const end = newline ?? '\n';
  for (
    let at = text.indexOf(end);
    at !== -1 && at < text.length - end.length;
    at = text.indexOf(end, at + end.length)
  )
    line++;
  return { line };
}

function parseRows(
  text: string,
  separator: Separator,
  newline: string | undefined,
  report: ImportReport,
): ImportSuccess | ImportFailure {
  let fields: string[] | null = null;
  let width = 0;
  const rows: Row[] = [];
  const addedFields: string[] = [];

  // One pass straight into row objects: no array per row is kept, so the garbage collector has
  // half as much to copy as with papaparse's rows-then-objects (bench/README.md).
  readCsvRecords(text, separator, newline ?? '\n', (cells, count, line, lines, flags) => {
    if (count === 1 && cells[0] === '') {
      report.blankLinesSkipped++;
      return;
    }
    if (!fields) {
      const headers = normaliseHeaders(cells.slice(0, count), line);
      fields = headers.fields;
      width = fields.length;
      report.renamedHeaders = headers.renamed;
      if (flags !== 0) quoteRepairs(0, line, lines, flags);
      return;
    }
    const rowNumber = rows.length + 1;
    if (flags !== 0) quoteRepairs(rowNumber, line, lines, flags);
    const row: Row = {};
    const n = Math.min(count, width);
    for (let i = 0; i < n; i++) row[fields[i]!] = cells[i]!;
    if (count < width) {
      for (let i = count; i < width; i++) row[fields[i]!] = '';
      recordRepair(report, { row: rowNumber, line, kind: 'short-row-padded', detail: `${count}/${width}` });
    } else if (count > width) {
      keepExtraCells(cells, count, row, rowNumber, line);
    }
    rows.push(row);
  });

  function quoteRepairs(row: number, line: number, lines: number, flags: number): void {
    if (flags & UNCLOSED_QUOTE) recordRepair(report, { row, line, kind: 'unclosed-quote' });
    if (flags & STRAY_QUOTE)
      recordRepair(report, {
        row,
        line,
        kind: 'stray-quote-kept',
        detail: `${lines} line${lines > 1 ? 's' : ''}`,
      });
  }

  function keepExtraCells(cells: string[], count: number, row: Row, rowNumber: number, line: number): void {
    let extraEmpty = true;
    for (let i = width; i < count; i++) if (cells[i]!.trim() !== '') extraEmpty = false;
    if (extraEmpty) {
      recordRepair(report, {
        row: rowNumber,
        line,
        kind: 'long-row-empty-cells-removed',
        detail: `${count}/${width}`,
      });
      return;
    }
    const all = fields!;
    for (let i = width; i < count; i++) {
      if (i - width >= addedFields.length) {
        const name = extraFieldName(all, i);
        all.push(name);
        addedFields.push(name);
        report.renamedHeaders.push({ column: i, from: '', to: name, reason: 'extra-cells', line });
      }
      row[all[i]!] = cells[i]!;
    }
    recordRepair(report, {
      row: rowNumber,
      line,
      kind: 'long-row-extra-cells-kept',
      detail: `${count}/${width}`,
    });
  }

  if (!fields) return importFailure('csv-no-header');
  const finalFields: string[] = fields;
  if (addedFields.length > 0) {
    for (const row of rows) for (const name of addedFields) row[name] ??= '';
  }
  report.rowCount = rows.length;
  return { ok: true, table: { fields: finalFields, rows }, report };
}
