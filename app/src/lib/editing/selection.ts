/**
 * The rectangle of cells an editor selected in the grid (shift+arrows, shift+click), between
 * an anchor cell and the active cell. Invariants: a range always holds at least the active
 * cell; its rows and columns are in grid order whichever way the selection was drawn.
 */
import type { Cell } from './grid-navigation.ts';

export type CellRange = { top: number; left: number; bottom: number; right: number };

export function rangeBetween(anchor: Cell | null, active: Cell): CellRange {
  const from = anchor ?? active;
  return {
    top: Math.min(from.row, active.row),
    bottom: Math.max(from.row, active.row),
    left: Math.min(from.col, active.col),
    right: Math.max(from.col, active.col),
  };
}

export function inRange(range: CellRange | null, cell: Cell): boolean {
  return (
    range !== null &&
    cell.row >= range.top &&
    cell.row <= range.bottom &&
    cell.col >= range.left &&
    cell.col <= range.right
  );
}

export function rangeSize(range: CellRange): { rows: number; cols: number } {
  return { rows: range.bottom - range.top + 1, cols: range.right - range.left + 1 };
}

/** Keys that, with Shift, grow the selection instead of moving away from it (not Tab). */
export function extendsSelection(key: string): boolean {
  return /^(Arrow(Up|Down|Left|Right)|Home|End|Page(Up|Down))$/.test(key);
}

/** Each selected cell as the text a spreadsheet would receive, row by row. */
export function rangeTexts(
  range: CellRange,
  rowIds: readonly string[],
  fields: readonly string[],
  text: (rowId: string, field: string) => string,
): string[][] {
  const out: string[][] = [];
  for (let r = range.top; r <= range.bottom; r++) {
    const rowId = rowIds[r];
    if (rowId === undefined) continue;
    const line: string[] = [];
    for (let c = range.left; c <= range.right; c++) {
      const field = fields[c];
      if (field !== undefined) line.push(text(rowId, field));
    }
    out.push(line);
  }
  return out;
}
