// Splits CSV text into records, one pass, handing each record's cells to a callback with the line
// it starts on. Invariants: RFC 4180 quoting as papaparse reads it (a quote opens a cell only at its
// start; `""` is a quote; spaces may follow a closing quote); every deviation is flagged, never
// silent; cells are slices of the text (no copy) and the cells array is reused between records.

const QUOTE = 34;

/** A quote opened a cell and no quote closes it before the end of the file. */
export const UNCLOSED_QUOTE = 1;
/** Inside a quoted cell, a quote followed by neither a quote, a separator nor a line end. */
export const STRAY_QUOTE = 2;

/**
 * One record: `cells[0..count)` (the array is reused: copy what you keep), the 1-based line it
 * starts on, how many lines it spans, and its flags (UNCLOSED_QUOTE, STRAY_QUOTE).
 */
export type CsvRecordSink = (
  cells: string[],
  count: number,
  line: number,
  lines: number,
  flags: number,
) => void;

/**
 * Reads every record of `text`. `newline` is the file's line end (`\n` when it has none). A file's
 * final line end ends its last record; it does not make an empty one. An unclosed quote is read
 * as a plain character: the cell ends at the next separator or line end like any unquoted cell, so
 * the lines after it stay rows (the record is flagged UNCLOSED_QUOTE).
 */
export function readCsvRecords(text: string, separator: string, newline: string, sink: CsvRecordSink): void {
  const n = text.length;
  const sepLength = separator.length;
  const nlLength = newline.length;
  const cells: string[] = [];
  let pos = 0;
  let line = 1;
  // Next separator / line end at or after `pos`; searched again only once `pos` has passed them.
  let nextSep = -2;
  let nextNl = -2;
  // What the last quoted cell read: its value, where reading goes on, its flags.
  let quotedValue = '';
  let quotedEnd = 0;
  let quotedFlags = 0;

  /** A quoted cell at `start`; false when no quote closes it (nothing read then). */
  function readQuoted(start: number): boolean {
    let value = '';
    let from = start + 1;
    let flags = 0;
    for (;;) {
      const q = text.indexOf('"', from);
      if (q === -1) return false;
      if (text.charCodeAt(q + 1) === QUOTE) {
        value += text.slice(from, q + 1);
        from = q + 2;
        continue;
      }
      // A closing quote is followed by the end, a separator or a line end, maybe after spaces.
      let after = q + 1;
      while (after < n && !text.startsWith(separator, after)) {
        const c = text.charCodeAt(after);
        if (c !== 32 && c !== 9) break;
        after++;
      }
      if (after >= n || text.startsWith(separator, after) || text.startsWith(newline, after)) {
        quotedValue = value + text.slice(from, q);
        quotedEnd = after;
        quotedFlags = flags;
        return true;
      }
      // A quote inside the cell that closes nothing: kept as a character, as papaparse does.
      flags |= STRAY_QUOTE;
      value += text.slice(from, q + 1);
      from = q + 1;
    }
  }

  while (pos < n) {
    const startLine = line;
    let count = 0;
    let flags = 0;
    let endedByLineEnd = false;
    for (;;) {
      if (text.charCodeAt(pos) === QUOTE) {
        if (readQuoted(pos)) {
          cells[count++] = quotedValue;
          flags |= quotedFlags;
          // The cell's own line breaks.
          if (nextNl !== -1 && nextNl < pos) nextNl = text.indexOf(newline, pos);
          while (nextNl !== -1 && nextNl < quotedEnd) {
            line++;
            nextNl = text.indexOf(newline, nextNl + nlLength);
          }
          pos = quotedEnd;
          if (pos >= n) break;
          if (text.startsWith(separator, pos)) {
            pos += sepLength;
            continue;
          }
          pos += nlLength; // a quoted cell ends only before a separator, a line end or the end
          line++;
          endedByLineEnd = true;
          break;
        }
        flags |= UNCLOSED_QUOTE; // read on as an unquoted cell, its quote kept as a character
      }
      if (nextSep !== -1 && nextSep < pos) nextSep = text.indexOf(separator, pos);
      if (nextNl !== -1 && nextNl < pos) nextNl = text.indexOf(newline, pos);
      if (nextSep !== -1 && (nextSep < nextNl || nextNl === -1)) {
        cells[count++] = text.slice(pos, nextSep);
        pos = nextSep + sepLength;
        continue;
      }
      const end = nextNl === -1 ? n : nextNl;
      cells[count++] = text.slice(pos, end);
      pos = end + nlLength;
      if (nextNl !== -1) {
        line++;
        endedByLineEnd = true;
      }
      break;
    }
    sink(cells, count, startLine, line - startLine + (endedByLineEnd ? 0 : 1), flags);
  }
}
