/**
 * The validation report the wizard shows: errors per column with the first offending cells,
 * and a paged view of the offending rows with each bad cell marked. Invariants: rows keep the
 * file's 1-based numbers; a page holds at most `pageSize` rows, in file order; a cell is marked
 * only when an error names its row and its field.
 */
import type { CellValue } from '@datapatch/core';
import type { ColumnErrors, DryRun } from './dry-run.ts';

export type ColumnReport = ColumnErrors & {
  /** The first errors of this column that name a cell. */
  firstCells: { row: number; value: CellValue | undefined; message: string }[];
};

/**
 * Errors per column, most first, with up to `perColumn` offending cells each. A cell that breaks
 * several rules (a pattern and a length) is one cell with its messages joined, listed once.
 */
export function columnReports(run: DryRun, perColumn = 3): ColumnReport[] {
  const values = new Map(run.offendingRows.map((r) => [r.row, r.values]));
  return run.errorsByField.map((column) => {
    const cells = new Map<number, string[]>();
    for (const e of run.errors) {
      if (e.field !== column.field || e.row === null) continue;
      const messages = cells.get(e.row);
      if (messages) messages.push(e.message);
      else if (cells.size < perColumn) cells.set(e.row, [e.message]);
    }
    return {
      ...column,
      firstCells: [...cells].map(([row, messages]) => ({
        row,
        value: column.field === null ? undefined : values.get(row)?.[column.field],
        message: messages.join(' ; '),
      })),
    };
  });
}

export type OffendingRow = {
  row: number;
  values: Record<string, CellValue>;
  /** Field → the messages of its errors on this row. */
  bad: Map<string, string[]>;
};

export type OffendingPage = { rows: OffendingRow[]; page: number; pages: number; total: number };

/** The offending rows the server sent, optionally only those with an error in `field`. */
export function offendingRows(run: DryRun, field: string | null = null): OffendingRow[] {
  const bad = new Map<number, Map<string, string[]>>();
  for (const e of run.errors) {
    if (e.row === null || e.field === null) continue;
    let cells = bad.get(e.row);
    if (cells === undefined) {
      cells = new Map();
      bad.set(e.row, cells);
    }
    cells.set(e.field, [...(cells.get(e.field) ?? []), e.message]);
  }
  return run.offendingRows
    .map((r) => ({ ...r, bad: bad.get(r.row) ?? new Map<string, string[]>() }))
    .filter((r) => (field === null ? r.bad.size > 0 : r.bad.has(field)))
    .sort((a, b) => a.row - b.row);
}

export function pageOf(rows: OffendingRow[], page: number, pageSize = 20): OffendingPage {
  const pages = Math.max(1, Math.ceil(rows.length / pageSize));
  const current = Math.min(Math.max(0, page), pages - 1);
  return {
    rows: rows.slice(current * pageSize, (current + 1) * pageSize),
    page: current,
    pages,
    total: rows.length,
  };
}
