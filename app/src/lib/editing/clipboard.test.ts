import { describe, expect, it } from 'vitest';
import { parseClipboard, pasteWrites, toClipboard } from './clipboard.ts';

describe('copy and paste with spreadsheets', () => {
  it('reads a range copied from a spreadsheet, quoted cells included', () => {
    expect(parseClipboard('Mairie\t59000\r\n"Salle ""polyvalente""\nétage"\t\r\n')).toEqual([
      ['Mairie', '59000'],
      ['Salle "polyvalente"\nétage', ''],
    ]);
    expect(parseClipboard('seul')).toEqual([['seul']]);
  });

  it('writes what it reads', () => {
    const range = [
      ['a\tb', 'c "d"'],
      ['e\nf', ''],
    ];
    expect(parseClipboard(toClipboard(range))).toEqual(range);
  });

  it('a paste stays inside the grid and counts what did not fit', () => {
    const { writes, dropped } = pasteWrites(
      { row: 1, col: 1 },
      [
        ['x', 'y', 'z'],
        ['u', 'v', 'w'],
      ],
      ['r0', 'r1'],
      ['nom', 'cp', 'tel'],
    );
    expect(writes).toEqual([
      { rowId: 'r1', field: 'cp', text: 'x' },
      { rowId: 'r1', field: 'tel', text: 'y' },
    ]);
    expect(dropped).toBe(4);
  });
});
