import { describe, expect, it } from 'vitest';
import { moveActive, startsTyping, typedValue } from './grid-navigation.ts';

const size = { rows: 3, cols: 4, pageRows: 2 };

describe('keyboard navigation in the editors grid', () => {
  it('arrows move one cell and stop at the edges', () => {
    expect(moveActive({ row: 0, col: 0 }, 'ArrowDown', size)).toEqual({ row: 1, col: 0 });
    expect(moveActive({ row: 0, col: 0 }, 'ArrowUp', size)).toEqual({ row: 0, col: 0 });
    expect(moveActive({ row: 2, col: 3 }, 'ArrowRight', size)).toEqual({ row: 2, col: 3 });
    expect(moveActive({ row: 1, col: 1 }, 'ArrowDown', size, { ctrl: true })).toEqual({ row: 2, col: 1 });
  });

  it('Tab runs along the row and wraps, Shift+Tab goes back', () => {
    expect(moveActive({ row: 0, col: 3 }, 'Tab', size)).toEqual({ row: 1, col: 0 });
    expect(moveActive({ row: 1, col: 0 }, 'Tab', size, { shift: true })).toEqual({ row: 0, col: 3 });
    expect(moveActive({ row: 2, col: 3 }, 'Tab', size)).toEqual({ row: 2, col: 3 });
  });

  it('Home, End and pages; other keys are left to the browser', () => {
    expect(moveActive({ row: 1, col: 2 }, 'Home', size)).toEqual({ row: 1, col: 0 });
    expect(moveActive({ row: 1, col: 2 }, 'End', size, { ctrl: true })).toEqual({ row: 2, col: 3 });
    expect(moveActive({ row: 0, col: 2 }, 'PageDown', size)).toEqual({ row: 2, col: 2 });
    expect(moveActive({ row: 0, col: 0 }, 'a', size)).toBeUndefined();
    expect(moveActive(null, 'ArrowDown', { rows: 0, cols: 2, pageRows: 1 })).toBeNull();
  });

  it('a printable key starts editing, a shortcut does not', () => {
    expect(startsTyping('é', {})).toBe(true);
    expect(startsTyping('c', { ctrl: true })).toBe(false);
    expect(startsTyping('Enter', {})).toBe(false);
  });
});

describe('what an editor typed, as a cell value', () => {
  it('empty is an empty cell; numbers and yes/no follow the field type', () => {
    expect(typedValue('  ', 'string')).toBeNull();
    expect(typedValue('12,5', 'number')).toBe(12.5);
    expect(typedValue('12', 'integer')).toBe(12);
    expect(typedValue('douze', 'integer')).toBe('douze');
    expect(typedValue('Oui', 'boolean')).toBe(true);
    expect(typedValue('59000', 'string')).toBe('59000');
  });
});
