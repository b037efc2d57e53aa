import { describe, expect, it } from 'vitest';
import {
  decodeFirstScreen,
  deviceCopyNote,
  encodeFirstScreen,
  FIRST_SCREEN_MAX_CHARS,
  FIRST_SCREEN_ROWS,
  type FirstScreenSource,
  type FirstScreenStorage,
  firstScreenKey,
  firstScreenStale,
  orderColumns,
  readFirstScreen,
  writeFirstScreen,
} from './first-screen.ts';

function memoryStorage(): FirstScreenStorage & { items: Map<string, string> } {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
  };
}

function source(rows: number, overrides: Partial<FirstScreenSource> = {}): FirstScreenSource {
  const rowIds = Array.from({ length: rows }, (_, i) => `r${i}`);
  return {
    id: 'mairies',
    title: 'Mairies',
    columns: [
      { name: 'nom', label: 'Nom' },
      { name: 'ville', label: 'Ville' },
    ],
    total: rows,
    rowIds,
    row: (id) => ({ nom: `Mairie ${id}`, ville: 'Lyon', ouverte: true, pop: 12, note: null }),
    version: 'AQID',
    now: 1_700_000_000_000,
    ...overrides,
  };
}

describe('first screen kept on the device', () => {
  it('keeps the title, columns, total and the first rows in the list order, with their keys', () => {
    const storage = memoryStorage();
    expect(writeFirstScreen(storage, source(250))).toBe(true);
    const kept = readFirstScreen(storage, 'mairies');
    expect(kept).not.toBeNull();
    expect(kept?.title).toBe('Mairies');
    expect(kept?.columns.map((c) => c.name)).toEqual(['nom', 'ville']);
    expect(kept?.total).toBe(250);
    expect(kept?.ids).toEqual(Array.from({ length: FIRST_SCREEN_ROWS }, (_, i) => `r${i}`));
    expect(kept?.rows.r0).toEqual({ nom: 'Mairie r0', ville: 'Lyon', ouverte: true, pop: 12, note: null });
  });

  it('keeps fewer rows when the rows are too large, and nothing when not even the header fits', () => {
    const wide = 'x'.repeat(10_000);
    const text = encodeFirstScreen(source(100, { row: () => ({ texte: wide }) }));
    expect(text).not.toBeNull();
    expect(text?.length).toBeLessThanOrEqual(FIRST_SCREEN_MAX_CHARS);
    const kept = decodeFirstScreen(text ?? null, 'mairies');
    expect(kept?.ids.length).toBeGreaterThan(0);
    expect(kept?.ids.length).toBeLessThan(100);

    const storage = memoryStorage();
    storage.setItem(firstScreenKey('mairies'), 'old');
    const huge = source(1, { title: 'y'.repeat(FIRST_SCREEN_MAX_CHARS) });
    expect(writeFirstScreen(storage, huge)).toBe(false);
    expect(storage.items.has(firstScreenKey('mairies'))).toBe(false);
  });

  it('is stale once the document moved on, current while its version is the same', () => {
    expect(firstScreenStale(null, 'AQID')).toBe(true);
    expect(firstScreenStale({ version: 'AQID' }, 'AQID')).toBe(false);
    expect(firstScreenStale({ version: 'AQID' }, 'AQIE')).toBe(true);
  });

  it('ignores and frees a corrupt, old-format or foreign first screen', () => {
    const valid = JSON.parse(encodeFirstScreen(source(3)) ?? '{}');
    const broken: [string, string][] = [
      ['not json', '{"format":1,'],
      ['old format', JSON.stringify({ ...valid, format: 0 })],
      ['no format', JSON.stringify({ ...valid, format: undefined })],
      ['another dataset', JSON.stringify({ ...valid, id: 'ecoles' })],
      ['negative total', JSON.stringify({ ...valid, total: -1 })],
      ['a listed row missing', JSON.stringify({ ...valid, ids: [...valid.ids, 'ghost'] })],
      ['an object in a cell', JSON.stringify({ ...valid, rows: { ...valid.rows, r0: { nom: { a: 1 } } } })],
      ['columns not a list', JSON.stringify({ ...valid, columns: 'nom' })],
    ];
    for (const [why, text] of broken) {
      const storage = memoryStorage();
      storage.setItem(firstScreenKey('mairies'), text);
      expect(readFirstScreen(storage, 'mairies'), why).toBeNull();
      expect(storage.items.has(firstScreenKey('mairies')), why).toBe(false);
    }
  });

  it('reads nothing without storage, or when the storage throws', () => {
    expect(readFirstScreen(null, 'mairies')).toBeNull();
    expect(writeFirstScreen(null, source(3))).toBe(false);
    const refusing: FirstScreenStorage = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
      removeItem: () => {},
    };
    expect(readFirstScreen(refusing, 'mairies')).toBeNull();
    expect(writeFirstScreen(refusing, source(3))).toBe(false);
  });

  it('orders the columns with the field that names a record first, labelled by title', () => {
    const fields = [{ name: 'id' }, { name: 'nom', title: 'Nom' }, { name: 'ville' }];
    expect(orderColumns(fields, 'nom')).toEqual([
      { name: 'nom', label: 'Nom' },
      { name: 'id', label: 'id' },
      { name: 'ville', label: 'ville' },
    ]);
    expect(orderColumns(fields, null).map((c) => c.name)).toEqual(['id', 'nom', 'ville']);
  });

  it('says in French and English that the rows are the device copy', () => {
    expect(deviceCopyNote('fr')).toMatch(/appareil/);
    expect(deviceCopyNote('en')).toMatch(/device/);
  });
});
