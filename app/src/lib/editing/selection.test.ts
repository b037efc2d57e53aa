import { describe, expect, it } from 'vitest';
import { parseClipboard, pasteWrites, toClipboard } from './clipboard.ts';
import { extendsSelection, inRange, rangeBetween, rangeSize, rangeTexts } from './selection.ts';

const rowIds = ['r0', 'r1', 'r2'];
const fields = ['nom', 'commune', 'tel'];
const values: Record<string, Record<string, string>> = {
  r0: { nom: 'Mairie', commune: 'Lille', tel: '03 20 00 00 00' },
  r1: { nom: 'Salle "polyvalente"', commune: 'Saint-Étienne\nCentre', tel: '' },
  r2: { nom: 'Médiathèque', commune: 'Tab\there', tel: '04 77 00 00 00' },
};
const read = (rowId: string, field: string) => values[rowId]?.[field] ?? '';

describe('selecting a range of cells', () => {
  it('spans anchor and active cell whichever way it was drawn', () => {
    const up = rangeBetween({ row: 2, col: 2 }, { row: 1, col: 0 });
    expect(up).toEqual({ top: 1, bottom: 2, left: 0, right: 2 });
    expect(rangeSize(up)).toEqual({ rows: 2, cols: 3 });
    expect(inRange(up, { row: 1, col: 1 })).toBe(true);
    expect(inRange(up, { row: 0, col: 1 })).toBe(false);
    expect(rangeBetween(null, { row: 1, col: 1 })).toEqual({ top: 1, bottom: 1, left: 1, right: 1 });
  });

  it('grows with shift+arrows, Home/End and pages, not with Tab or letters', () => {
    for (const key of ['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight', 'Home', 'End', 'PageDown'])
      expect(extendsSelection(key)).toBe(true);
    for (const key of ['Tab', 'a', 'Enter']) expect(extendsSelection(key)).toBe(false);
  });

  it('a copied range reads back cell for cell, tabs, quotes and line breaks included', () => {
    const range = rangeBetween({ row: 0, col: 0 }, { row: 2, col: 1 });
    const copied = toClipboard(rangeTexts(range, rowIds, fields, read));
    expect(parseClipboard(copied)).toEqual([
      ['Mairie', 'Lille'],
      ['Salle "polyvalente"', 'Saint-Étienne\nCentre'],
      ['Médiathèque', 'Tab\there'],
    ]);
  });

  it('a copied 2×2 range pasted elsewhere writes the same values in the same shape', () => {
    const copied = toClipboard(
      rangeTexts(rangeBetween({ row: 1, col: 1 }, { row: 0, col: 0 }), rowIds, fields, read),
    );
    const { writes, dropped } = pasteWrites({ row: 1, col: 1 }, parseClipboard(copied), rowIds, fields);
    expect(dropped).toBe(0);
    expect(writes).toEqual([
      { rowId: 'r1', field: 'commune', text: 'Mairie' },
      { rowId: 'r1', field: 'tel', text: 'Lille' },
      { rowId: 'r2', field: 'commune', text: 'Salle "polyvalente"' },
      { rowId: 'r2', field: 'tel', text: 'Saint-Étienne\nCentre' },
    ]);
  });

  it('a range that reaches past the shown rows copies only what is there', () => {
    expect(rangeTexts({ top: 2, bottom: 4, left: 2, right: 3 }, rowIds, fields, read)).toEqual([
      ['04 77 00 00 00'],
    ]);
  });
});
