// Guesses a CSV's separator and line end from the first lines of its text. The separator is the one
// that gives the most rows with the same number of cells, read by the importer's own reader (so an
// unclosed quote misleads the guess no more than it misleads the import);
// `, ` wins over `,` when nearly every unquoted cell after a comma starts with a space.

import { readCsvRecords, STRAY_QUOTE, UNCLOSED_QUOTE } from './csvRecords.ts';
import type { LineEnd } from './table.ts';

export type Separator = ',' | ';' | '\t' | '|' | ', ';

const candidates: Separator[] = [',', ';', '\t', '|'];
const sampleChars = 64 * 1024;

/** The most common line end outside quoted cells (a cell's own line breaks say nothing). */
export function detectLineEnd(text: string): LineEnd {
  const sample = text.slice(0, sampleChars);
  let crcrlf = 0;
  let crlf = 0;
  let lf = 0;
  let cr = 0;
  let quoted = false;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if (c === 34) quoted = !quoted;
    else if (quoted) continue;
    else if (c === 13) {
      if (sample.charCodeAt(i + 1) === 13 && sample.charCodeAt(i + 2) === 10) {
        crcrlf++;
        i += 2;
      } else if (sample.charCodeAt(i + 1) === 10) {
        crlf++;
        i++;
      } else cr++;
    } else if (c === 10) lf++;
  }
  const counts: [LineEnd, number][] = [
    ['CRCRLF', crcrlf],
    ['CRLF', crlf],
    ['LF', lf],
    ['CR', cr],
  ];
  counts.sort((a, b) => b[1] - a[1]);
  const [best, count] = counts[0]!;
  return count === 0 ? 'none' : best;
}

export function lineEndText(lineEnd: LineEnd): string | undefined {
  switch (lineEnd) {
    case 'CRLF':
      return '\r\n';
    case 'LF':
    case 'CRCRLF': // the importer turns \r\r\n into \n before parsing
      return '\n';
    case 'CR':
      return '\r';
    default:
      return undefined;
  }
}

export function detectSeparator(text: string, newline: string | undefined): Separator {
  const sample = text.slice(0, sampleChars);
  let best: Separator = ',';
  let bestScore = -1;
  for (const delimiter of candidates) {
    const parsed = sampleRecords(sample, delimiter, newline, 100);
    // The last row of a sample may be cut in the middle.
    const rows = parsed.rows;
    const complete = rows.length > 2 && text.length > sampleChars ? rows.slice(0, -1) : rows;
    const score = consistency(complete, parsed.quoteErrors);
    if (score > bestScore) {
      bestScore = score;
      best = delimiter;
    }
  }
  if (best === ',' && cellsAfterCommaStartWithSpace(sample, newline)) return ', ';
  return best;
}

/**
 * The share of rows having the most common cell count (if > 1), less the share of quoting errors;
 * ties go to more cells. A share, not a count: a wrong separator that misreads quotes can cut a
 * file into more, but not more regular, rows.
 */
function consistency(rows: string[][], quoteErrors: number): number {
  const byCount = new Map<number, number>();
  let total = 0;
  for (const row of rows) {
    if (row.length === 1 && row[0] === '') continue;
    total++;
    byCount.set(row.length, (byCount.get(row.length) ?? 0) + 1);
  }
  let modal = 1;
  let modalRows = 0;
  for (const [count, n] of byCount) {
    if (n > modalRows || (n === modalRows && count > modal)) {
      modal = count;
      modalRows = n;
    }
  }
  if (modal < 2 || total === 0) return 0;
  const share = Math.max(0, (modalRows - quoteErrors) / total);
  return Math.round(share * 1000) * 1000 + Math.min(modal, 999);
}

/** The first `limit` records of a sample, and how many had a quote problem. */
function sampleRecords(
  sample: string,
  separator: string,
  newline: string | undefined,
  limit: number,
): { rows: string[][]; quoteErrors: number } {
  const rows: string[][] = [];
  let quoteErrors = 0;
  // The reader has no stop: the sample is small, and records past the limit are just not kept.
  readCsvRecords(sample, separator, newline ?? '\n', (cells, count, _line, _lines, flags) => {
    if (rows.length >= limit) return;
    rows.push(cells.slice(0, count));
    if (flags & (UNCLOSED_QUOTE | STRAY_QUOTE)) quoteErrors++;
  });
  return { rows, quoteErrors };
}

function cellsAfterCommaStartWithSpace(sample: string, newline: string | undefined): boolean {
  const rows = sampleRecords(sample, ',', newline, 50).rows;
  let spaced = 0;
  let cells = 0;
  for (const row of rows) {
    for (let i = 1; i < row.length; i++) {
      const cell = row[i]!;
      if (cell === '') continue;
      cells++;
      if (cell.startsWith(' ')) spaced++;
    }
  }
  return cells > 0 && spaced / cells >= 0.9;
}
