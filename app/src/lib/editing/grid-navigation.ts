/**
 * Where the active cell of the editors' grid goes for a key, spreadsheet-style.
 * Invariant: the result is always a cell inside the grid (or null for an empty grid); keys
 * the grid does not handle return `undefined`, so the browser keeps its own behaviour.
 */
export type Cell = { row: number; col: number };

export type GridSize = { rows: number; cols: number; pageRows: number };

function clamp(value: number, max: number): number {
  return Math.max(0, Math.min(max, value));
}

export function moveActive(
  active: Cell | null,
  key: string,
  size: GridSize,
  modifiers: { ctrl?: boolean; shift?: boolean } = {},
): Cell | null | undefined {
  if (size.rows === 0 || size.cols === 0) return null;
  const at = active ?? { row: 0, col: 0 };
  const lastRow = size.rows - 1;
  const lastCol = size.cols - 1;
  const ctrl = modifiers.ctrl === true;
  switch (key) {
    case 'ArrowUp':
      return { row: ctrl ? 0 : clamp(at.row - 1, lastRow), col: at.col };
    case 'ArrowDown':
      return { row: ctrl ? lastRow : clamp(at.row + 1, lastRow), col: at.col };
    case 'ArrowLeft':
      return { row: at.row, col: ctrl ? 0 : clamp(at.col - 1, lastCol) };
    case 'ArrowRight':
      return { row: at.row, col: ctrl ? lastCol : clamp(at.col + 1, lastCol) };
    case 'Home':
      return ctrl ? { row: 0, col: 0 } : { row: at.row, col: 0 };
    case 'End':
      return ctrl ? { row: lastRow, col: lastCol } : { row: at.row, col: lastCol };
    case 'PageUp':
      return { row: clamp(at.row - size.pageRows, lastRow), col: at.col };
    case 'PageDown':
      return { row: clamp(at.row + size.pageRows, lastRow), col: at.col };
    case 'Tab':
      // Tab runs along the row then wraps to the next one, like a spreadsheet.
      if (modifiers.shift === true) {
        if (at.col > 0) return { row: at.row, col: at.col - 1 };
        return at.row > 0 ? { row: at.row - 1, col: lastCol } : at;
      }
      if (at.col < lastCol) return { row: at.row, col: at.col + 1 };
      return at.row < lastRow ? { row: at.row + 1, col: 0 } : at;
    default:
      return undefined;
  }
}

/** A key that starts editing the active cell with that character typed (not a shortcut). */
export function startsTyping(
  key: string,
  modifiers: { ctrl?: boolean; alt?: boolean; meta?: boolean },
): boolean {
  return Array.from(key).length === 1 && !modifiers.ctrl && !modifiers.alt && !modifiers.meta;
}

/**
 * The value to store for what an editor typed: an empty cell is null, numbers stay numbers
 * for number and integer fields when they read as one (French decimal comma accepted).
 */
export function typedValue(text: string, fieldType: string | undefined): string | number | boolean | null {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  if (fieldType === 'integer' && /^-?\d+$/.test(trimmed)) return Number(trimmed);
  if (fieldType === 'number') {
    const normalised = trimmed.replace(',', '.');
    if (/^-?\d+(\.\d+)?$/.test(normalised)) return Number(normalised);
  }
  if (fieldType === 'boolean') {
    if (/^(true|vrai|oui|yes)$/i.test(trimmed)) return true;
    if (/^(false|faux|non|no)$/i.test(trimmed)) return false;
  }
  return text;
}
