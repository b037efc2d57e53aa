/**
 * Copy and paste between the editors' grid and spreadsheets: tab-separated text, quoted the
 * way spreadsheets quote cells holding tabs, quotes or line breaks. Invariant: a paste never
 * writes outside the grid; what does not fit is counted, not wrapped.
 */
export function parseClipboard(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  let i = 0;
  const body = text.replace(/\r\n?/g, '\n').replace(/\n$/, '');
  while (i < body.length) {
    const ch = body[i] as string;
    if (quoted) {
      if (ch === '"' && body[i + 1] === '"') {
        cell += '"';
        i += 2;
        continue;
      }
      if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"' && cell === '') {
      quoted = true;
    } else if (ch === '\t') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else {
      cell += ch;
    }
    i++;
  }
  row.push(cell);
  rows.push(row);
  return rows;
}

export function toClipboard(rows: readonly (readonly string[])[]): string {
  const quote = (v: string) => (/[\t\n\r"]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return rows.map((r) => r.map(quote).join('\t')).join('\n');
}

export type PasteWrite = { rowId: string; field: string; text: string };

/** Which cells a paste at `at` writes, and how many pasted cells fell outside the grid. */
export function pasteWrites(
  at: { row: number; col: number },
  pasted: readonly (readonly string[])[],
  rowIds: readonly string[],
  fields: readonly string[],
): { writes: PasteWrite[]; dropped: number } {
  const writes: PasteWrite[] = [];
  let dropped = 0;
  pasted.forEach((values, r) => {
    values.forEach((text, c) => {
      const rowId = rowIds[at.row + r];
      const field = fields[at.col + c];
      if (rowId === undefined || field === undefined) dropped++;
      else writes.push({ rowId, field, text });
    });
  });
  return { writes, dropped };
}
