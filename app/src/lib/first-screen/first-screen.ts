/**
 * The first screen of a dataset kept on this device: its title, columns, row count and first
 * rows in the default order, so a dataset opened before shows rows before its whole document
 * is read. It is only ever the device's copy: the session drops it once the real document is
 * read, and anything unreadable (corrupt, another format, another dataset) counts as absent.
 */

export type FirstScreenCell = string | number | boolean | null;
export type FirstScreenColumn = { name: string; label: string };

export type FirstScreen = {
  format: typeof FORMAT;
  id: string;
  title: string | null;
  columns: FirstScreenColumn[];
  /** Every live row of the document when it was written. */
  total: number;
  /** The first rows in the store's order (the list's default order), same keys as the store. */
  ids: string[];
  rows: Record<string, Record<string, FirstScreenCell>>;
  /** The document's state vector (base64) when written: unchanged, no need to write again. */
  version: string;
  savedAt: number;
};

/** The part of `Storage` used here (tests pass a Map-backed one). */
export type FirstScreenStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

const FORMAT = 1;
/** Rows kept: more than a tall screen shows, in the table or as cards. */
export const FIRST_SCREEN_ROWS = 100;
/** Past this many characters fewer rows are kept (localStorage is ~5 MB for every dataset). */
export const FIRST_SCREEN_MAX_CHARS = 200_000;

export function firstScreenKey(id: string): string {
  return `datapatch:firstScreen:${id}`;
}

/** The columns in the order the list shows them: the field that names a record first. */
export function orderColumns(
  fields: readonly { name: string; title?: string | undefined }[],
  nameField: string | null | undefined,
): FirstScreenColumn[] {
  const ordered = [
    ...fields.filter((f) => f.name === nameField),
    ...fields.filter((f) => f.name !== nameField),
  ];
  return ordered.map((f) => ({ name: f.name, label: f.title ?? f.name }));
}

export type FirstScreenSource = {
  id: string;
  title: string | null;
  columns: FirstScreenColumn[];
  total: number;
  /** Row ids in the list's default order (only the first ones are read). */
  rowIds: readonly string[];
  /** A row's cells; anything but text, numbers, booleans and null is left out. */
  row: (id: string) => Record<string, unknown>;
  version: string;
  now: number;
};

/** The first screen to keep, as text no longer than FIRST_SCREEN_MAX_CHARS (null: nothing fits). */
export function encodeFirstScreen(source: FirstScreenSource): string | null {
  let count = Math.min(FIRST_SCREEN_ROWS, source.rowIds.length);
  const ids = source.rowIds.slice(0, count);
  const rows: FirstScreen['rows'] = {};
  for (const id of ids) {
    const cells: Record<string, FirstScreenCell> = {};
    for (const [field, value] of Object.entries(source.row(id))) if (isCell(value)) cells[field] = value;
    rows[id] = cells;
  }
  for (;;) {
    const kept = ids.slice(0, count);
    const screen: FirstScreen = {
      format: FORMAT,
      id: source.id,
      title: source.title,
      columns: source.columns,
      total: source.total,
      ids: kept,
      rows: Object.fromEntries(kept.map((id) => [id, rows[id] ?? {}])),
      version: source.version,
      savedAt: source.now,
    };
    const text = JSON.stringify(screen);
    if (text.length <= FIRST_SCREEN_MAX_CHARS) return text;
    if (count === 0) return null;
    count = Math.floor(count / 2);
  }
}

function isCell(value: unknown): value is FirstScreenCell {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The kept first screen of dataset `id`, or null when the text is not one (corrupt, old format). */
export function decodeFirstScreen(text: string | null, id: string): FirstScreen | null {
  if (text === null) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isRecord(value) || value.format !== FORMAT || value.id !== id) return null;
  const { title, columns, total, ids, rows, version, savedAt } = value;
  if (title !== null && typeof title !== 'string') return null;
  if (typeof total !== 'number' || !Number.isInteger(total) || total < 0) return null;
  if (typeof version !== 'string' || typeof savedAt !== 'number') return null;
  if (
    !Array.isArray(columns) ||
    !columns.every((c) => isRecord(c) && typeof c.name === 'string' && typeof c.label === 'string')
  )
    return null;
  if (!Array.isArray(ids) || !ids.every((rowId) => typeof rowId === 'string')) return null;
  if (!isRecord(rows)) return null;
  for (const rowId of ids) {
    const row = rows[rowId];
    if (!isRecord(row) || !Object.values(row).every(isCell)) return null;
  }
  return value as FirstScreen;
}

/** The first screen kept on this device for dataset `id`, or null (none, unreadable, no storage). */
export function readFirstScreen(storage: FirstScreenStorage | null, id: string): FirstScreen | null {
  if (storage === null) return null;
  let text: string | null;
  try {
    text = storage.getItem(firstScreenKey(id));
  } catch {
    return null;
  }
  const screen = decodeFirstScreen(text, id);
  if (screen === null && text !== null) {
    // Unreadable: it would be ignored on every visit, so free its room.
    try {
      storage.removeItem(firstScreenKey(id));
    } catch {
      // Nothing to free then.
    }
  }
  return screen;
}

/** Whether the kept first screen no longer matches the document (a different state vector). */
export function firstScreenStale(kept: Pick<FirstScreen, 'version'> | null, version: string): boolean {
  return kept === null || kept.version !== version;
}

/** Keeps the first screen; false when the device refused (full or disabled storage). */
export function writeFirstScreen(storage: FirstScreenStorage | null, source: FirstScreenSource): boolean {
  if (storage === null) return false;
  const text = encodeFirstScreen(source);
  try {
    if (text === null) storage.removeItem(firstScreenKey(source.id));
    else storage.setItem(firstScreenKey(source.id), text);
    return text !== null;
  } catch {
    return false;
  }
}

const DEVICE_COPY = {
  fr: 'copie de cet appareil, mise à jour en cours…',
  en: 'copy kept on this device, updating…',
} as const;

/** The note beside the count while the first screen is shown (not in the shared catalog: one line). */
export function deviceCopyNote(locale: string): string {
  return locale === 'en' ? DEVICE_COPY.en : DEVICE_COPY.fr;
}
